/**
 * Which labels a PromQL expression's result carries, read from Prometheus's own grammar
 * (@prometheus-io/lezer-promql) and the labels of the series it selects, so a legend template or
 * a grouping can be checked against what the query really returns. It follows PromQL's rules for
 * the forms the platform's queries use: aggregations `by`/`without` (topk and friends keep their
 * input's labels), functions (`histogram_quantile` drops `le`, `label_replace` adds one, `vector`
 * has none), binary operators with `on`/`ignoring` and `group_left`/`group_right`, set operators,
 * scalars. It also reports groupings and matchings on labels a side does not have, and one-to-one
 * matches whose sides carry different labels (no series would match).
 */
import { parser } from '@prometheus-io/lezer-promql';
import { withoutGrafanaMacros } from './promql-selectors';

type SyntaxNode = ReturnType<typeof parser.parse>['topNode'];

/** The labels of a series by metric name; undefined for a name outside the vocabulary. */
export type LabelsOf = (metric: string) => readonly string[] | undefined;

/** A result: a vector with these label names, or a scalar. */
export type ResultLabels = ReadonlySet<string> | 'scalar';

export interface LabelInference {
  readonly result: ResultLabels;
  readonly problems: readonly string[];
}

const SCALAR_NODES = new Set(['NumberDurationLiteral', 'NumberLiteral', 'StringLiteral']);
const PASS_THROUGH = new Set(['ParenExpr', 'OffsetExpr', 'SubqueryExpr', 'StepInvariantExpr', 'MatrixSelector', 'UnaryExpr']);
const SCALAR_FUNCTIONS = new Set(['Scalar', 'Time', 'Pi']);
/** Aggregations whose result keeps the input series' labels. */
const SELECTING_AGGREGATIONS = new Set(['Topk', 'Bottomk', 'Limitk', 'LimitRatio']);
const EXPRESSION_NODES = new Set([...SCALAR_NODES, ...PASS_THROUGH, 'VectorSelector', 'AggregateExpr', 'FunctionCall', 'BinaryExpr']);

function children(node: SyntaxNode): SyntaxNode[] {
  const list: SyntaxNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) list.push(child);
  return list;
}

function groupingLabels(node: SyntaxNode | null | undefined, text: string): string[] {
  return node
    ? children(node)
        .filter((c) => c.name === 'LabelName')
        .map((c) => text.slice(c.from, c.to))
    : [];
}

function describe(labels: ReadonlySet<string>): string {
  return labels.size === 0 ? 'no labels' : [...labels].sort().join(', ');
}

export function inferLabels(expr: string, labelsOf: LabelsOf): LabelInference {
  const text = withoutGrafanaMacros(expr);
  const problems: string[] = [];
  const src = (node: SyntaxNode) => text.slice(node.from, node.to);
  const missing = (needed: readonly string[], labels: ReadonlySet<string>) => needed.filter((l) => !labels.has(l));

  const visit = (node: SyntaxNode): ResultLabels => {
    if (SCALAR_NODES.has(node.name)) return 'scalar';
    if (PASS_THROUGH.has(node.name)) {
      const inner = children(node).find((c) => EXPRESSION_NODES.has(c.name));
      return inner ? visit(inner) : 'scalar';
    }
    if (node.name === 'VectorSelector') return vectorSelector(node);
    if (node.name === 'AggregateExpr') return aggregate(node);
    if (node.name === 'FunctionCall') return functionCall(node);
    if (node.name === 'BinaryExpr') return binary(node);
    return new Set();
  };

  const vectorSelector = (node: SyntaxNode): ResultLabels => {
    const identifier = children(node).find((c) => c.name === 'Identifier');
    let metric = identifier ? src(identifier) : '';
    if (!metric) {
      const nameMatch = /__name__\s*=\s*"([^"]+)"/.exec(src(node));
      metric = nameMatch?.[1] ?? '';
    }
    return new Set(labelsOf(metric) ?? []);
  };

  const args = (body: SyntaxNode | undefined) => (body ? children(body).filter((c) => EXPRESSION_NODES.has(c.name)) : []);

  const aggregate = (node: SyntaxNode): ResultLabels => {
    const parts = children(node);
    const op = parts.find((c) => c.name === 'AggregateOp')?.firstChild?.name ?? '';
    const modifier = parts.find((c) => c.name === 'AggregateModifier');
    const params = args(parts.find((c) => c.name === 'FunctionCallBody'));
    const input = params.length > 0 ? visit(params[params.length - 1]) : 'scalar';
    const inputLabels = input === 'scalar' ? new Set<string>() : input;
    if (SELECTING_AGGREGATIONS.has(op)) return inputLabels;
    const grouping = groupingLabels(modifier?.getChild('GroupingLabels'), text);
    const by = modifier ? modifier.getChild('By') !== null : false;
    const absent = missing(grouping, inputLabels);
    if (absent.length > 0)
      problems.push(`${src(node)}: groups by ${absent.join(', ')}, which its input does not have (it has ${describe(inputLabels)})`);
    let result: Set<string>;
    if (!modifier) result = new Set();
    else if (by) result = new Set(grouping);
    else result = new Set([...inputLabels].filter((l) => !grouping.includes(l)));
    if (op === 'CountValues' && params[0]?.name === 'StringLiteral') result.add(JSON.parse(src(params[0])) as string);
    return result;
  };

  const functionCall = (node: SyntaxNode): ResultLabels => {
    const parts = children(node);
    const name = parts.find((c) => c.name === 'FunctionIdentifier')?.firstChild?.name ?? '';
    const params = args(parts.find((c) => c.name === 'FunctionCallBody'));
    const results = params.map(visit);
    if (SCALAR_FUNCTIONS.has(name)) return 'scalar';
    if (name === 'Vector' || name === 'Absent' || name === 'AbsentOverTime') return new Set();
    if (name === 'HistogramQuantile') {
      const input = results[1];
      if (input === undefined || input === 'scalar') return new Set();
      if (!input.has('le')) problems.push(`${src(node)}: histogram_quantile needs the le label, and its input has ${describe(input)}`);
      return new Set([...input].filter((l) => l !== 'le'));
    }
    if (name === 'LabelReplace' || name === 'LabelJoin') {
      const input = results[0] === undefined || results[0] === 'scalar' ? new Set<string>() : new Set(results[0]);
      if (params[1]?.name === 'StringLiteral') input.add(JSON.parse(src(params[1])) as string);
      return input;
    }
    return results.find((r): r is ReadonlySet<string> => r !== 'scalar') ?? 'scalar';
  };

  const binary = (node: SyntaxNode): ResultLabels => {
    const parts = children(node);
    const sides = parts.filter((c) => EXPRESSION_NODES.has(c.name));
    const [lhsNode, rhsNode] = [sides[0], sides[sides.length - 1]];
    const lhs = visit(lhsNode);
    const rhs = visit(rhsNode);
    if (lhs === 'scalar' && rhs === 'scalar') return 'scalar';
    if (lhs === 'scalar') return rhs;
    if (rhs === 'scalar') return lhs;
    const op =
      parts.find((c) => !EXPRESSION_NODES.has(c.name) && c.name !== 'BoolModifier' && c.name !== 'MatchingModifierClause')?.name ?? '';
    if (op === 'Or') return new Set([...lhs, ...rhs]);
    const clause = parts.find((c) => c.name === 'MatchingModifierClause');
    const clauseParts = clause ? children(clause) : [];
    const on = clauseParts.some((c) => c.name === 'On');
    const ignoring = clauseParts.some((c) => c.name === 'Ignoring');
    const lists = clauseParts.filter((c) => c.name === 'GroupingLabels');
    const matching = groupingLabels(lists[0], text);
    const groupLeft = clauseParts.some((c) => c.name === 'GroupLeft');
    const groupRight = clauseParts.some((c) => c.name === 'GroupRight');
    const extra = groupingLabels(lists[1], text);
    const where = src(node);
    if (on)
      for (const [side, labels] of [
        ['left', lhs],
        ['right', rhs],
      ] as const) {
        const absent = missing(matching, labels);
        if (absent.length > 0)
          problems.push(`${where}: matches on ${absent.join(', ')}, which its ${side} side does not have (it has ${describe(labels)})`);
      }
    if (groupLeft || groupRight) {
      const one = groupLeft ? rhs : lhs;
      const absent = missing(extra, one);
      if (absent.length > 0)
        problems.push(
          `${where}: copies ${absent.join(', ')} from its ${groupLeft ? 'right' : 'left'} side, which does not have it (it has ${describe(one)})`,
        );
      return new Set([...(groupLeft ? lhs : rhs), ...extra]);
    }
    const compared = (labels: ReadonlySet<string>) =>
      new Set([...labels].filter((l) => (on ? matching.includes(l) : !matching.includes(l))));
    const [left, right] = [compared(lhs), compared(rhs)];
    const onlyLeft = [...left].filter((l) => !right.has(l));
    const onlyRight = [...right].filter((l) => !left.has(l));
    if (onlyLeft.length + onlyRight.length > 0)
      problems.push(
        `${where}: its sides differ in ${[...onlyLeft, ...onlyRight].sort().join(', ')} (left: ${describe(left)}; right: ${describe(right)}), so no series match one to one; match with on (...) or ignoring (...)`,
      );
    if (op === 'And' || op === 'Unless') return lhs;
    return on || ignoring ? left : lhs;
  };

  const top = parser.parse(text).topNode;
  const root = children(top).find((c) => EXPRESSION_NODES.has(c.name));
  return { result: root ? visit(root) : 'scalar', problems };
}

/** The label names a Grafana legend template refers to (`{{model}}`, `{{ pod }}`). */
export function legendLabels(legend: string): string[] {
  return [...legend.matchAll(/\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g)].map((m) => m[1]);
}
