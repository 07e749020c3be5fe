/**
 * The one place adapters are registered: one line per provider type. Config loading refuses a
 * provider whose type has no adapter here, naming the provider and the registered types.
 */
import { anthropicAdapter } from './anthropic/anthropic-adapter';
import { bedrockAdapter } from './bedrock/bedrock-adapter';
import type { ProviderAdapter, ProviderType } from './contract';
import { httpAdapter } from './http/http-adapter';
import { ollamaAdapter } from './ollama/ollama-adapter';
import { openaiAdapter } from './openai/openai-adapter';

export const providerAdapters: Readonly<Partial<Record<ProviderType, ProviderAdapter>>> = {
  openai: openaiAdapter,
  ollama: ollamaAdapter,
  anthropic: anthropicAdapter,
  bedrock: bedrockAdapter,
  http: httpAdapter,
};
