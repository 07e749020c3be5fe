// js-tiktoken publishes its rank files only through package "exports", which the gateway's
// `moduleResolution: node10` does not read; Node, esbuild and jest resolve them at run time.
declare module 'js-tiktoken/ranks/o200k_base' {
  import type { TiktokenBPE } from 'js-tiktoken/lite';
  const ranks: TiktokenBPE;
  export default ranks;
}
