// Builds the staff app into web/dist, served by HERMES at /app (src/web/plugin.ts). No inline scripts or styles,
// so the page runs under a CSP of 'self' only.
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

export default defineConfig({
  root: new URL('.', import.meta.url).pathname,
  base: '/app/',
  plugins: [preact()],
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', assetsInlineLimit: 0, modulePreload: { polyfill: false } },
});
