/**
 * Classifies a request's text before routing: built-in detectors, configured patterns and keywords,
 * and the client's `x-switchyard-data-class` header, which may raise the class but never lower it.
 * Fails closed: if any detector throws, the request is sensitive with reason `classifier_error`.
 */
import { BUILTIN_DETECTORS, compilePattern, type ComplianceConfig } from '../config/compliance-schema';
import { GatewayError } from '../errors/gateway-error';
import type { Classification } from './classification';
import { BUILTIN_DETECTOR_TABLE, type Detector, findsMatch } from './detectors';

export const DATA_CLASS_HEADER = 'x-switchyard-data-class';

const STANDARD: Classification = Object.freeze({ dataClass: 'standard', reasons: Object.freeze([]) as readonly string[] });
const CLASSIFIER_ERROR: Classification = Object.freeze({
  dataClass: 'sensitive',
  reasons: Object.freeze(['classifier_error']) as readonly string[],
});

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A detector matching any keyword as a whole word (or phrase), ignoring case. */
function keywordDetector(keywords: readonly string[]): Detector {
  const alternatives = keywords.map((k) => escapeRegex(k.trim()).replace(/\s+/g, '\\s+')).join('|');
  return { id: 'keyword', patterns: [new RegExp(`(?<![\\p{L}\\p{N}_])(?:${alternatives})(?![\\p{L}\\p{N}_])`, 'giu')] };
}

/**
 * Reads the client's data-class header: `sensitive` raises the class; `standard` (or no header)
 * leaves it to the detectors. Anything else is a 400 naming the header.
 */
export function headerRaisesClass(value: string | string[] | undefined): boolean {
  if (value === undefined) return false;
  const text = (Array.isArray(value) ? value.join(',') : value).trim().toLowerCase();
  if (text === 'sensitive') return true;
  if (text === 'standard' || text === '') return false;
  throw new GatewayError(
    'invalid_request',
    `Header ${DATA_CLASS_HEADER} must be "sensitive" or "standard", got ${JSON.stringify(text.slice(0, 40))}.`,
    DATA_CLASS_HEADER,
  );
}

export class Classifier {
  private readonly detectors: readonly Detector[];
  /** The distinct `applies` preconditions (most built-ins share one), and each detector's index in it (-1: none). */
  private readonly preconditions: ReadonlyArray<(text: string) => boolean>;
  private readonly preconditionOf: readonly number[];

  /** `extraDetectors` run after the configured ones (custom detectors supplied in code). */
  constructor(config: ComplianceConfig, extraDetectors: readonly Detector[] = []) {
    const builtins = (config.detectors ?? BUILTIN_DETECTORS).map((id) => BUILTIN_DETECTOR_TABLE[id]);
    const patterns = config.patterns.map((p): Detector => ({
      id: `pattern:${p.name}`,
      patterns: [compilePattern(p.regex, p.caseSensitive)],
    }));
    const keywords = config.keywords.length > 0 ? [keywordDetector(config.keywords)] : [];
    this.detectors = [...builtins, ...patterns, ...keywords, ...extraDetectors];
    const preconditions: Array<(text: string) => boolean> = [];
    this.preconditionOf = this.detectors.map(({ applies }) => {
      if (!applies) return -1;
      if (!preconditions.includes(applies)) preconditions.push(applies);
      return preconditions.indexOf(applies);
    });
    this.preconditions = preconditions;
  }

  /** `extract` yields the request's text; it runs inside the fail-closed guard too. */
  classify(extract: () => string, raisedByHeader: boolean): Classification {
    let reasons: string[] | undefined;
    try {
      const text = extract();
      // Each precondition's answer for this text: 0 not asked yet, 1 holds, 2 does not.
      const answers = new Int8Array(this.preconditions.length);
      for (let i = 0; i < this.detectors.length; i++) {
        const p = this.preconditionOf[i];
        if (p >= 0 && answers[p] === 0) answers[p] = this.preconditions[p](text) ? 1 : 2;
        if (p >= 0 && answers[p] === 2) continue;
        if (findsMatch(this.detectors[i], text)) (reasons ??= []).push(this.detectors[i].id);
      }
    } catch {
      return raisedByHeader ? { dataClass: 'sensitive', reasons: ['header', 'classifier_error'] } : CLASSIFIER_ERROR;
    }
    if (raisedByHeader) (reasons ??= []).unshift('header');
    return reasons ? { dataClass: 'sensitive', reasons } : STANDARD;
  }
}
