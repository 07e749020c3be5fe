/**
 * Request bodies parsed and checked by hand (this runs on every request; a schema library would
 * copy the body). Each failure is a 400 naming the parameter (`param`) as OpenAI does:
 * `messages[0].role`, `tools[1].function.name`. Unknown fields pass through untouched.
 */
import { GatewayError } from '../errors/gateway-error';
import type { ChatCompletionRequest, EmbeddingsRequest } from '../providers/openai-types';
import type { InferRequest } from './stages';

const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool', 'function']);
const RESPONSE_FORMATS = new Set(['text', 'json_object', 'json_schema']);
const ENCODING_FORMATS = new Set(['float', 'base64']);

function invalid(param: string, message: string): GatewayError {
  return new GatewayError('invalid_request', message, param);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses a JSON object body; 400 `invalid_json` when it is not one. */
export function parseJsonObject(body: Buffer): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw new GatewayError('invalid_json', 'The request body is not valid JSON.');
  }
  if (!isObject(value)) throw new GatewayError('invalid_json', 'The request body must be a JSON object.');
  return value;
}

function requireModel(body: Record<string, unknown>): void {
  if (typeof body.model !== 'string' || body.model.length === 0)
    throw invalid('model', "Missing or invalid 'model': expected a non-empty string.");
}

function checkNumber(body: Record<string, unknown>, name: string, min: number, max: number, integer = false): void {
  const value = body[name];
  if (value === undefined || value === null) return;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value)))
    throw invalid(
      name,
      `Invalid '${name}': expected ${integer ? 'an integer' : 'a number'} from ${min} to ${max}, got ${JSON.stringify(value)}.`,
    );
}

function checkMessage(message: unknown, i: number): void {
  const at = `messages[${i}]`;
  if (!isObject(message)) throw invalid(at, `Invalid '${at}': expected an object.`);
  if (typeof message.role !== 'string' || !ROLES.has(message.role))
    throw invalid(
      `${at}.role`,
      `Invalid '${at}.role': expected one of system, developer, user, assistant, tool, got ${JSON.stringify(message.role)}.`,
    );
  const content = message.content;
  if (Array.isArray(content)) {
    content.forEach((part, p) => {
      if (!isObject(part) || typeof part.type !== 'string')
        throw invalid(`${at}.content[${p}]`, `Invalid '${at}.content[${p}]': expected an object with a string 'type'.`);
    });
  } else if (typeof content !== 'string' && !(content === null || content === undefined)) {
    throw invalid(`${at}.content`, `Invalid '${at}.content': expected a string, an array of content parts, or null.`);
  } else if ((content === null || content === undefined) && message.role !== 'assistant') {
    throw invalid(`${at}.content`, `Missing '${at}.content': only assistant messages may omit content.`);
  }
}

function checkTools(tools: unknown): void {
  if (tools === undefined || tools === null) return;
  if (!Array.isArray(tools)) throw invalid('tools', "Invalid 'tools': expected an array.");
  tools.forEach((tool, i) => {
    if (!isObject(tool) || tool.type !== 'function') throw invalid(`tools[${i}].type`, `Invalid 'tools[${i}].type': expected "function".`);
    const fn = tool.function;
    if (!isObject(fn) || typeof fn.name !== 'string' || fn.name.length === 0)
      throw invalid(`tools[${i}].function.name`, `Missing 'tools[${i}].function.name': expected a non-empty string.`);
  });
}

export function parseChatRequest(body: Buffer): ChatCompletionRequest {
  const request = parseJsonObject(body);
  requireModel(request);
  const { messages } = request;
  if (!Array.isArray(messages) || messages.length === 0)
    throw invalid('messages', "Invalid 'messages': expected a non-empty array of messages.");
  messages.forEach(checkMessage);
  if (request.stream !== undefined && request.stream !== null && typeof request.stream !== 'boolean')
    throw invalid('stream', "Invalid 'stream': expected a boolean.");
  if (request.stream_options !== undefined && request.stream_options !== null) {
    if (!request.stream) throw invalid('stream_options', "Invalid 'stream_options': only allowed when 'stream' is true.");
    if (!isObject(request.stream_options)) throw invalid('stream_options', "Invalid 'stream_options': expected an object.");
    const include = request.stream_options.include_usage;
    if (include !== undefined && typeof include !== 'boolean')
      throw invalid('stream_options.include_usage', "Invalid 'stream_options.include_usage': expected a boolean.");
  }
  checkTools(request.tools);
  const format = request.response_format;
  if (
    format !== undefined &&
    format !== null &&
    (!isObject(format) || typeof format.type !== 'string' || !RESPONSE_FORMATS.has(format.type))
  )
    throw invalid('response_format.type', "Invalid 'response_format.type': expected one of text, json_object, json_schema.");
  checkNumber(request, 'max_tokens', 1, Number.MAX_SAFE_INTEGER, true);
  checkNumber(request, 'max_completion_tokens', 1, Number.MAX_SAFE_INTEGER, true);
  checkNumber(request, 'temperature', 0, 2);
  checkNumber(request, 'top_p', 0, 1);
  checkNumber(request, 'n', 1, 128, true);
  return request as unknown as ChatCompletionRequest;
}

export function parseEmbeddingsRequest(body: Buffer): EmbeddingsRequest {
  const request = parseJsonObject(body);
  requireModel(request);
  const { input } = request;
  const valid =
    (typeof input === 'string' && input.length > 0) ||
    (Array.isArray(input) &&
      input.length > 0 &&
      (input.every((item) => typeof item === 'string') ||
        input.every((item) => typeof item === 'number') ||
        input.every((item) => Array.isArray(item) && item.every((n) => typeof n === 'number'))));
  if (!valid)
    throw invalid(
      'input',
      "Invalid 'input': expected a non-empty string, array of strings, array of token ids, or array of token id arrays.",
    );
  if (request.encoding_format !== undefined && !ENCODING_FORMATS.has(request.encoding_format as string))
    throw invalid('encoding_format', "Invalid 'encoding_format': expected float or base64.");
  checkNumber(request, 'dimensions', 1, 65536, true);
  return request as unknown as EmbeddingsRequest;
}

export function parseInferRequest(body: Buffer): InferRequest {
  const request = parseJsonObject(body);
  requireModel(request);
  if (!('payload' in request)) throw invalid('payload', "Missing 'payload': the body must be { model, payload }.");
  return request as unknown as InferRequest;
}

/** POST /chat (the seed's contract): `{ prompt, model }`. */
export function parseSimpleChatRequest(body: Buffer): ChatCompletionRequest {
  const request = parseJsonObject(body);
  requireModel(request);
  if (typeof request.prompt !== 'string' || request.prompt.length === 0)
    throw invalid('prompt', "Missing or invalid 'prompt': expected a non-empty string.");
  return { model: request.model as string, messages: [{ role: 'user', content: request.prompt }] };
}
