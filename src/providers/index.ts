import type { ProviderPortMap, ProviderPorts } from '../ports';
import { paypalModule } from './paypal/module';
import { squareModule } from './square/module';
import { stripeModule } from './stripe/module';
import type { ProviderModule, VerifierOptions, WebhookVerifier } from './types';

/** Every provider Rebuttal speaks to. Adding one: a folder beside this file and a line here. */
export const PROVIDER_MODULES = [stripeModule, paypalModule, squareModule] as const;

type BuiltIn = (typeof PROVIDER_MODULES)[number];
/** The name of a built-in provider. */
export type BuiltInProviderName = BuiltIn['name'];
/** The settings of each built-in provider, as `config.providers` holds them. */
export type ProviderSettings = { [M in BuiltIn as M['name']]: ReturnType<M['settings']> };

/** The names of the built-in providers (API filters, CLI choices, dashboard selects). */
export const PROVIDER_NAMES: readonly BuiltInProviderName[] = PROVIDER_MODULES.map((m) => m.name);

/** Everything a process derives from the provider modules and their settings. */
export interface ProviderRegistry {
  /** Every registered module, by name, enabled or not. */
  modules: ReadonlyMap<string, ProviderModule>;
  /** How people read each provider's name ("PayPal"). */
  displayNames: Readonly<Record<string, string>>;
  /** The verifier of each enabled provider; a provider without its secret is absent (its path answers 404). */
  verifiers: ReadonlyMap<string, WebhookVerifier>;
  /** What the domain's stages receive: normalizer and packet builder always, API reads and calls with credentials. */
  ports: ProviderPortMap;
}

/** Builds each module's verifier, client and ports from its settings (`config.providers[name]`). */
export function createProviderRegistry(
  settings: Readonly<Record<string, unknown>>,
  modules: readonly ProviderModule[] = PROVIDER_MODULES,
  options: VerifierOptions = {},
): ProviderRegistry {
  const verifiers = new Map<string, WebhookVerifier>();
  const ports = new Map<string, ProviderPorts>();
  for (const module of modules) {
    const own = settings[module.name];
    const verifier = module.verifier(own, options);
    if (verifier) verifiers.set(module.name, verifier);
    const client = module.client(own);
    ports.set(module.name, {
      normalize: module.normalize,
      buildEvidence: module.buildEvidence,
      readWarning: module.readWarning,
      ...(client
        ? { fetchDispute: module.fetcher(client), responder: module.responder(client), listDisputes: module.lister(client), refunder: module.refunder?.(client), lookupPayment: module.payment?.(client) }
        : {}),
    });
  }
  return {
    modules: new Map(modules.map((m) => [m.name, m])),
    displayNames: Object.fromEntries(modules.map((m) => [m.name, m.displayName])),
    verifiers,
    ports,
  };
}

/** Log paths that may hold a provider secret or signature, derived from every module. */
export function providerRedactPaths(modules: readonly ProviderModule[] = PROVIDER_MODULES): string[] {
  const headers = modules.flatMap((m) => m.signatureHeaders);
  return [
    ...headers.flatMap((h) => [`req.headers["${h}"]`, `headers["${h}"]`]),
    ...modules.flatMap((m) => m.secretSettings.map((key) => `*.${key}`)),
  ];
}

/** The module of that name; throws for a provider nobody registered. */
export function providerModule(name: string, modules: readonly ProviderModule[] = PROVIDER_MODULES): ProviderModule {
  const module = modules.find((m) => m.name === name);
  if (!module) throw new Error(`no provider module named ${name}`);
  return module;
}

/** The headers the provider itself would send with this body, made with the configured secrets (replay, the demo, tests). */
export function signDelivery(provider: string, body: string | Buffer, config: { providers: Readonly<Record<string, unknown>> }): Record<string, string> {
  return providerModule(provider).replay.sign(body, config.providers[provider]);
}
