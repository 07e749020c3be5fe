/**
 * Watches a config file for changes by watching its directory: Kubernetes updates a mounted
 * ConfigMap by swapping a `..data` symlink, which a watch on the file itself never sees. Events are
 * debounced and the file is re-read; only a real change of content is reported.
 */
import { createHash } from 'node:crypto';
import { type FSWatcher, readFileSync, watch } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Logger } from '../log/logger';

export interface ConfigWatcher {
  close(): void;
}

const DEBOUNCE_MS = 150;

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Calls `onChange` with the new text each time the file's content changes. */
export function watchConfigFile(file: string, onChange: (text: string) => void, log: Logger): ConfigWatcher {
  let last: string | undefined;
  try {
    last = digest(readFileSync(file, 'utf8'));
  } catch {
    last = undefined;
  }
  let timer: NodeJS.Timeout | undefined;
  const check = () => {
    timer = undefined;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      log.warn('config file unreadable; keeping the running config', { file, error: (error as NodeJS.ErrnoException).code });
      return;
    }
    const current = digest(text);
    if (current === last) return;
    last = current;
    onChange(text);
  };
  const name = basename(file);
  let watcher: FSWatcher | undefined = watch(dirname(file), { persistent: false }, (_event, changed) => {
    // Any change in the directory may be the symlink swap; the digest filters out the rest.
    if (changed !== null && changed !== name && !changed.startsWith('..')) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(check, DEBOUNCE_MS);
  });
  watcher.on('error', (error) => log.error('config watch failed; reloads stop until restart', { file, error: error.message }));
  return {
    close() {
      if (timer) clearTimeout(timer);
      watcher?.close();
      watcher = undefined;
    },
  };
}
