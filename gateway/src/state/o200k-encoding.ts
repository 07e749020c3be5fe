/**
 * The o200k_base encoding (gpt-tokenizer), imported only by loadTokenCounter. The build bundles it
 * into a file of its own (scripts/build.mjs: dist/gateway-tokenizer.js), so a gateway without
 * `tpm` limits never reads its ~2 MB of ranks, and one with them reads it after it listens.
 */
export { encode } from 'gpt-tokenizer/cjs/encoding/o200k_base';
export { O200K_TOKEN_SPLIT_REGEX } from 'gpt-tokenizer/cjs/encodingParams/constants';
