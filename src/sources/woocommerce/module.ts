import { z } from 'zod';
import { allOrNone, optionalHttpUrl, optionalText, trimBase } from '../env';
import { ConfigError } from '../../env';
import type { SourceModule } from '../types';
import { WooStore, type WooSettings } from './client';

export const woocommerce: SourceModule<WooSettings, WooStore> = {
  name: 'woocommerce',
  kind: 'store',
  displayName: 'WooCommerce',
  env: z.object({ WOOCOMMERCE_URL: optionalHttpUrl, WOOCOMMERCE_KEY: optionalText, WOOCOMMERCE_SECRET: optionalText }),
  settings(env) {
    const required = allOrNone(env, ['WOOCOMMERCE_URL', 'WOOCOMMERCE_KEY', 'WOOCOMMERCE_SECRET'], 'WooCommerce');
    if (!required) return undefined;
    if (!/^https?:\/\//.test(required.WOOCOMMERCE_URL.trim())) throw new ConfigError('WOOCOMMERCE_URL', 'must be the store URL, e.g. https://shop.example.com');
    return { url: trimBase(required.WOOCOMMERCE_URL.trim()), consumerKey: required.WOOCOMMERCE_KEY.trim(), consumerSecret: required.WOOCOMMERCE_SECRET.trim() };
  },
  secrets: (s) => (s ? [s.consumerKey, s.consumerSecret] : []),
  createClient: (settings, deps) => new WooStore(settings, deps),
};
