import { trackingEnv, trackingKey } from '../commerce/tracking-env';
import type { SourceModule } from '../types';
import { createEasyPostApi, EasyPostCarrierTracker, type EasyPostSettings } from './client';

export const easypost: SourceModule<EasyPostSettings, EasyPostCarrierTracker> = {
  name: 'easypost',
  kind: 'tracking',
  displayName: 'EasyPost Trackers',
  env: trackingEnv('EASYPOST_API_KEY', 'EASYPOST_API_BASE'),
  settings(env) {
    const apiKey = trackingKey(env, 'easypost', 'EASYPOST_API_KEY');
    if (!apiKey) return undefined;
    const base = typeof env.EASYPOST_API_BASE === 'string' && env.EASYPOST_API_BASE.trim() ? env.EASYPOST_API_BASE.trim() : 'https://api.easypost.com/v2';
    return { apiKey, apiBase: base.replace(/\/+$/, '') };
  },
  secrets: (s) => (s ? [s.apiKey] : []),
  createClient: (settings, deps) => new EasyPostCarrierTracker(createEasyPostApi(settings), deps),
};
