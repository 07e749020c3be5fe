// js-tiktoken (the tests' reference tokenizer) publishes its rank files only through package
// "exports", which the gateway's `moduleResolution: node10` does not read; jest resolves them.
declare module 'js-tiktoken/ranks/o200k_base' {
  import type { TiktokenBPE } from 'js-tiktoken/lite';
  const ranks: TiktokenBPE;
  export default ranks;
}
