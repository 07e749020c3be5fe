/** The `compliance` section of the gateway config. Imports only zod (see schema.ts). */
import * as z from 'zod';

/** Built-in detector ids; each is also the reason code it reports. */
export const BUILTIN_DETECTORS = [
  'us_ssn',
  'medical_record_number',
  'date_of_birth',
  'phone_number',
  'email',
  'card_number',
  'iban',
] as const;
export type BuiltinDetector = (typeof BUILTIN_DETECTORS)[number];

/** Compiles a config regex the way the classifier will (global, unicode, case-insensitive unless told). */
export function compilePattern(regex: string, caseSensitive = false): RegExp {
  return new RegExp(regex, caseSensitive ? 'gu' : 'giu');
}

const patternSchema = z
  .strictObject({
    /** Reported as reason code `pattern:<name>`. */
    name: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, { message: 'a lower-case name of letters, digits, "_" or "-"' }),
    /** A JavaScript regular expression (unicode mode). */
    regex: z.string().min(1),
    /** @default false */
    caseSensitive: z.boolean().default(false),
  })
  .superRefine((pattern, ctx) => {
    try {
      compilePattern(pattern.regex, pattern.caseSensitive);
    } catch (error) {
      ctx.addIssue({
        code: 'custom',
        path: ['regex'],
        message: `a valid regular expression (${(error as Error).message})`,
        input: pattern.regex,
      });
    }
  });

export const complianceSchema = z.strictObject({
  /**
   * What happens to a sensitive request: `private-only` routes it only to `private: true` targets
   * (never falling back to others); `block` refuses it. @default "private-only"
   */
  onSensitive: z.enum(['private-only', 'block']).default('private-only'),
  /** Built-in detectors to run. @default all of BUILTIN_DETECTORS */
  detectors: z.array(z.enum(BUILTIN_DETECTORS)).optional(),
  /** Extra patterns; a match marks the request sensitive with reason `pattern:<name>`. */
  patterns: z.array(patternSchema).default([]),
  /** Words or phrases (case-insensitive, whole words); a match gives reason `keyword`. */
  keywords: z.array(z.string().min(1)).default([]),
});
export type ComplianceConfig = z.infer<typeof complianceSchema>;
