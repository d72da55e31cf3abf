// npm run build:web (and prepare): builds the staff app into web/dist. Skips, saying why, where it cannot run: an
// install before the sources are copied (the Docker deps stage) or without dev dependencies (npm ci --omit=dev).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const config = `${root}web/vite.config.ts`;
if (!existsSync(config)) {
  console.log('build:web skipped: no web/ sources here');
  process.exit(0);
}
let vite;
try {
  vite = await import('vite');
} catch {
  console.log('build:web skipped: vite is not installed (dev dependencies omitted); /app will answer 503 until it is built');
  process.exit(0);
}
await vite.build({ configFile: config, logLevel: 'warn' });
console.log('build:web: web/dist built');
