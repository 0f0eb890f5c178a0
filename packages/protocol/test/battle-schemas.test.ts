/** The battle and WebSocket schemas accept what API.md describes and refuse what it does not. */
import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import {
  Battle,
  BusEvents,
  ClientMessage,
  ClientSeed,
  CreateBattleBody,
  ErrorCode,
  ServerMessage,
} from '../src/index';

const pending: Battle = {
  id: '00000000-0000-4000-8000-000000000001',
  challengerId: '11111111-1111-4111-8111-111111111111',
  opponentId: '22222222-2222-4222-8222-222222222222',
  stake: 1500,
  status: 'pending',
  winnerId: null,
  challengerPower: null,
  opponentPower: null,
  seedHash: 'a'.repeat(64),
  seed: null,
  challengerClientSeed: 'abc',
  opponentClientSeed: null,
  baseStrength: 0,
  ratingChange: null,
  createdAt: '2026-11-30T00:00:00.000Z',
  expiresAt: '2026-11-30T00:01:00.000Z',
  resolvedAt: null,
};

describe('battle schemas', () => {
  it('accepts a pending battle and refuses a fractional stake or an upper-case seed hash', () => {
    expect(Value.Check(Battle, pending)).toBe(true);
    expect(Value.Check(Battle, { ...pending, stake: 1.5 })).toBe(false);
    expect(Value.Check(Battle, { ...pending, seedHash: 'A'.repeat(64) })).toBe(false);
  });

  it('bounds client seeds: 1..64 visible ASCII characters, no ":"', () => {
    expect(Value.Check(ClientSeed, 'x')).toBe(true);
    expect(Value.Check(ClientSeed, 'Az09~!_-'.padEnd(64, 'q'))).toBe(true);
    for (const bad of ['', 'a'.repeat(65), 'a:b', 'a b', 'é', '\n'])
      expect(Value.Check(ClientSeed, bad)).toBe(false);
  });

  it('refuses unknown fields and negative stakes in a challenge', () => {
    const body = { opponentId: pending.opponentId, stake: 0 };
    expect(Value.Check(CreateBattleBody, body)).toBe(true);
    expect(Value.Check(CreateBattleBody, { ...body, stake: -1 })).toBe(false);
    expect(Value.Check(CreateBattleBody, { ...body, extra: 1 })).toBe(false);
  });
});

describe('WebSocket messages', () => {
  it('accepts the client messages and nothing else', () => {
    expect(Value.Check(ClientMessage, { type: 'auth', token: 't'.repeat(43) })).toBe(true);
    expect(Value.Check(ClientMessage, { type: 'ping' })).toBe(true);
    expect(Value.Check(ClientMessage, { type: 'auth' })).toBe(false);
    expect(Value.Check(ClientMessage, { type: 'ping', extra: true })).toBe(false);
    expect(Value.Check(ClientMessage, { type: 'hello' })).toBe(false);
  });

  it('describes every server message', () => {
    const messages = [
      { type: 'presence', playerId: pending.challengerId, online: true },
      { type: 'battle.challenge', battle: pending },
      { type: 'battle.resolved', battle: pending },
      { type: 'battle.cancelled', battle: { ...pending, status: 'expired' } },
      { type: 'balance', balance: 0 },
      { type: 'pong' },
      { type: 'error', code: ErrorCode.VALIDATION_ERROR, message: 'bad' },
    ];
    for (const message of messages) expect(Value.Check(ServerMessage, message)).toBe(true);
    expect(Value.Check(ServerMessage, { type: 'error', code: 'NOT_A_CODE', message: 'x' })).toBe(false);
    expect(Value.Check(ServerMessage, { type: 'balance', balance: -1 })).toBe(false);
  });

  it('types every bus channel with a schema', () => {
    expect(Value.Check(BusEvents.balance, { playerId: pending.opponentId, balance: 10 })).toBe(true);
    expect(Value.Check(BusEvents['battle.resolved'], { battle: pending })).toBe(true);
    expect(Value.Check(BusEvents.presence, { playerId: 'x', online: true })).toBe(false);
  });
});
