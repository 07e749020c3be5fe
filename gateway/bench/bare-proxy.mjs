// The practical limit of a Node gateway on this machine: a pass-through proxy with no features at
// all (no auth, parsing, limits, metrics or logs), node:http in, one pooled undici client out.
// Prints `listening <port>` when ready.   node bench/bare-proxy.mjs --upstream http://127.0.0.1:PORT
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';

const { values } = parseArgs({ options: { port: { type: 'string', default: '0' }, upstream: { type: 'string' } } });
if (!values.upstream) throw new Error('--upstream is required');
const pool = new Pool(values.upstream, { connections: 128, pipelining: 1, keepAliveTimeout: 60_000 });

const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
  const parts = [];
  req.on('data', (part) => parts.push(part));
  req.on('end', () => {
    pool.request({ method: req.method, path: req.url, headers: { 'content-type': 'application/json' }, body: Buffer.concat(parts) }).then(
      ({ statusCode, headers, body }) => {
        res.writeHead(statusCode, { 'content-type': headers['content-type'] });
        body.on('data', (part) => res.write(part));
        body.on('end', () => res.end());
      },
      () => {
        res.writeHead(502);
        res.end();
      },
    );
  });
});
server.listen(Number(values.port), '127.0.0.1', () => process.stdout.write(`listening ${server.address().port}\n`));
process.on('SIGTERM', () => process.exit(0));
