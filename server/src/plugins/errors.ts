/**
 * The one error handler. Every error leaves as `{error: {code, message, details?}}`: rule errors with
 * their own code, validation and body-parsing errors as 4xx, database outages as 503, everything else as
 * a 500 saying only "internal error" (the log keeps the stack, under the request id).
 */
import type { ErrorObject } from 'ajv';
import type { FastifyError, FastifyInstance } from 'fastify';
import { isDatabaseUnavailable } from '../db/client';
import { DomainError } from '../lib/domain-error';

/** Fastify's (find-my-way's) default `maxParamLength`: a longer path parameter is a 414. */
const MAX_PATH_SEGMENT = 100;

interface FieldProblem {
  field: string;
  message: string;
}

function fieldsOf(error: FastifyError): FieldProblem[] {
  const context = (error as { validationContext?: string }).validationContext ?? 'body';
  return ((error.validation ?? []) as ErrorObject[]).map((problem) => {
    const extra =
      problem.keyword === 'additionalProperties'
        ? `/${String((problem.params as { additionalProperty?: string }).additionalProperty)}`
        : problem.keyword === 'required'
          ? `/${String((problem.params as { missingProperty?: string }).missingProperty)}`
          : '';
    return { field: `${context}${problem.instancePath}${extra}`, message: problem.message ?? 'is invalid' };
  });
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof DomainError) {
      if (error.headers) void reply.headers(error.headers);
      return reply.code(error.status).send(error.toBody());
    }
    if (error.validation) {
      const details = fieldsOf(error);
      const first = details[0];
      const message = first ? `${first.field} ${first.message}` : 'Invalid request';
      return reply.code(400).send({ error: { code: 'VALIDATION_ERROR', message, details } });
    }
    if (isDatabaseUnavailable(error)) {
      request.log.warn({ err: error }, 'database unavailable');
      void reply.header('retry-after', '1');
      return reply.code(503).send({
        error: { code: 'SERVICE_UNAVAILABLE', message: 'The database is unavailable; try again shortly' },
      });
    }
    const status = error.statusCode ?? 500;
    if (status === 413) {
      return reply
        .code(413)
        .send({ error: { code: 'PAYLOAD_TOO_LARGE', message: 'The request body is too large' } });
    }
    if (status === 415) {
      return reply.code(415).send({
        error: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Send JSON with content-type application/json' },
      });
    }
    if (status === 429) {
      return reply.code(429).send({ error: { code: 'RATE_LIMITED', message: 'Too many requests' } });
    }
    if (status >= 400 && status < 500) {
      // Malformed JSON, empty JSON body and other parser complaints: the client's input, never a 5xx.
      return reply.code(400).send({
        error: {
          code: 'VALIDATION_ERROR',
          message: 'Malformed request',
          details: [{ field: 'body', message: error.message }],
        },
      });
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.code(500).send({ error: { code: 'INTERNAL_ERROR', message: 'internal error' } });
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    // The router answers an over-long path parameter with 414, unless a catch-all route (the web client's
    // fallback) took the path first and handed it here: the same answer either way.
    if (path.split('/').some((segment) => segment.length > MAX_PATH_SEGMENT)) {
      return reply.code(414).send({
        error: { code: 'URI_TOO_LONG', message: 'A path parameter is longer than 100 characters' },
      });
    }
    return reply.code(404).send({
      error: {
        code: 'NOT_FOUND',
        message: `No route ${request.method} ${path}`,
      },
    });
  });
}
