// HERMES serves the staff app: `/` goes to /app/, the page and its assets come with a CSP of 'self' that has no
// upgrade-insecure-requests (so it works over plain HTTP), and an unbuilt app says how to build it.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { APP_CSP, webApp } from '../../src/web/plugin.js';

function fakeDist(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hermes-web-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><script type="module" src="/app/assets/a.js"></script>');
  writeFileSync(join(dir, 'assets', 'a.js'), 'console.log(1)');
  return dir;
}

describe('staff app serving', () => {
  it('redirects / to /app/ and serves the page and assets with the app CSP', async () => {
    const app = Fastify();
    await app.register(webApp, { distDir: fakeDist() });
    expect((await app.inject('/')).headers.location).toBe('/app/');
    expect((await app.inject('/app')).headers.location).toBe('/app/');
    const page = await app.inject('/app/');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('/app/assets/a.js');
    expect(page.headers['content-security-policy']).toBe(APP_CSP);
    expect(APP_CSP).not.toContain('upgrade-insecure-requests');
    expect(APP_CSP).toContain("script-src 'self'");
    expect(APP_CSP).toContain("media-src 'self' blob:");
    expect(page.headers['cache-control']).toBe('no-cache');
    const asset = await app.inject('/app/assets/a.js');
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toContain('immutable');
    expect((await app.inject('/app/assets/missing.js')).statusCode).toBe(404);
    expect((await app.inject('/app/assets/..%2F..%2Fpackage.json')).statusCode).not.toBe(200);
    await app.close();
  });

  it('answers 503 with the build command when the app was never built', async () => {
    const app = Fastify();
    await app.register(webApp, { distDir: null });
    const r = await app.inject('/app/');
    expect(r.statusCode).toBe(503);
    expect(r.body).toContain('npm run build:web');
    await app.close();
  });
});
