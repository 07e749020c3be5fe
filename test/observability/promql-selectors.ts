/**
 * What a PromQL expression selects, read with Prometheus's own grammar (@prometheus-io/lezer-promql,
 * the parser of the Prometheus web UI): syntax errors, and each vector selector's metric name and
 * label names. Grafana's `$__rate_interval`-style macros are replaced by a duration first.
 */
import { parser } from '@prometheus-io/lezer-promql';

export interface Selector {
  readonly metric: string;
  readonly labels: readonly string[];
}

export interface ParsedQuery {
  /** Text around each syntax error; empty when the expression parses. */
  readonly errors: readonly string[];
  readonly selectors: readonly Selector[];
}

const GRAFANA_MACROS = /\$__(rate_interval|interval|range)/g;

/** The expression with Grafana's interval macros replaced by a duration, as Prometheus would see it. */
export function withoutGrafanaMacros(expr: string): string {
  return expr.replace(GRAFANA_MACROS, '5m');
}

export function parsePromql(expr: string): ParsedQuery {
  const text = withoutGrafanaMacros(expr);
  const errors: string[] = [];
  const selectors: Selector[] = [];
  const tree = parser.parse(text);
  tree.iterate({
    enter: (node) => {
      if (node.type.isError) errors.push(`at ${node.from}: ${JSON.stringify(text.slice(Math.max(0, node.from - 20), node.to + 20))}`);
      if (node.name !== 'VectorSelector') return;
      let metric = '';
      const labels: string[] = [];
      const inner = (n: typeof node.node): void => {
        for (let child = n.firstChild; child; child = child.nextSibling) {
          if (child.name === 'Identifier' && n.name === 'VectorSelector') metric = text.slice(child.from, child.to);
          else if (child.name === 'LabelName') {
            const name = text.slice(child.from, child.to);
            const value = child.parent?.getChild('StringLiteral');
            if (name === '__name__' && value) metric = JSON.parse(text.slice(value.from, value.to));
            else labels.push(name);
          } else inner(child);
        }
      };
      inner(node.node);
      selectors.push({ metric, labels });
      return false;
    },
  });
  return { errors, selectors };
}
