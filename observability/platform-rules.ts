/** Every rule group of the platform: recording rules first (alerts read them), then alerts. */
import type { PlatformConfig } from '../config/platform-config';
import { alertRuleGroups } from './alert-rules';
import { recordingRuleGroups } from './recording-rules';
import type { RuleGroup } from './rule-group';

export function platformRuleGroups(config: PlatformConfig): RuleGroup[] {
  return [...recordingRuleGroups(config), ...alertRuleGroups(config)];
}
