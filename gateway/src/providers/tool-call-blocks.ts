/**
 * Tool calls streamed as content blocks (anthropic, bedrock) as OpenAI tool-call deltas. A
 * provider numbers blocks across text and tool calls; OpenAI numbers tool calls alone, so block 1
 * after a text block is tool call 0. A call opens with its id, type and name (arguments empty) and
 * continues with argument fragments only. The JSON-mode tool's input is the answer's content.
 */
import { textChunk, toolCallChunk } from './chat-chunks';
import type { StreamContext } from './contract';
import { JSON_MODE_TOOL_NAME } from './json-mode-tool';
import type { ChatCompletionChunk } from './openai-types';

type BlockRole = { readonly tool: number } | { readonly json: true };

export class ToolCallBlocks {
  private readonly blocks = new Map<number, BlockRole>();
  private opened = 0;

  constructor(private readonly context: StreamContext) {}

  /** Whether the answer called a client tool (the JSON-mode tool does not count). */
  get calledTools(): boolean {
    return this.opened > 0;
  }

  /** A tool-use block started; returns the chunk opening its tool call, if it is a client tool. */
  open(block: number, id: string | undefined, name: string | undefined): ChatCompletionChunk | undefined {
    if (name === JSON_MODE_TOOL_NAME) {
      this.blocks.set(block, { json: true });
      return undefined;
    }
    const tool = this.opened++;
    this.blocks.set(block, { tool });
    return toolCallChunk(this.context, { index: tool, id, type: 'function', function: { name: name ?? '', arguments: '' } });
  }

  /** A fragment of a tool-use block's JSON input; undefined for empty fragments or unknown blocks. */
  fragment(block: number, json: string): ChatCompletionChunk | undefined {
    const role = this.blocks.get(block);
    if (!role || json.length === 0) return undefined;
    return 'json' in role
      ? textChunk(this.context, json)
      : toolCallChunk(this.context, { index: role.tool, function: { arguments: json } });
  }
}
