/**
 * GET /v1/spend (admin keys only; 401 without a valid key, 403 for other keys): spend of the
 * current UTC month, or of `?period=YYYY-MM`, by API key, tenant and client model, with budgets
 * and what remains of them. Costs come from the price table when each request settled.
 *
 *   { "object": "spend", "period": "2025-06", "start": "...", "end": "...", "currency": "USD",
 *     "keys":    [{ "id", "spendUsd", "requests", "inputTokens", "outputTokens", "budgetUsd"?, "remainingUsd"? }],
 *     "tenants": [ same ], "models": [{ "id", "spendUsd", "requests", "inputTokens", "outputTokens" }] }
 *
 * Rows are sorted by spend, highest first; keys and tenants with a budget are listed even at 0.
 */
import type { IncomingMessage } from 'node:http';
import { GatewayError } from '../errors/gateway-error';
import type { ExtraRoute } from '../pipeline/stages';
import { PERIOD_PATTERN, periodBounds, periodOf, spendKey } from './billing-period';
import type { BudgetSpec } from './limit-book';
import { type SpendRow, spendRows } from './spend-fields';
import type { StateFaults } from './state-faults';
import type { StateGuard } from './state-guard';
import type { StateStore } from './state-store';

interface SpendLine extends SpendRow {
  id: string;
  budgetUsd?: number;
  remainingUsd?: number;
}

function requestedPeriod(request: IncomingMessage): string {
  const query = new URL(request.url ?? '/', 'http://gateway').searchParams;
  const period = query.get('period');
  if (period === null) return periodOf(Date.now());
  if (!PERIOD_PATTERN.test(period))
    throw new GatewayError(
      'invalid_request',
      `Invalid 'period': got ${JSON.stringify(period)}; expected a UTC month as YYYY-MM, e.g. ${periodOf(Date.now())}.`,
      'period',
    );
  return period;
}

function lines(rows: ReadonlyMap<string, SpendRow>, budgets: readonly BudgetSpec[]): SpendLine[] {
  const out = new Map<string, SpendLine>();
  for (const [id, row] of rows) out.set(id, { id, ...row });
  for (const budget of budgets) {
    const line = out.get(budget.id) ?? { id: budget.id, spendUsd: 0, requests: 0, inputTokens: 0, outputTokens: 0 };
    line.budgetUsd = budget.limitUsd;
    line.remainingUsd = budget.limitUsd - line.spendUsd;
    out.set(budget.id, line);
  }
  return [...out.values()].sort((a, b) => b.spendUsd - a.spendUsd || a.id.localeCompare(b.id));
}

export function spendRoute(store: StateStore, guard: StateGuard, faults: StateFaults): ExtraRoute {
  return {
    operation: 'spend',
    method: 'GET',
    path: '/v1/spend',
    access: 'admin',
    async handle(request) {
      const period = requestedPeriod(request);
      let hash: Record<string, number>;
      try {
        hash = await store.readSpend(spendKey(period));
      } catch (error) {
        faults.report('spend', 'error', error);
        throw new GatewayError(
          'state_unavailable',
          'Spend cannot be read right now: the state backend is unavailable. Try again shortly.',
          null,
          { 'retry-after': '1' },
        );
      }
      const budgets = guard.limits.budgets;
      if (period === periodOf(Date.now()))
        guard.setBudgetGauges(
          budgets,
          budgets.map((b) => hash[b.costField] ?? 0),
        );
      const rows = spendRows(hash);
      return {
        status: 200,
        body: {
          object: 'spend',
          period,
          ...periodBounds(period),
          currency: 'USD',
          keys: lines(
            rows.k,
            budgets.filter((b) => b.scope === 'key'),
          ),
          tenants: lines(
            rows.t,
            budgets.filter((b) => b.scope === 'tenant'),
          ),
          models: lines(rows.m, []),
        },
      };
    },
  };
}
