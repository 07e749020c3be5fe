/** The outcome of classifying a request's content. */

/** `sensitive` requests reach only private targets; a client header may raise a class, never lower it. */
export type DataClass = 'standard' | 'sensitive';

export interface Classification {
  readonly dataClass: DataClass;
  /**
   * Reason codes, never matched text: detector ids (`us_ssn`, `email`...), `pattern:<name>`,
   * `keyword`, `header` (raised by x-switchyard-data-class) or `classifier_error` (fail closed).
   */
  readonly reasons: readonly string[];
}
