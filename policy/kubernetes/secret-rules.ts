/**
 * Rules that keep secret values out of manifests: no literal value in an environment variable
 * whose name says it is secret (kube-linter env-var-secret; Checkov's CKV_K8S_35 in the form the
 * platform takes: secrets reach env only through secretKeyRef), no credentials in ConfigMaps, and
 * no Secret objects with data (the operator creates Secrets; manifests only reference them).
 */
import { parse } from 'yaml';
import { containerRule, objectRule, type KubernetesRule } from './kubernetes-rule';

/** Names that say a value is secret. */
const SECRET_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIAL|_AUTH$|^AUTH_)/i;
/** Suffixes of names that hold where a secret is, not the secret. */
const REFERENCE_NAME = /(_FILE|_PATH|_DIR|_NAME|_REF|_ENV|_URL|_URI|_HOST|_ID)$/i;
/** Values that are credentials whatever their name. */
const CREDENTIAL_VALUE: readonly [RegExp, string][] = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'a private key'],
  [/\bAKIA[0-9A-Z]{16}\b/, 'an AWS access key id'],
  [/\bsk-(?:ant-|proj-)?[A-Za-z0-9_-]{20,}/, 'an OpenAI or Anthropic API key'],
  [/\bgh[pousr]_[A-Za-z0-9]{30,}/, 'a GitHub token'],
  [/\bxox[abpr]-[A-Za-z0-9-]{10,}/, 'a Slack token'],
  [/:\/\/[^/\s:@]+:(?!\$\()[^/\s@]+@/, 'a URL with an inline password'],
];

/** True when `value` is only `$(VAR)` references (expanded by the kubelet from other variables). */
function onlyReferences(value: string): boolean {
  return /^(\$\([A-Za-z_][A-Za-z0-9_]*\))+$/.test(value);
}

export function credentialIn(value: string): string | undefined {
  return CREDENTIAL_VALUE.find(([pattern]) => pattern.test(value))?.[1];
}

/** Secret-looking keys with literal values anywhere in a parsed document. */
function secretKeysIn(document: unknown, path = ''): string[] {
  if (Array.isArray(document)) return document.flatMap((item, i) => secretKeysIn(item, `${path}[${i}]`));
  if (document === null || typeof document !== 'object') return [];
  return Object.entries(document).flatMap(([key, value]) => {
    const here = path ? `${path}.${key}` : key;
    const normalized = key.replace(/([a-z])([A-Z])/g, '$1_$2');
    if (
      typeof value === 'string' &&
      value !== '' &&
      SECRET_NAME.test(normalized) &&
      !REFERENCE_NAME.test(normalized) &&
      !onlyReferences(value)
    )
      return [here];
    return secretKeysIn(value, here);
  });
}

export const SECRET_RULES: readonly KubernetesRule[] = [
  containerRule({
    id: 'no-secret-values-in-env',
    mirrors: ['CKV_K8S_35', 'kube-linter:env-var-secret'],
    description:
      'No environment variable holds a secret value: secret-named variables come from secretKeyRef, and no value is a credential.',
    check: (c) =>
      (c.env ?? []).flatMap((e) => {
        if (typeof e.value !== 'string' || e.value === '') return [];
        const credential = credentialIn(e.value);
        if (credential) return [`env ${e.name} holds ${credential}; expected a secretKeyRef`];
        const name = e.name ?? '';
        return SECRET_NAME.test(name) && !REFERENCE_NAME.test(name) && !onlyReferences(e.value)
          ? [`env ${name} has a literal value; expected valueFrom.secretKeyRef`]
          : [];
      }),
  }),
  objectRule({
    id: 'no-secret-values-in-configmaps',
    mirrors: ['CKV_K8S_35', 'kube-linter:env-var-secret'],
    description: 'No ConfigMap holds a credential or a literal value under a secret-named key (its YAML or JSON files included).',
    check: (object) => {
      if (object.kind !== 'ConfigMap') return [];
      const data = ((object as { data?: Record<string, string> }).data ?? {}) as Record<string, string>;
      return Object.entries(data).flatMap(([key, value]) => {
        const credential = credentialIn(value);
        if (credential) return [`data.${key} holds ${credential}; expected a Secret reference`];
        if (secretKeysIn({ [key]: value }).length > 0)
          return [`data.${key} has a literal value under a secret-looking key; expected a Secret reference`];
        let parsed: unknown;
        try {
          parsed = /\.(ya?ml|json)$/.test(key) ? parse(value) : undefined;
        } catch {
          parsed = undefined;
        }
        return secretKeysIn(parsed).map(
          (path) => `data.${key}: ${path} has a literal value under a secret-looking key; expected a Secret reference`,
        );
      });
    },
  }),
  objectRule({
    id: 'no-secret-objects',
    mirrors: ['kube-linter:env-var-secret'],
    description: 'No Secret with data is synthesized: the operator creates Secrets and manifests reference them by name.',
    check: (object) => {
      if (object.kind !== 'Secret') return [];
      const { data, stringData } = object as { data?: object; stringData?: object };
      return Object.keys(data ?? {}).length + Object.keys(stringData ?? {}).length > 0
        ? ['holds data; expected no Secret values in manifests (reference a Secret the operator creates)']
        : [];
    },
  }),
];
