#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx, so `npx hermes <command>` works right after `npm ci`
// with no build step and no stale build output to drift from src/.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
