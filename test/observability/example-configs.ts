/** The example profiles and platform.yaml, loaded once per test file. */
import { loadPlatformConfig } from '../../config/load-config';
import type { PlatformConfig } from '../../config/platform-config';
import { DEFAULT_CONFIG, EXAMPLE_CONFIGS } from '../support/paths';

export const EXAMPLE_PLATFORMS: ReadonlyArray<readonly [string, PlatformConfig]> = [
  ...Object.entries(EXAMPLE_CONFIGS).map(([name, file]) => [name, loadPlatformConfig(file)] as const),
  ['platform.yaml', loadPlatformConfig(DEFAULT_CONFIG)] as const,
];
