import { generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import { signPlayback, signPublish, signSession, TokenError, verifyPlayback, verifyPublish, verifySession } from './tokens.js';

const S = 'session-secret-session-secret-session-secret';
const P = 'publish-secret-publish-secret-publish-secret';
const V = 'playback-secret-playback-secret-playback-sec';
const id = '6f1c1a0e-2b8e-4c55-9a53-5d7a3d0b9e11';

const reason = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    if (e instanceof TokenError) return e.reason;
    throw e;
  }
  return 'accepted';
};

describe('tokens', () => {
  it('round-trips each kind', () => {
    const sid = '0b7e2f0c-6c1d-4b1e-8f57-2a3c4d5e6f70';
    expect(verifySession(signSession({ userId: id, sessionId: sid }, S, 60), S)).toEqual({ userId: id, sessionId: sid });
    // No session id (a token from before server-side sessions), or one that is no uuid: malformed.
    const key = Buffer.from(S);
    expect(reason(() => verifySession(jwt.sign({ role: 'admin' }, key, { audience: 'session', issuer: 'ocp', subject: id }), S))).toBe('malformed');
    expect(reason(() => verifySession(jwt.sign({ sid: "x' OR 1=1" }, key, { audience: 'session', issuer: 'ocp', subject: id }), S))).toBe('malformed');
    expect(verifyPublish(signPublish({ streamId: id, keyVersion: 3 }, P), P)).toEqual({ streamId: id, keyVersion: 3 });
    const { token, exp } = signPlayback(id, V, 120, 1_000_000);
    expect(verifyPlayback(token, V, 1_000_050)).toEqual({ streamId: id, exp });
  });

  it('gives a stream the same key every time until its key version changes', () => {
    const a = signPublish({ streamId: id, keyVersion: 1 }, P);
    expect(signPublish({ streamId: id, keyVersion: 1 }, P)).toBe(a);
    expect(signPublish({ streamId: id, keyVersion: 2 }, P)).not.toBe(a);
  });

  it('refuses one kind of token used as another, even with a shared secret', () => {
    const publish = signPublish({ streamId: id, keyVersion: 1 }, 'same-secret');
    const playback = signPlayback(id, 'same-secret', 60).token;
    expect(reason(() => verifyPlayback(publish, 'same-secret'))).toBe('wrong_kind');
    expect(reason(() => verifyPublish(playback, 'same-secret'))).toBe('wrong_kind');
    expect(reason(() => verifySession(publish, 'same-secret'))).toBe('wrong_kind');
  });

  it('refuses alg none, RS256 and HS512 tokens', () => {
    const none = jwt.sign({ kv: 1 }, '', { algorithm: 'none', audience: 'publish', issuer: 'ocp', subject: id });
    expect(reason(() => verifyPublish(none, P))).toBe('invalid');
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const rs = jwt.sign({ kv: 1 }, privateKey, { algorithm: 'RS256', audience: 'publish', issuer: 'ocp', subject: id });
    expect(reason(() => verifyPublish(rs, P))).toBe('invalid');
    // RS/HS confusion: an HS256 token whose key is the public key PEM
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const confused = jwt.sign({ kv: 1 }, pem, { algorithm: 'HS256', audience: 'publish', issuer: 'ocp', subject: id });
    expect(reason(() => verifyPublish(confused, P))).toBe('invalid');
    const hs512 = jwt.sign({ kv: 1 }, P, { algorithm: 'HS512', audience: 'publish', issuer: 'ocp', subject: id });
    expect(reason(() => verifyPublish(hs512, P))).toBe('invalid');
  });

  it('refuses expired, future-dated, truncated, missing and foreign-issuer tokens', () => {
    const { token } = signPlayback(id, V, 60, 1_000_000);
    expect(reason(() => verifyPlayback(token, V, 1_000_061))).toBe('expired');
    const future = jwt.sign({ iat: 2_000_000, exp: 2_000_600 }, V, { audience: 'playback', issuer: 'ocp', subject: id });
    expect(reason(() => verifyPlayback(future, V, 1_000_000))).toBe('invalid');
    expect(reason(() => verifyPlayback(token.slice(0, token.length - 4), V, 1_000_001))).toBe('invalid');
    expect(reason(() => verifyPlayback(token.split('.').slice(0, 2).join('.'), V, 1_000_001))).toBe('malformed');
    expect(reason(() => verifyPlayback('', V))).toBe('missing');
    const foreign = jwt.sign({ kv: 1 }, P, { audience: 'publish', issuer: 'someone-else', subject: id });
    expect(reason(() => verifyPublish(foreign, P))).toBe('invalid');
    const noKv = jwt.sign({}, P, { audience: 'publish', issuer: 'ocp', subject: id });
    expect(reason(() => verifyPublish(noKv, P))).toBe('malformed');
  });
});
