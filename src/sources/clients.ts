import { SOURCES } from './index';
import type { SourcesConfig } from './settings';
import type { AnySourceModule, SourceDeps } from './types';

export interface EnabledSource {
  module: AnySourceModule;
  client: unknown;
}

/** A client for every enabled source, by name. */
export function createSourceClients(config: SourcesConfig, deps: SourceDeps, modules: readonly AnySourceModule[] = SOURCES): Map<string, EnabledSource> {
  const clients = new Map<string, EnabledSource>();
  for (const module of modules) {
    const settings = config.enabled[module.name];
    if (settings !== undefined) clients.set(module.name, { module, client: module.createClient(settings, { ...deps, log: deps.log.child({ source: module.name }) }) });
  }
  return clients;
}
