/**
 * The built-in sensitive-data detectors, as a table: each has an id (also its reason code), the
 * patterns that find candidates and an optional check that confirms one (Luhn, IBAN mod 97).
 * Detectors report only that they matched, never what.
 */
import type { BuiltinDetector } from '../config/compliance-schema';
import { passesLuhn, startsWithValidIban } from './checksums';

export interface Detector {
  /** The reason code reported on a match. */
  readonly id: string;
  /** Global regexes; a candidate is any match of any of them. */
  readonly patterns: readonly RegExp[];
  /** Confirms a candidate (the full match). @default - every candidate counts */
  readonly confirm?: (match: string) => boolean;
  /** A cheap precondition on the whole text (skips the regexes when false). */
  readonly applies?: (text: string) => boolean;
}

const MONTH = '(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\\.?';
const DATE = `(?:\\d{1,2}[/.-]\\d{1,2}[/.-](?:\\d{4}|\\d{2})|\\d{4}-\\d{1,2}-\\d{1,2}|${MONTH}\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+\\d{4}|\\d{1,2}(?:st|nd|rd|th)?\\s+${MONTH}\\s+\\d{4})`;

/** The precondition most detectors share: the classifier asks each distinct one once per text. */
const hasDigit = (text: string) => /\d/.test(text);

export const BUILTIN_DETECTOR_TABLE: Readonly<Record<BuiltinDetector, Detector>> = {
  us_ssn: {
    id: 'us_ssn',
    patterns: [
      // 123-45-6789 or 123 45 6789, excluding numbers the SSA never issues (000, 666, 9xx; 00; 0000).
      /\b(?!000|666|9\d\d)\d{3}([- ])(?!00)\d{2}\1(?!0000)\d{4}\b/g,
      // Nine bare digits right after "SSN" / "social security number".
      /\b(?:ssn|social\s+security\s+(?:number|no\.?|#))\s*[:#]?\s*(?!000|666|9\d\d)\d{3}(?!00)\d{2}(?!0000)\d{4}\b/gi,
    ],
    applies: hasDigit,
  },
  medical_record_number: {
    id: 'medical_record_number',
    patterns: [/\b(?:mrn|medical\s+record(?:\s+(?:number|no\.?|num|#))?)\s*[:#]?\s*(?:[a-z]{1,3}[- ]?)?\d{5,12}\b/gi],
    applies: hasDigit,
  },
  date_of_birth: {
    id: 'date_of_birth',
    patterns: [new RegExp(`\\b(?:dob|d\\.o\\.b\\.?|date\\s+of\\s+birth|birth\\s*date|born(?:\\s+on)?)\\s*[:\\-]?\\s*${DATE}`, 'gi')],
    applies: hasDigit,
  },
  phone_number: {
    id: 'phone_number',
    patterns: [
      // North American: (555) 123-4567, 555-123-4567, +1 555.123.4567 (separators required).
      /(?<![\w+])(?:\+?1[ .-]?)?(?:\([2-9]\d{2}\)\s?|[2-9]\d{2}[ .-])\d{3}[ .-]\d{4}\b/g,
      // International with a leading +: +44 20 7946 0958, +4915112345678.
      /(?<![\w+])\+[1-9](?:[ .-]?\d){7,14}\b/g,
    ],
    applies: hasDigit,
  },
  email: {
    id: 'email',
    patterns: [/\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b/g],
    applies: (text) => text.includes('@'),
  },
  card_number: {
    id: 'card_number',
    // 13-19 digits, optionally grouped by spaces or dashes, confirmed by the Luhn check.
    patterns: [/\b\d(?:[ -]?\d){12,18}\b/g],
    confirm: (match) => passesLuhn(match.replace(/[ -]/g, '')),
    applies: hasDigit,
  },
  iban: {
    id: 'iban',
    patterns: [/\b[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]){11,30}/g],
    confirm: (match) => startsWithValidIban(match.replace(/ /g, '').toUpperCase()),
    applies: hasDigit,
  },
};

/**
 * Whether `detector`'s patterns find a confirmed match in `text`. Its `applies` precondition is
 * the caller's to check (the classifier checks each distinct precondition once per text).
 */
export function findsMatch(detector: Detector, text: string): boolean {
  for (const pattern of detector.patterns) {
    pattern.lastIndex = 0;
    if (!detector.confirm) {
      if (pattern.test(text)) return true;
      continue;
    }
    for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
      if (detector.confirm(match[0])) return true;
      if (match[0].length === 0) pattern.lastIndex++;
    }
  }
  return false;
}
