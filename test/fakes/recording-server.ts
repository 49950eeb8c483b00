/** The recording fake server now lives with the development sandbox (`npm run demo`). */
export * from '../../src/sandbox/recording-server';
