/** Error → what the player sees: outage, expired session, or a friendly line. */
import { ApiError, NetworkError } from '@metagameplay/client';
import { describe, expect, it } from 'vitest';
import { en } from '../src/i18n/en';
import { ru } from '../src/i18n/ru';
import { classifyFailure, failureMessage } from '../src/logic/failure';

describe('failures', () => {
  it('classifies the real client errors', () => {
    expect(classifyFailure(new NetworkError('network', 'refused', { notDelivered: true }))).toBe('offline');
    expect(classifyFailure(new NetworkError('timeout', 'slow'))).toBe('offline');
    expect(classifyFailure(new ApiError(503, 'SERVICE_UNAVAILABLE', 'db down'))).toBe('offline');
    expect(classifyFailure(new ApiError(401, 'UNAUTHENTICATED', 'expired'))).toBe('session-expired');
    expect(classifyFailure(new ApiError(409, 'ALREADY_OWNED', 'owned'))).toBe('rejected');
    expect(classifyFailure(new TypeError('bug'))).toBe('rejected');
  });

  it('turns each trade refusal into the game voice, with amounts from the details', () => {
    const funds = new ApiError(409, 'INSUFFICIENT_FUNDS', 'raw', {
      details: { balance: 1200, required: 5099 },
    });
    expect(failureMessage(en, funds)).toBe('Not enough credits: need 50.99, you have 12.00.');
    const price = new ApiError(409, 'PRICE_CHANGED', 'raw', { details: { price: 150075 } });
    expect(failureMessage(en, price)).toContain('1500.75');
    expect(failureMessage(en, new ApiError(409, 'ALREADY_OWNED', 'raw'))).toBe(en.errors.alreadyOwned);
    expect(failureMessage(en, new ApiError(409, 'NOT_OWNED', 'raw'))).toBe(en.errors.notOwned);
    expect(failureMessage(en, new ApiError(404, 'ITEM_NOT_FOUND', 'raw'))).toBe(en.errors.itemNotFound);
    expect(failureMessage(ru, new ApiError(404, 'ITEM_NOT_FOUND', 'raw'))).toBe(ru.errors.itemNotFound);
  });

  it('tells a banned pilot why and until when', () => {
    const forGood = new ApiError(403, 'PLAYER_BANNED', 'raw', {
      details: { reason: 'cheating', until: null },
    });
    expect(failureMessage(en, forGood)).toBe('This pilot is banned: cheating');
    const forAWhile = new ApiError(403, 'PLAYER_BANNED', 'raw', {
      details: { reason: 'spam', until: '2026-12-08T10:30:00.000Z' },
    });
    expect(failureMessage(en, forAWhile)).toBe('This pilot is banned until 2026-12-08 10:30 UTC: spam');
    expect(failureMessage(ru, forAWhile)).toBe('Этот пилот заблокирован до 2026-12-08 10:30 UTC: spam');
  });

  it('survives malformed details and unknown codes without leaking server text', () => {
    const odd = new ApiError(409, 'INSUFFICIENT_FUNDS', 'raw', { details: { balance: 'lots' } });
    expect(failureMessage(en, odd)).toBe(en.errors.insufficientFundsPlain);
    expect(failureMessage(en, new ApiError(418, 'TEAPOT', 'secret internals'))).not.toContain('secret');
    expect(failureMessage(en, new ApiError(429, 'RATE_LIMITED', 'raw', { retryAfterMs: 1500 }))).toContain(
      '2 s',
    );
    expect(failureMessage(en, 'a string')).toContain('CLIENT');
  });
});
