import { trackingEnv, trackingKey } from '../commerce/tracking-env';
import type { SourceModule } from '../types';
import { AfterShipTracker, createAfterShipApi, type AfterShipSettings } from './client';

export const aftership: SourceModule<AfterShipSettings, AfterShipTracker> = {
  name: 'aftership',
  kind: 'tracking',
  displayName: 'AfterShip Tracking',
  env: trackingEnv('AFTERSHIP_API_KEY', 'AFTERSHIP_API_BASE'),
  settings(env) {
    const apiKey = trackingKey(env, 'aftership', 'AFTERSHIP_API_KEY');
    if (!apiKey) return undefined;
    const base = typeof env.AFTERSHIP_API_BASE === 'string' && env.AFTERSHIP_API_BASE.trim() ? env.AFTERSHIP_API_BASE.trim() : 'https://api.aftership.com';
    return { apiKey, apiBase: base.replace(/\/+$/, '') };
  },
  secrets: (s) => (s ? [s.apiKey] : []),
  createClient: (settings, deps) => new AfterShipTracker(createAfterShipApi(settings), deps),
};
