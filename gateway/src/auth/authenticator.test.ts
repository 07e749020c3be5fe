import { testKey } from '../../test/support/usage-upstream';
import { Authenticator, sameTextConstantTime } from './authenticator';

const A = testKey('a');
const B = testKey('b');
const KEY = A.key;
const OTHER = B.key;
const keyConfig = (id: string, { sha256 }: { sha256: string }) => ({ id, sha256, tenant: 'default', admin: false, models: ['*'] });

describe('Authenticator with a connection-remembered key', () => {
  const build = () => new Authenticator([keyConfig('a', A), keyConfig('b', B)] as never, false);

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
    const reloaded = new Authenticator([keyConfig('b', B)] as never, false);
    expect(() => reloaded.authenticate(`Bearer ${KEY}`, socket)).toThrow(expect.objectContaining({ code: 'invalid_api_key' }));
  });

  it('compares texts exactly', () => {
    expect(sameTextConstantTime('abc', 'abc')).toBe(true);
    expect(sameTextConstantTime('abc', 'abd')).toBe(false);
    expect(sameTextConstantTime('abc', 'abcd')).toBe(false);
    expect(sameTextConstantTime('', '')).toBe(true);
  });
});
