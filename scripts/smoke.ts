/**
 * npm run smoke -- --url <edge URL> --key <api key> [--model <name>]... [--timeout <seconds>]
 *
 * Post-deploy check through the edge: lists the models the key may use, sends one short chat to
 * each (one embedding to a model that refuses the chat with 400, such as an embedding model) and
 * prints model, target, status and latency. Exit codes: 0 every model answered, 1 a model
 * (or the model list) failed, 2 usage error. The key may also come from SWITCHYARD_API_KEY, which
 * keeps it out of shell history. For a private CA (homelab), point NODE_EXTRA_CA_CERTS at it.
 */
import { parseArgs } from 'node:util';
import { formatSmokeTable, SmokeError, smokeCheck } from './smoke-check';

const USAGE = `usage: npm run smoke -- --url <edge URL> --key <api key> [--model <name>]... [--timeout <seconds>]
  --url      the platform's edge, e.g. https://ai.example.com (or a gateway URL)
  --key      a gateway API key (or set SWITCHYARD_API_KEY)
  --model    check only this model (repeatable; default: every model the key may use)
  --timeout  seconds one request may take (default 120: a cold model loads first)
  --prompt   the message sent to each model (default: a one-word reply)`;

class UsageError extends Error {}

function options(argv: readonly string[]) {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        url: { type: 'string' },
        key: { type: 'string' },
        model: { type: 'string', multiple: true },
        timeout: { type: 'string' },
        prompt: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return undefined;
  const url = values.url;
  if (!url) throw new UsageError('--url is required');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`--url ${JSON.stringify(url)} is not a URL; expected http(s)://host[:port]`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    throw new UsageError(`--url ${JSON.stringify(url)} must start with https:// or http://`);
  const apiKey = values.key ?? process.env.SWITCHYARD_API_KEY;
  if (!apiKey) throw new UsageError('--key is required (or set SWITCHYARD_API_KEY)');
  const timeoutSeconds = values.timeout === undefined ? 120 : Number(values.timeout);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0)
    throw new UsageError(`--timeout ${JSON.stringify(values.timeout)} is not a positive number of seconds`);
  return {
    url,
    apiKey,
    timeoutMs: timeoutSeconds * 1000,
    prompt: values.prompt ?? 'Reply with the single word: pong',
    models: values.model ?? [],
  };
}

async function main(argv: readonly string[]): Promise<number> {
  let parsed;
  try {
    parsed = options(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n${USAGE}`);
    return 2;
  }
  if (!parsed) {
    console.log(USAGE);
    return 0;
  }
  try {
    const results = await smokeCheck(parsed);
    console.log(formatSmokeTable(results));
    return results.every((r) => r.ok) ? 0 : 1;
  } catch (error) {
    if (!(error instanceof SmokeError)) throw error;
    console.error(`smoke check failed: ${error.message}`);
    return 1;
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
