/** Cost of a request in USD from the price table (per million tokens). */
import type { PriceConfig } from '../config/schema';
import type { TokenUsage } from '../providers/contract';

export function costUsd(usage: TokenUsage | undefined, price: PriceConfig | undefined): number {
  if (!usage || !price) return 0;
  const cached = Math.min(usage.cachedInputTokens ?? 0, usage.inputTokens);
  const cachedPrice = price.cachedInputUsdPerMillion ?? price.inputUsdPerMillion;
  return (
    ((usage.inputTokens - cached) * price.inputUsdPerMillion + cached * cachedPrice + usage.outputTokens * price.outputUsdPerMillion) / 1e6
  );
}
