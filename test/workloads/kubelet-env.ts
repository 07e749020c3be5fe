/**
 * What the kubelet does with a container's env, command and args before it starts the process:
 * secretKeyRef values are read from Secrets (here: a map), and `$(NAME)` references are expanded
 * from the variables defined before them (env) or from all of them (command, args). `$$` escapes a
 * `$`; a reference to an undefined variable is left as written. Lets tests run the exact process a
 * pod would run, against a real server.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Container = { env?: any[]; command?: string[]; args?: string[] };

export type Secrets = Readonly<Record<string, Readonly<Record<string, string>>>>;

function expand(text: string, vars: ReadonlyMap<string, string>): string {
  return text.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (match, name: string | undefined) =>
    match === '$$' ? '$' : vars.has(name!) ? vars.get(name!)! : match,
  );
}

export function resolveContainer(container: Container, secrets: Secrets): { env: Record<string, string>; argv: string[] } {
  const vars = new Map<string, string>();
  for (const entry of container.env ?? []) {
    if (entry.valueFrom?.secretKeyRef) {
      const { name, key } = entry.valueFrom.secretKeyRef;
      const value = secrets[name]?.[key];
      if (value === undefined) throw new Error(`Secret ${name} has no key ${key}`);
      vars.set(entry.name, value);
    } else vars.set(entry.name, expand(entry.value ?? '', vars));
  }
  const argv = [...(container.command ?? []), ...(container.args ?? [])].map((arg) => expand(arg, vars));
  return { env: Object.fromEntries(vars), argv };
}
