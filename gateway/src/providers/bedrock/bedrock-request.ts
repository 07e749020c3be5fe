/**
 * OpenAI chat requests as Bedrock Converse bodies (`POST /model/{modelId}/converse` and
 * `/converse-stream`; one shape for every model family on Bedrock). The differences it bridges:
 * - system and developer messages become `system` text blocks;
 * - roles alternate user/assistant: tool results become `toolResult` blocks of a user turn, and
 *   consecutive turns of one role are merged (tool results first);
 * - assistant tool calls become `toolUse` blocks with their arguments as objects;
 * - images must be inline (data URLs) in png, jpeg, gif or webp: Bedrock fetches no URLs;
 * - `max_tokens`, `temperature`, `top_p` and `stop` move to `inferenceConfig`;
 * - tools become `toolConfig.tools[].toolSpec`; tool_choice auto/required/named map to
 *   auto/any/tool. Bedrock has no "none": the tools are then left out, unless the conversation
 *   already holds tool calls (Bedrock requires `toolConfig` then) and the model decides;
 * - `response_format` becomes a forced JSON tool (json-mode-tool.ts).
 */
import { alternatingTurns, type Turn, type TurnBlocks } from '../alternating-turns';
import { messageParts, requireSingleChoice, stopSequences } from '../chat-content';
import { jsonModeTool } from '../json-mode-tool';
import type { ChatCompletionRequest, ChatMessage } from '../openai-types';
import { untranslatable } from '../upstream-errors';

export type BedrockBlock =
  | { text: string }
  | { image: { format: string; source: { bytes: string } } }
  | { toolUse: { toolUseId: string; name: string; input: Record<string, unknown> } }
  | { toolResult: { toolUseId: string; content: Array<{ text: string }> } };

export interface BedrockBody {
  messages: Array<Turn<BedrockBlock>>;
  system?: Array<{ text: string }>;
  inferenceConfig?: { maxTokens?: number; temperature?: number; topP?: number; stopSequences?: string[] };
  toolConfig?: {
    tools: Array<{ toolSpec: { name: string; description?: string; inputSchema: { json: Record<string, unknown> } } }>;
    toolChoice?: { auto: Record<string, never> } | { any: Record<string, never> } | { tool: { name: string } };
  };
}

const IMAGE_FORMATS: Readonly<Record<string, string>> = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/jpg': 'jpeg',
  'image/gif': 'gif',
  'image/webp': 'webp',
};

function contentBlocks(message: ChatMessage, at: string): BedrockBlock[] {
  return messageParts(message.content, at).map((part, p): BedrockBlock => {
    if (part.kind === 'text') return { text: part.text };
    const where = `${at}.content[${p}].image_url.url`;
    if (!part.inline) throw untranslatable(where, 'Bedrock takes images inline only: send a data: URL with base64 data');
    const format = IMAGE_FORMATS[part.inline.mediaType];
    if (!format) throw untranslatable(where, `Bedrock takes png, jpeg, gif or webp images, not ${part.inline.mediaType}`);
    return { image: { format, source: { bytes: part.inline.base64 } } };
  });
}

const BEDROCK_BLOCKS: TurnBlocks<BedrockBlock> = {
  content: contentBlocks,
  toolUse: (toolUseId, name, input) => ({ toolUse: { toolUseId, name, input } }),
  toolResult: (toolUseId, text) => ({ toolResult: { toolUseId, content: [{ text }] } }),
  isToolResult: (block) => 'toolResult' in block,
};

function inferenceConfig(request: ChatCompletionRequest): BedrockBody['inferenceConfig'] {
  const config: NonNullable<BedrockBody['inferenceConfig']> = {};
  const maxTokens = request.max_completion_tokens ?? request.max_tokens;
  if (typeof maxTokens === 'number') config.maxTokens = maxTokens;
  if (typeof request.temperature === 'number') config.temperature = request.temperature;
  if (typeof request.top_p === 'number') config.topP = request.top_p;
  const stop = stopSequences(request.stop);
  if (stop) config.stopSequences = stop;
  return Object.keys(config).length > 0 ? config : undefined;
}

function toolConfig(request: ChatCompletionRequest, messages: ReadonlyArray<Turn<BedrockBlock>>): BedrockBody['toolConfig'] {
  const tools: NonNullable<BedrockBody['toolConfig']>['tools'] = (request.tools ?? []).map((tool) => ({
    toolSpec: {
      name: tool.function.name,
      ...(tool.function.description ? { description: tool.function.description } : {}),
      inputSchema: { json: tool.function.parameters ?? { type: 'object', properties: {} } },
    },
  }));
  const json = jsonModeTool(request);
  if (json) {
    tools.push({ toolSpec: { name: json.name, description: json.description, inputSchema: { json: json.schema } } });
    return { tools, toolChoice: tools.length === 1 ? { tool: { name: json.name } } : { any: {} } };
  }
  if (tools.length === 0) return undefined;
  const choice = request.tool_choice;
  if (choice === 'none') {
    const historyHasTools = messages.some((turn) => turn.content.some((block) => 'toolUse' in block || 'toolResult' in block));
    return historyHasTools ? { tools } : undefined;
  }
  if (choice === 'required') return { tools, toolChoice: { any: {} } };
  if (typeof choice === 'object' && choice !== null) return { tools, toolChoice: { tool: { name: choice.function.name } } };
  return choice === 'auto' ? { tools, toolChoice: { auto: {} } } : { tools };
}

export function bedrockBody(request: ChatCompletionRequest): BedrockBody {
  requireSingleChoice(request.n);
  const { system, turns } = alternatingTurns(request.messages, BEDROCK_BLOCKS);
  const body: BedrockBody = { messages: turns };
  if (system.length > 0) body.system = system.map((text) => ({ text }));
  const config = inferenceConfig(request);
  if (config) body.inferenceConfig = config;
  const tools = toolConfig(request, body.messages);
  if (tools) body.toolConfig = tools;
  return body;
}
