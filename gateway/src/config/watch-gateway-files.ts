/**
 * Reloads a running gateway when its config file or its keys file (`keysFile`) changes. Each is
 * watched through its directory (config-watcher.ts), so a Kubernetes ConfigMap or Secret volume
 * update, a `..data` symlink swap, is seen. A change of the keys file reloads the config from disk
 * with the new keys; a reload that moves `keysFile` moves the watch. A refused reload (invalid
 * config or keys) keeps the running config; reload() logged and counted it.
 */
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from '../log/logger';
import type { RunningGateway } from '../start-gateway';
import { type ConfigWatcher, watchConfigFile } from './config-watcher';
import { keysFilePath } from './keys-file';

export function watchGatewayFiles(configFile: string, gateway: RunningGateway, log: Logger): ConfigWatcher {
  let keysPath: string | undefined;
  let keysWatcher: ConfigWatcher | undefined;

  const reload = (text: string) => {
    try {
      gateway.reload(text, configFile);
    } catch {
      // reload() logged the problems and counted the failure; the old config keeps serving.
    }
    followKeysFile();
  };
  const reloadFromDisk = () => {
    let text: string;
    try {
      text = readFileSync(configFile, 'utf8');
    } catch (error) {
      log.warn('config file unreadable; keeping the running config', { file: configFile, error: (error as NodeJS.ErrnoException).code });
      return;
    }
    reload(text);
  };
  const followKeysFile = () => {
    const keysFile = gateway.config.keysFile;
    const next = keysFile === undefined ? undefined : keysFilePath(keysFile, dirname(configFile));
    if (next === keysPath) return;
    keysWatcher?.close();
    keysPath = next;
    keysWatcher = next === undefined ? undefined : watchConfigFile(next, reloadFromDisk, log);
  };

  const configWatcher = watchConfigFile(configFile, reload, log);
  followKeysFile();
  return {
    close() {
      configWatcher.close();
      keysWatcher?.close();
    },
  };
}
