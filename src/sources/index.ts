import { freshdesk } from './freshdesk';
import { gorgias } from './gorgias';
import type { AnySourceModule } from './types';
import { zendesk } from './zendesk';

/**
 * Every evidence source Rebuttal knows, enabled or not. Adding one: a folder beside this file and
 * a line here; settings, sync jobs, GET /api/sources and the dashboard derive from this list.
 */
export const SOURCES: readonly AnySourceModule[] = [
  zendesk,
  gorgias,
  freshdesk,
];

export function sourceNamed(name: string): AnySourceModule | undefined {
  return SOURCES.find((s) => s.name === name);
}
