/** Who is calling: the API key that authenticated the request (or the anonymous caller). */
import type { KeyConfig } from '../config/schema';

export interface Caller {
  /** `keys[].id`, or `anonymous` when auth is off. */
  readonly keyId: string;
  readonly tenant: string;
  readonly admin: boolean;
  /** The key's config entry (limits and budget for the state layer); absent for the anonymous caller. */
  readonly key?: KeyConfig;
  /** Whether the key's allow-list admits the client model name. */
  allowsModel(model: string): boolean;
}

export const ANONYMOUS_KEY_ID = 'anonymous';
export const DEFAULT_TENANT = 'default';
