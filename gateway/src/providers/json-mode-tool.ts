/**
 * JSON mode for providers without one (anthropic, bedrock): `response_format` becomes a tool whose
 * input schema is the wanted JSON, and the model is made to call it. Both providers document this
 * as their way to get schema-shaped JSON. The call's input then comes back to the client as the
 * message content, and the finish reason as `stop`, so the client sees ordinary JSON mode.
 */
import type { ChatCompletionRequest } from './openai-types';
import { untranslatable } from './upstream-errors';

/** The tool's name; a client tool of the same name is refused, so answers are never ambiguous. */
export const JSON_MODE_TOOL_NAME = 'json_response';

export interface JsonModeTool {
  readonly name: string;
  readonly description: string;
  readonly schema: Record<string, unknown>;
}

/** The tool standing for the request's `response_format`, or undefined when it asks for text. */
export function jsonModeTool(request: ChatCompletionRequest): JsonModeTool | undefined {
  const format = request.response_format;
  if (!format || format.type === 'text') return undefined;
  if (request.tools?.some((tool) => tool.function.name === JSON_MODE_TOOL_NAME))
    throw untranslatable('tools', `the tool name "${JSON_MODE_TOOL_NAME}" is reserved for JSON mode on this provider`);
  if (format.type === 'json_object')
    return { name: JSON_MODE_TOOL_NAME, description: 'Respond to the user with a JSON object.', schema: { type: 'object' } };
  const spec = (format.json_schema ?? {}) as { name?: unknown; description?: unknown; schema?: unknown };
  const schema = spec.schema as Record<string, unknown> | undefined;
  if (typeof schema !== 'object' || schema === null || schema.type !== 'object')
    throw untranslatable('response_format.json_schema.schema', 'this provider takes JSON schemas whose top level is {"type": "object"}');
  const described = typeof spec.description === 'string' ? ` ${spec.description}` : '';
  const named = typeof spec.name === 'string' ? ` (${spec.name})` : '';
  return { name: JSON_MODE_TOOL_NAME, description: `Respond to the user with JSON matching this schema${named}.${described}`, schema };
}
