/**
 * Where Terraform keeps a stack's state. cdktf's default local backend records an absolute path of
 * the machine that synthesized, which breaks byte-identical output; this sets a relative one at
 * the project root (outside cdktf.out/, which every synth replaces). Teams should move state to a
 * remote backend (S3 with locking, or GCS) before sharing a cluster; see README "Terraform state".
 */
import { LocalBackend, type TerraformStack } from '../constructs/cdktf';

export function useProjectLocalBackend(stack: TerraformStack, stackName: string): void {
  // cdktf runs terraform in cdktf.out/stacks/<stack>/: three levels below the project root.
  new LocalBackend(stack, { path: `../../../terraform.${stackName}.tfstate` });
}
