/**
 * OpenAI messages as the alternating user/assistant turns of providers that structure a
 * conversation that way (anthropic, bedrock): system and developer messages are taken out (the
 * providers take them apart), tool results join the user side, assistant tool calls become
 * blocks with their arguments as objects, and consecutive turns of one role are merged, tool
 * results first (they must open the turn after the call). The provider's block shapes come from
 * `TurnBlocks`.
 */
import { textOnlyContent, toolArguments } from './chat-content';
import type { ChatMessage } from './openai-types';
import { untranslatable } from './upstream-errors';

export interface Turn<Block> {
  role: 'user' | 'assistant';
  content: Block[];
}

/** How one provider writes the blocks of a turn. */
export interface TurnBlocks<Block> {
  /** A user or assistant message's content (text and images); `at` names it in errors. */
  content(message: ChatMessage, at: string): Block[];
  toolUse(id: string, name: string, input: Record<string, unknown>): Block;
  toolResult(toolCallId: string, text: string): Block;
  isToolResult(block: Block): boolean;
}

export interface Conversation<Block> {
  /** The text of system and developer messages, in order. */
  readonly system: string[];
  readonly turns: Array<Turn<Block>>;
}

function turnOf<Block>(message: ChatMessage, at: string, blocks: TurnBlocks<Block>, system: string[]): Turn<Block> | undefined {
  switch (message.role) {
    case 'system':
    case 'developer':
      system.push(textOnlyContent(message.content, at));
      return undefined;
    case 'user':
      return { role: 'user', content: blocks.content(message, at) };
    case 'assistant': {
      const content = blocks.content(message, at);
      (message.tool_calls ?? []).forEach((call, c) => {
        content.push(
          blocks.toolUse(call.id, call.function.name, toolArguments(call.function.arguments, `${at}.tool_calls[${c}].function.arguments`)),
        );
      });
      return { role: 'assistant', content };
    }
    case 'tool':
      if (typeof message.tool_call_id !== 'string' || message.tool_call_id.length === 0)
        throw untranslatable(`${at}.tool_call_id`, 'tool results need the id of the call they answer');
      return { role: 'user', content: [blocks.toolResult(message.tool_call_id, textOnlyContent(message.content, at))] };
    default:
      throw untranslatable(
        `${at}.role`,
        `role ${JSON.stringify(message.role)} is not supported by this provider; use tool messages for tool results`,
      );
  }
}

export function alternatingTurns<Block>(messages: readonly ChatMessage[], blocks: TurnBlocks<Block>): Conversation<Block> {
  const system: string[] = [];
  const turns: Array<Turn<Block>> = [];
  messages.forEach((message, i) => {
    const turn = turnOf(message, `messages[${i}]`, blocks, system);
    if (!turn) return;
    const last = turns[turns.length - 1];
    if (last && last.role === turn.role) last.content.push(...turn.content);
    else turns.push(turn);
  });
  for (const turn of turns) {
    if (turn.role === 'user')
      turn.content = [...turn.content.filter((b) => blocks.isToolResult(b)), ...turn.content.filter((b) => !blocks.isToolResult(b))];
  }
  return { system, turns };
}
