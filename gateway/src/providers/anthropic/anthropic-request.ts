/**
 * OpenAI chat requests as Anthropic Messages API bodies (POST /v1/messages, API version
 * 2023-06-01). The differences it bridges:
 * - system and developer messages, wherever they are, join the top-level `system`;
 * - roles alternate user/assistant: tool results become `tool_result` blocks of a user turn, and
 *   consecutive turns of one role are merged (tool results first, as Anthropic requires);
 * - assistant tool calls become `tool_use` blocks with their arguments as objects;
 * - images become `image` blocks (base64 from data URLs, or by URL);
 * - `max_tokens` is required: the client's, else DEFAULT_MAX_TOKENS;
 * - tools take `input_schema`; tool_choice auto/required/none/named map to auto/any/none/tool,
 *   and `parallel_tool_calls: false` to `disable_parallel_tool_use`;
 * - `response_format` becomes a forced JSON tool (json-mode-tool.ts).
 */
import { alternatingTurns, type Turn, type TurnBlocks } from '../alternating-turns';
import { messageParts, requireSingleChoice, stopSequences } from '../chat-content';
import { jsonModeTool } from '../json-mode-tool';
import type { ChatCompletionRequest, ChatMessage } from '../openai-types';

/**
 * `max_tokens` sent when the client gave none (Anthropic requires one). 4096 is the largest value
 * every Claude model accepts (Claude 3 Haiku's output limit); clients wanting longer answers from
 * newer models set `max_tokens` or `max_completion_tokens` themselves.
 */
export const DEFAULT_MAX_TOKENS = 4096;

export type AnthropicBlock =
  | { type: 'text'; text: string }
  | { type: 'image'; source: { type: 'base64'; media_type: string; data: string } | { type: 'url'; url: string } }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> }
  | { type: 'tool_result'; tool_use_id: string; content: string };

export type AnthropicMessage = Turn<AnthropicBlock>;

export interface AnthropicBody {
  model: string;
  max_tokens: number;
  messages: AnthropicMessage[];
  system?: string;
  stream?: boolean;
  temperature?: number;
  top_p?: number;
  stop_sequences?: string[];
  tools?: Array<{ name: string; description?: string; input_schema: Record<string, unknown> }>;
  tool_choice?: { type: 'auto' | 'any' | 'none' | 'tool'; name?: string; disable_parallel_tool_use?: boolean };
  metadata?: { user_id: string };
}

function contentBlocks(message: ChatMessage, at: string): AnthropicBlock[] {
  return messageParts(message.content, at).map((part): AnthropicBlock => {
    if (part.kind === 'text') return { type: 'text', text: part.text };
    if (part.inline) return { type: 'image', source: { type: 'base64', media_type: part.inline.mediaType, data: part.inline.base64 } };
    return { type: 'image', source: { type: 'url', url: part.url! } };
  });
}

const ANTHROPIC_BLOCKS: TurnBlocks<AnthropicBlock> = {
  content: contentBlocks,
  toolUse: (id, name, input) => ({ type: 'tool_use', id, name, input }),
  toolResult: (toolCallId, text) => ({ type: 'tool_result', tool_use_id: toolCallId, content: text }),
  isToolResult: (block) => block.type === 'tool_result',
};

function toolChoice(request: ChatCompletionRequest): AnthropicBody['tool_choice'] {
  const choice = request.tool_choice;
  let result: AnthropicBody['tool_choice'];
  if (choice === 'auto') result = { type: 'auto' };
  else if (choice === 'required') result = { type: 'any' };
  else if (choice === 'none') return { type: 'none' };
  else if (typeof choice === 'object' && choice !== null) result = { type: 'tool', name: choice.function?.name };
  if (request.parallel_tool_calls === false) result = { ...(result ?? { type: 'auto' }), disable_parallel_tool_use: true };
  return result;
}

export function anthropicBody(request: ChatCompletionRequest, model: string): AnthropicBody {
  requireSingleChoice(request.n);
  const { system, turns } = alternatingTurns(request.messages, ANTHROPIC_BLOCKS);
  const body: AnthropicBody = {
    model,
    max_tokens: request.max_completion_tokens ?? request.max_tokens ?? DEFAULT_MAX_TOKENS,
    messages: turns,
  };
  if (system.length > 0) body.system = system.join('\n\n');
  if (request.stream) body.stream = true;
  if (typeof request.temperature === 'number') body.temperature = request.temperature;
  if (typeof request.top_p === 'number') body.top_p = request.top_p;
  const stop = stopSequences(request.stop);
  if (stop) body.stop_sequences = stop;
  if (typeof request.user === 'string' && request.user.length > 0) body.metadata = { user_id: request.user };

  const tools = (request.tools ?? []).map((tool) => ({
    name: tool.function.name,
    ...(tool.function.description ? { description: tool.function.description } : {}),
    input_schema: tool.function.parameters ?? { type: 'object', properties: {} },
  }));
  const choice = toolChoice(request);
  const json = jsonModeTool(request);
  if (json) {
    tools.push({ name: json.name, description: json.description, input_schema: json.schema });
    // Alone, the JSON tool is forced; beside the client's tools, some tool call is.
    body.tool_choice = tools.length === 1 ? { type: 'tool', name: json.name } : { type: 'any' };
  } else if (choice && tools.length > 0) body.tool_choice = choice;
  if (tools.length > 0) body.tools = tools;
  return body;
}
