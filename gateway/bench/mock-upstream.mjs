// A fast OpenAI-compatible upstream for the benchmark, run in its own process so its CPU is not the
// gateway's. Every response is built once at startup; a request costs reading its body and one
// write (non-streaming) or a handful of writes (streaming). Prints `listening <port>` when ready.
//   node bench/mock-upstream.mjs [--port 0]
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { port: { type: 'string', default: '0' } } });

const created = 1733100000;
const usage = { prompt_tokens: 24, completion_tokens: 8, total_tokens: 32 };
const completion = Buffer.from(
  JSON.stringify({
    id: 'chatcmpl-bench',
    object: 'chat.completion',
    created,
    model: 'gpt-4o-mini-2024-07-18',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: 'Paris is the capital of France.', refusal: null },
        logprobs: null,
        finish_reason: 'stop',
      },
    ],
    usage,
    system_fingerprint: 'fp_bench',
  }),
);
const chunk = (delta, finish = null) => ({
  id: 'chatcmpl-bench',
  object: 'chat.completion.chunk',
  created,
  model: 'gpt-4o-mini-2024-07-18',
  system_fingerprint: 'fp_bench',
  choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
});
const frames = [
  chunk({ role: 'assistant', content: '', refusal: null }),
  ...['Paris', ' is the', ' capital', ' of France', '.'].map((content) => chunk({ content })),
  chunk({}, 'stop'),
].map((c) => `data: ${JSON.stringify(c)}\n\n`);
const usageFrame = `data: ${JSON.stringify({ ...chunk({}), choices: [], usage })}\n\n`;
// Two writes: the first frame alone (so time to first byte is measurable), then the rest.
const streamHead = Buffer.from(frames[0]);
const streamTail = (withUsage) => Buffer.from(frames.slice(1).join('') + (withUsage ? usageFrame : '') + 'data: [DONE]\n\n');
const tailWithUsage = streamTail(true);
const tailWithoutUsage = streamTail(false);
const models = Buffer.from(JSON.stringify({ object: 'list', data: [{ id: 'gpt-4o-mini', object: 'model', created, owned_by: 'bench' }] }));

const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
  if (req.method === 'GET') {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': models.length });
    res.end(models);
    return;
  }
  const parts = [];
  req.on('data', (part) => parts.push(part));
  req.on('end', () => {
    const body = parts.length === 1 ? parts[0] : Buffer.concat(parts);
    // The benchmark's requests are compact JSON; a substring test keeps the mock cheap.
    if (body.includes('"stream":true')) {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.write(streamHead);
      res.end(body.includes('"include_usage":true') ? tailWithUsage : tailWithoutUsage);
    } else {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': completion.length });
      res.end(completion);
    }
  });
});
server.listen(Number(values.port), '127.0.0.1', () => process.stdout.write(`listening ${server.address().port}\n`));
process.on('SIGTERM', () => process.exit(0));
