// The deployment files agree with each other and with the code: compose runs the services nginx and Prometheus
// point at, the image is built the way the README says, and every metric the dashboard charts exists.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createMetrics } from '../../src/observability/metrics.js';

const REPO = resolve(import.meta.dirname, '../..');
const read = (p: string) => readFileSync(join(REPO, p), 'utf8');

describe('docker-compose.yml', () => {
  const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, Record<string, unknown>> };

  it('runs hermes (two instances), postgres, nginx, prometheus and grafana', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['grafana', 'hermes-1', 'hermes-2', 'nginx', 'postgres', 'prometheus']);
    for (const h of ['hermes-1', 'hermes-2']) {
      const env = compose.services[h]!.environment as Record<string, string>;
      expect(env.DATABASE_URL).toMatch(/^postgres:\/\/.*@postgres:5432\//);
      // Without one shared secret each instance signs with its own random key and refuses the other's tokens.
      expect(env.JWT_SECRET).toMatch(/^\$\{JWT_SECRET:\?/);
      expect((compose.services[h]!.build as { target: string }).target).toBe('runtime');
      expect((compose.services[h]!.depends_on as Record<string, { condition: string }>).postgres!.condition).toBe('service_healthy');
    }
    // Only one instance migrates; the other waits until it is healthy (migrations run before listen).
    expect((compose.services['hermes-2']!.environment as Record<string, string>).AUTO_MIGRATE).toBe('false');
    expect((compose.services['hermes-2']!.depends_on as Record<string, { condition: string }>)['hermes-1']!.condition).toBe('service_healthy');
  });

  it('gives nginx the repo configuration and upstreams that are compose services', () => {
    const volumes = compose.services.nginx!.volumes as string[];
    expect(volumes).toContain('./nginx/nginx.conf:/etc/nginx/nginx.conf:ro');
    expect(volumes).toContain('./nginx/conf.d:/etc/nginx/conf.d:ro');
    const upstreams = [...read('nginx/conf.d/hermes.conf').matchAll(/^\s*server ([\w-]+):3000/gm)].map((m) => m[1]);
    expect(upstreams).toEqual(['hermes-1', 'hermes-2']);
    for (const u of upstreams) expect(compose.services[u!]).toBeDefined();
  });

  it('has Prometheus scrape every HERMES instance', () => {
    const prom = parse(read('monitoring/prometheus.yml')) as { scrape_configs: { job_name: string; static_configs: { targets: string[] }[]; metrics_path?: string }[] };
    const job = prom.scrape_configs.find((j) => j.job_name === 'hermes')!;
    expect(job.metrics_path).toBe('/metrics');
    expect(job.static_configs.flatMap((s) => s.targets).sort()).toEqual(['hermes-1:3000', 'hermes-2:3000']);
  });
});

describe('Dockerfile', () => {
  const text = read('Dockerfile');
  const stages = text.split(/^FROM /m).slice(1);
  const runtime = stages.find((s) => /^\S+ AS runtime/.test(s))!;

  it('is multi-stage on a supported Node LTS image with production dependencies only in the runtime stage', () => {
    const image = /ARG NODE_IMAGE=node:(\d+)-bookworm-slim/.exec(text);
    // Even majors are the LTS lines; 20 reached end of life in April 2026.
    expect(Number(image?.[1])).toBeGreaterThanOrEqual(22);
    expect(Number(image?.[1]) % 2).toBe(0);
    expect(stages.length).toBeGreaterThanOrEqual(5);
    expect(text).toMatch(/npm ci --omit=dev/);
    expect(runtime).toMatch(/COPY --from=prod-deps .*node_modules/);
    expect(runtime).not.toMatch(/COPY --from=deps /);
    expect(runtime).not.toMatch(/npm (ci|install)/);
  });

  it('ships the compiled build and the data folders it reads, not the TypeScript sources', () => {
    const build = stages.find((s) => /^\S+ AS build/.test(s))!;
    expect(build).toMatch(/RUN npm run build/);
    expect(runtime).toMatch(/COPY --from=build .*\/app\/dist \.\/dist/);
    for (const folder of ['bin', 'flows', 'corpus']) expect(runtime).toMatch(new RegExp(`COPY .*\\b${folder} \\./${folder}`));
    expect(runtime).not.toMatch(/COPY .*\bsrc \.\/src/);
  });

  it('runs as a non-root user with a health check on /health', () => {
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/HEALTHCHECK[\s\S]*\/health/);
    expect(runtime).toMatch(/CMD \["node", "bin\/hermes\.js", "serve"\]/);
  });

  it('builds on npm ci (prepare) and needs tsx only in development', () => {
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string>; dependencies: Record<string, string>; devDependencies: Record<string, string> };
    expect(pkg.scripts.prepare).toContain(pkg.scripts.build);
    expect(pkg.dependencies.tsx).toBeUndefined();
    expect(pkg.devDependencies.tsx).toBeDefined();
    expect(read('bin/hermes.js')).toContain('dist/src/cli.js');
  });

  it('keeps the files the tests read in the build context of the dev image', () => {
    const ignored = read('.dockerignore').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
    for (const f of ['Dockerfile', 'docker-compose.yml', '.github', 'test', 'corpus', 'flows', 'scripts']) expect(ignored).not.toContain(f);
  });
});

describe('Grafana dashboard', () => {
  const dash = JSON.parse(read('monitoring/grafana-dashboard.json')) as { panels: { title: string; targets?: { expr: string }[] }[] };
  const exprs = dash.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));

  it('charts calls, turn latency and provider errors', () => {
    const titles = dash.panels.map((p) => p.title).join(' | ');
    expect(titles).toMatch(/Calls started/);
    expect(titles).toMatch(/Turn latency/);
    expect(titles).toMatch(/Provider errors/);
  });

  it('uses only metric names HERMES exports', async () => {
    const metrics = createMetrics();
    const exported = new Set<string>();
    for (const m of await metrics.registry.getMetricsAsJSON()) {
      exported.add(m.name);
      if (String(m.type) === 'histogram') for (const s of ['_bucket', '_sum', '_count']) exported.add(m.name + s);
    }
    const used = new Set(exprs.flatMap((e) => e.match(/\bhermes_[a-z0-9_]+/g) ?? []));
    expect(used.size).toBeGreaterThan(8);
    expect([...used].filter((n) => !exported.has(n))).toEqual([]);
  });
});
