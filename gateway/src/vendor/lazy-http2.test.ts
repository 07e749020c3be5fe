import { readFileSync } from 'node:fs';
import * as http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { connect, constants } from './lazy-http2';

describe('lazy node:http2 for undici', () => {
  it("has exactly the constants undici's HTTP/2 client reads, each equal to node:http2's", () => {
    const source = readFileSync(require.resolve('undici/lib/dispatcher/client-h2.js'), 'utf8');
    const block = /const \{\s*constants: \{([^}]*)\}\s*\} = http2/.exec(source);
    expect(block).not.toBeNull();
    const names = block![1]
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean);
    expect(names).toContain('HTTP2_HEADER_AUTHORITY');
    expect(Object.keys(constants).sort()).toEqual([...names].sort());
    const real = http2.constants as unknown as Record<string, unknown>;
    for (const name of names) expect([name, (constants as Record<string, unknown>)[name]]).toEqual([name, real[name]]);
  });

  it('connect opens a real HTTP/2 session through node:http2', async () => {
    const server = http2.createServer((req, res) => res.end(`${req.method} ${req.url}`));
    // server.close() waits for open sessions; the server's side is closed below, or it outlives the test.
    const serverSessions = new Set<http2.ServerHttp2Session>();
    server.on('session', (s) => serverSessions.add(s));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const session = connect(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    try {
      const answer = await new Promise<string>((resolve, reject) => {
        const stream = session.request({ ':method': 'GET', ':path': '/probe' });
        let text = '';
        stream.setEncoding('utf8');
        stream.on('data', (part: string) => (text += part));
        stream.on('end', () => resolve(text));
        stream.on('error', reject);
      });
      expect(answer).toBe('GET /probe');
    } finally {
      await new Promise<void>((resolve) => session.close(resolve));
      for (const s of serverSessions) s.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
