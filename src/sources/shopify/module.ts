import { z } from 'zod';
import { allOrNone, optionalHttpUrl, optionalText, trimBase } from '../env';
import { ConfigError } from '../../env';
import type { SourceModule } from '../types';
import { createShopifyApi, ShopifyStore, type ShopifySettings } from './client';

/** The newest stable quarterly version when this was written; SHOPIFY_API_VERSION pins another. */
export const SHOPIFY_DEFAULT_API_VERSION = '2026-10';

export const shopify: SourceModule<ShopifySettings, ShopifyStore> = {
  name: 'shopify',
  kind: 'store',
  displayName: 'Shopify',
  env: z.object({
    SHOPIFY_SHOP: optionalText,
    SHOPIFY_ACCESS_TOKEN: optionalText,
    SHOPIFY_API_VERSION: optionalText,
    SHOPIFY_API_BASE: optionalHttpUrl,
  }),
  settings(env) {
    const required = allOrNone(env, ['SHOPIFY_SHOP', 'SHOPIFY_ACCESS_TOKEN'], 'Shopify');
    if (!required) return undefined;
    const shop = required.SHOPIFY_SHOP.trim().replace(/^https?:\/\//, '').replace(/\/.*$/, '');
    if (!/^[A-Za-z0-9][A-Za-z0-9-]*(\.myshopify\.com)?$/.test(shop)) {
      throw new ConfigError('SHOPIFY_SHOP', 'must be the shop name, e.g. "acme" or "acme.myshopify.com"');
    }
    const apiVersion = typeof env.SHOPIFY_API_VERSION === 'string' && env.SHOPIFY_API_VERSION.trim() ? env.SHOPIFY_API_VERSION.trim() : SHOPIFY_DEFAULT_API_VERSION;
    if (!/^(\d{4}-(01|04|07|10)|unstable)$/.test(apiVersion)) throw new ConfigError('SHOPIFY_API_VERSION', 'must be a quarterly version such as 2026-10');
    const apiBase = typeof env.SHOPIFY_API_BASE === 'string' && env.SHOPIFY_API_BASE.trim() ? trimBase(env.SHOPIFY_API_BASE.trim()) : undefined;
    return { shop, accessToken: required.SHOPIFY_ACCESS_TOKEN.trim(), apiVersion, ...(apiBase ? { apiBase } : {}) };
  },
  secrets: (s) => (s ? [s.accessToken] : []),
  createClient: (settings, deps) => new ShopifyStore(createShopifyApi(settings), deps),
};
