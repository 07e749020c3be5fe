/**
 * The one module that imports `cdktf`. cdktf was archived upstream on 2025-12-10; its drop-in fork
 * CDK Terrain publishes the same API as `cdktn`. Moving to it means changing the import below
 * (and the package.json dependency), nothing else. A lint rule forbids importing `cdktf` elsewhere.
 */
export {
  App,
  Fn,
  LocalBackend,
  TerraformOutput,
  TerraformStack,
  TerraformVariable,
  Testing,
  Token,
  Aspects,
  Annotations,
  dependable,
  type IAspect,
  type ITerraformDependable,
} from 'cdktf';
