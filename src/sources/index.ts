import { aftership } from './aftership/module';
import { easypost } from './easypost/module';
import { freshdesk } from './freshdesk';
import { gorgias } from './gorgias';
import { shopify } from './shopify/module';
import { woocommerce } from './woocommerce/module';
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
  shopify,
  woocommerce,
  aftership,
  easypost,
];

export function sourceNamed(name: string): AnySourceModule | undefined {
  return SOURCES.find((s) => s.name === name);
}
