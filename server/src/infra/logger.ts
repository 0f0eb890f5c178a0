/**
 * The server's logger: JSON lines (for log collectors) unless stdout is a terminal, where pino-pretty
 * prints one readable line per entry. Request lines carry their fields in the message, so the pretty
 * form hides them rather than printing each on a line of its own.
 */
import { type DestinationStream, type Logger, pino } from 'pino';
import { PinoPretty } from 'pino-pretty';

export interface LoggerOptions {
  /** Readable lines instead of JSON; defaults to "stdout is a terminal". */
  pretty?: boolean;
  /** Where lines go (tests); stdout by default. */
  destination?: DestinationStream;
}

/** Fields of a request line that its message already says. */
const REQUEST_FIELDS = 'method,url,statusCode,responseTime';

export function createLogger(level: string, options: LoggerOptions = {}): Logger {
  const settings = { level, redact: ['req.headers.authorization', 'req.headers.cookie'] };
  const pretty = options.pretty ?? process.stdout.isTTY === true;
  if (!pretty) return options.destination ? pino(settings, options.destination) : pino(settings);
  return pino(
    settings,
    PinoPretty({
      destination: options.destination ?? 1,
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: `pid,hostname,reqId,${REQUEST_FIELDS}`,
      messageFormat: '{if reqId}[{reqId}] {end}{msg}',
      singleLine: true,
      sync: true,
    }),
  );
}
