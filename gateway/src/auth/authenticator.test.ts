import { createHash } from 'node:crypto';
import { Authenticator, sameTextConstantTime } from './authenticator';

const KEY = 'sk-test-0123456789abcdef';
const OTHER = 'sk-test-fedcba9876543210';
const keyConfig = (id: string, key: string) => ({
  id,
  sha256: createHash('sha256').update(key).digest('hex'),
  tenant: 'default',
  admin: false,
  models: ['*'],
});

describe('Authenticator with a connection-remembered key', () => {
  const build = () => new Authenticator([keyConfig('a', KEY), keyConfig('b', OTHER)] as never, false);

  it('accepts the remembered header again and a different valid key on the same socket', () => {
    const auth = build();
    const socket = {};
    expect(auth.authenticate(`Bearer ${KEY}`, socket).keyId).toBe('a');
    expect(auth.authenticate(`Bearer ${KEY}`, socket).keyId).toBe('a');
    expect(auth.authenticate(`Bearer ${OTHER}`, socket).keyId).toBe('b');
    expect(auth.authenticate(`Bearer ${KEY}`, socket).keyId).toBe('a');
  });

  it('never lets a remembered key admit a wrong or missing header on the same socket', () => {
    const auth = build();
    const socket = {};
    auth.authenticate(`Bearer ${KEY}`, socket);
    const wrong = `Bearer ${KEY.slice(0, -1)}x`;
    expect(() => auth.authenticate(wrong, socket)).toThrow(expect.objectContaining({ code: 'invalid_api_key' }));
    expect(() => auth.authenticate(undefined, socket)).toThrow(expect.objectContaining({ code: 'missing_api_key' }));
    // The failure did not replace the remembered key.
    expect(auth.authenticate(`Bearer ${KEY}`, socket).keyId).toBe('a');
  });

  it('forgets a key once a reload builds a new Authenticator without it', () => {
    const socket = {};
    build().authenticate(`Bearer ${KEY}`, socket);
    const reloaded = new Authenticator([keyConfig('b', OTHER)] as never, false);
    expect(() => reloaded.authenticate(`Bearer ${KEY}`, socket)).toThrow(expect.objectContaining({ code: 'invalid_api_key' }));
  });

  it('compares texts exactly', () => {
    expect(sameTextConstantTime('abc', 'abc')).toBe(true);
    expect(sameTextConstantTime('abc', 'abd')).toBe(false);
    expect(sameTextConstantTime('abc', 'abcd')).toBe(false);
    expect(sameTextConstantTime('', '')).toBe(true);
  });
});
