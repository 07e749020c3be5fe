/**
 * Which targets may serve a request, and in which order they are tried: compliance first
 * (sensitive requests keep only private targets; the plan never contains another), then the
 * model's strategy orders what is left. The first target is tried first; the rest are fallbacks.
 */
import type { Classification } from '../compliance/classification';
import type { ComplianceConfig } from '../config/compliance-schema';
import type { ModelRoute, TargetRuntime } from '../config/gateway-runtime';
import { GatewayError } from '../errors/gateway-error';
import type { HealthBoard } from './target-health';

/** What a request needs from a target (read by `cheapest-capable`). */
export interface RequestNeeds {
  readonly tools: boolean;
  readonly vision: boolean;
  readonly estimatedInputTokens: number;
  readonly maxOutputTokens: number;
}

export function compliantTargets(
  route: ModelRoute,
  classification: Classification,
  compliance: ComplianceConfig,
): readonly TargetRuntime[] {
  if (classification.dataClass !== 'sensitive') return route.targets;
  const reasons = classification.reasons.join(', ');
  if (compliance.onSensitive === 'block')
    throw new GatewayError(
      'compliance_blocked',
      `The request was classified sensitive (${reasons}) and this gateway refuses sensitive requests.`,
    );
  const privateTargets = route.targets.filter((t) => t.provider.private);
  if (privateTargets.length === 0)
    throw new GatewayError(
      'compliance_no_private_target',
      `The request was classified sensitive (${reasons}); model "${route.name}" has no private target, so it was not sent anywhere. Use a model served by a private provider.`,
      'model',
    );
  return privateTargets;
}

/** Efraimidis-Spirakis weighted shuffle: each target's key is u^(1/weight); higher keys go first. */
function weightedOrder(targets: readonly TargetRuntime[], random: () => number): TargetRuntime[] {
  return targets
    .map((target) => ({ target, key: Math.pow(random(), 1 / target.weight) }))
    .sort((a, b) => b.key - a.key)
    .map((entry) => entry.target);
}

function capable(target: TargetRuntime, needs: RequestNeeds): boolean {
  const caps = target.capabilities;
  if (!caps) return true;
  if (needs.tools && caps.tools === false) return false;
  if (needs.vision && caps.vision === false) return false;
  if (caps.contextWindow !== undefined && needs.estimatedInputTokens + needs.maxOutputTokens > caps.contextWindow) return false;
  return true;
}

/** Estimated USD for this request on `target`; targets without a price sort last. */
function estimatedCost(target: TargetRuntime, needs: RequestNeeds): number {
  const price = target.price;
  if (!price) return Infinity;
  return (needs.estimatedInputTokens * price.inputUsdPerMillion + needs.maxOutputTokens * price.outputUsdPerMillion) / 1e6;
}

function cheapestCapable(route: ModelRoute, targets: readonly TargetRuntime[], needs: RequestNeeds): TargetRuntime[] {
  const usable = targets.filter((t) => capable(t, needs));
  if (usable.length === 0) {
    const wanted = [
      needs.tools && 'tools',
      needs.vision && 'vision',
      `a context window of ${needs.estimatedInputTokens + needs.maxOutputTokens} tokens`,
    ]
      .filter(Boolean)
      .join(', ');
    throw new GatewayError(
      'unsupported_operation',
      `No target of model "${route.name}" declares what this request needs (${wanted}).`,
      'model',
    );
  }
  // Stable sort keeps config order among equal prices.
  return usable
    .map((target, i) => ({ target, i, cost: estimatedCost(target, needs) }))
    .sort((a, b) => a.cost - b.cost || a.i - b.i)
    .map((e) => e.target);
}

/** Unmeasured targets first (so they get measured), then by moving-average latency. */
function lowestLatency(targets: readonly TargetRuntime[], health: HealthBoard): TargetRuntime[] {
  return targets
    .map((target, i) => ({ target, i, latency: health.get(target.provider.name, target.upstreamModel).latencyMs ?? -1 }))
    .sort((a, b) => a.latency - b.latency || a.i - b.i)
    .map((e) => e.target);
}

export function orderTargets(
  route: ModelRoute,
  targets: readonly TargetRuntime[],
  needs: RequestNeeds,
  health: HealthBoard,
  random: () => number = Math.random,
): readonly TargetRuntime[] {
  switch (route.strategy) {
    case 'priority':
      return targets;
    case 'weighted':
      return targets.length > 1 ? weightedOrder(targets, random) : targets;
    case 'cheapest-capable':
      return cheapestCapable(route, targets, needs);
    case 'lowest-latency':
      return targets.length > 1 ? lowestLatency(targets, health) : targets;
  }
}
