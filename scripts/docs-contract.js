#!/usr/bin/env node
// The `docs-contract` executable. The code is TypeScript run through tsx, so that an installed
// package needs no build step.
import { register } from 'tsx/esm/api';

register();
const { cli } = await import('./cli/index.ts');
await cli();
