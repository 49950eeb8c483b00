#!/usr/bin/env node
// `npx rebuttal …` from the repository: runs the TypeScript CLI through tsx, no build step.
require('tsx/cjs');
require('../src/cli/index.ts');
