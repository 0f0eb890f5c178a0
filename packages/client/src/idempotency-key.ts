/**
 * Idempotency keys for money moves. `crypto.randomUUID` exists in Node and in browsers, but browsers
 * hide it outside secure contexts (a game served over plain http on a LAN), while `getRandomValues`
 * stays available; so a v4 UUID is built from it when needed. Never Math.random: two players' keys
 * colliding is harmless (keys are scoped per player) but one player's keys must not repeat.
 */
export function newIdempotencyKey(): string {
  const webCrypto = globalThis.crypto as Crypto | undefined;
  if (typeof webCrypto?.randomUUID === 'function') return webCrypto.randomUUID();
  if (typeof webCrypto?.getRandomValues !== 'function') {
    throw new Error('No secure random source: pass newIdempotencyKey in the client options');
  }
  const bytes = webCrypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A provably-fair client seed: 16 random bytes as 32 hex digits (fits ClientSeed: 1..64, no ':'). */
export function newClientSeed(): string {
  const webCrypto = globalThis.crypto as Crypto | undefined;
  if (typeof webCrypto?.getRandomValues !== 'function') {
    throw new Error('No secure random source: pass newClientSeed in the client options');
  }
  return Array.from(webCrypto.getRandomValues(new Uint8Array(16)), (b) =>
    b.toString(16).padStart(2, '0'),
  ).join('');
}
