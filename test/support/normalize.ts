import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { Provider } from '../../src/db/schema';
import { isIgnored, type DisputeFacts } from '../../src/disputes/facts';
import { providerModule, type BuiltInProviderName } from '../../src/providers';
import { FIXTURES, fixtureJson } from './fixtures';

/** Every single-event fixture of a provider, by file name. */
export function eventFixtures(provider: Provider): string[] {
  return readdirSync(path.join(FIXTURES, provider)).filter((f) => f.endsWith('.json')).map((f) => `${provider}/${f}`);
}

export function factsOf(provider: Provider, fixture: string): DisputeFacts {
  const normalized = providerModule(provider).normalize(fixtureJson(fixture));
  if (isIgnored(normalized)) throw new Error(`${fixture} was ignored: ${normalized.ignored}`);
  return normalized;
}

/** The scenario directories: each one dispute's events, in the provider's order. */
export function scenarios(): string[] {
  return readdirSync(path.join(FIXTURES, 'scenarios')).sort();
}

export function providerOfScenario(scenario: string): BuiltInProviderName {
  return scenario.split('-')[0] as BuiltInProviderName;
}

/** A scenario's fixture files (relative to fixtures/), in order. */
export function scenarioFiles(scenario: string): string[] {
  return readdirSync(path.join(FIXTURES, 'scenarios', scenario)).filter((f) => f.endsWith('.json')).sort().map((f) => `scenarios/${scenario}/${f}`);
}

export function scenarioFacts(scenario: string): DisputeFacts[] {
  return scenarioFiles(scenario).map((file) => factsOf(providerOfScenario(scenario), file));
}
