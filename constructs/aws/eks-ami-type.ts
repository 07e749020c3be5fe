/**
 * The EKS-optimized AMI a managed node group boots, from its instance type: Amazon Linux 2023,
 * x86_64 or ARM (Graviton), with the NVIDIA driver and container toolkit on GPU pools.
 */

/** Graviton instance families carry a `g` after the generation digit: m7g, c7gd, r8g, g5g. */
export function isGravitonInstanceType(instanceType: string): boolean {
  const family = instanceType.split('.')[0];
  return /^[a-z]+\d+[a-z-]*g[a-z-]*$/.test(family);
}

export type EksAmiType = 'AL2023_x86_64_STANDARD' | 'AL2023_ARM_64_STANDARD' | 'AL2023_x86_64_NVIDIA' | 'AL2023_ARM_64_NVIDIA';

export function eksAmiType(instanceType: string, gpu: boolean): EksAmiType {
  const arm = isGravitonInstanceType(instanceType);
  if (gpu) return arm ? 'AL2023_ARM_64_NVIDIA' : 'AL2023_x86_64_NVIDIA';
  return arm ? 'AL2023_ARM_64_STANDARD' : 'AL2023_x86_64_STANDARD';
}
