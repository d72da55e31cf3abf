// Every PromQL expression HERMES ships (alert rules, dashboard panels) is parsed with the Prometheus project's own
// grammar, and each metric it names must be one this process exports (or `up`, which Prometheus makes): a renamed
// metric fails here instead of leaving an alert that can never fire. Also: no doubled prefix on the default metrics,
// the dashboard filters by instance, and the delivery-lag gauge reads the outbox at scrape time.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parser } from '@prometheus-io/lezer-promql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/observability/logger.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { createTestDb, type TestDb } from '../helpers/db.js';

const REPO = join(import.meta.dirname, '../..');
const read = (p: string) => readFileSync(join(REPO, p), 'utf8');

/** Metric names a scrape of HERMES can contain: histograms expand to their _bucket, _sum and _count series. */
async function exportedNames(): Promise<Set<string>> {
  const metrics = createMetrics();
  const names = new Set<string>();
  for (const m of await metrics.registry.getMetricsAsJSON()) {
    names.add(m.name);
    if (String(m.type) === 'histogram' || String(m.type) === 'summary') for (const s of ['_bucket', '_sum', '_count']) names.add(m.name + s);
  }
  return names;
}
const PROMETHEUS_OWN = new Set(['up']);

/** The metric names an expression selects, parsed by lezer-promql; throws on a syntax error, naming its position. */
function selectedMetrics(expr: string): string[] {
  const names: string[] = [];
  const c = parser.parse(expr).cursor();
  do {
    if (c.type.isError) throw new Error(`PromQL syntax error at ${c.from} in: ${expr}`);
    if (c.name === 'VectorSelector') {
      const sel = c.node.getChild('Identifier');
      if (sel) names.push(expr.slice(sel.from, sel.to));
    }
  } while (c.next());
  return names;
}

interface Rule { alert: string; expr: string; annotations?: { summary?: string } }
const alertRules = (parse(read('monitoring/alerts.yml')) as { groups: { rules: Rule[] }[] }).groups.flatMap((g) => g.rules);
interface Panel { title: string; targets?: { expr: string }[] }
const dashboard = JSON.parse(read('monitoring/grafana-dashboard.json')) as { panels: Panel[]; templating: { list: { name: string; query: { query: string } }[] } };
const panelExprs = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ title: p.title, expr: t.expr })));

describe('metrics contract', () => {
  let exported: Set<string>;
  beforeAll(async () => {
    exported = await exportedNames();
  });

  it('parser check: a misspelt metric and a syntax error are caught (the check can fail)', () => {
    expect(selectedMetrics('sum(rate(hermes_callz_total[5m])) and on () hour() > 3').filter((n) => !exported.has(n))).toEqual(['hermes_callz_total']);
    expect(() => selectedMetrics('sum(rate(hermes_calls_total[5m])')).toThrow(/syntax error/);
  });

  it('has the alert rules the seed planned, each with a summary', () => {
    const names = alertRules.map((r) => r.alert);
    for (const a of ['HermesCallsFailing', 'HermesProviderErrors', 'HermesOutboxDeadLetters', 'HermesOutboxDeliveryLag', 'HermesNoCallsDuringBusinessHours']) expect(names).toContain(a);
    for (const r of alertRules) expect(r.annotations?.summary, r.alert).toBeTruthy();
  });

  it('names only exported metrics in every alert expression', () => {
    for (const r of alertRules) {
      const names = selectedMetrics(r.expr);
      expect(names.length, r.alert).toBeGreaterThan(0);
      expect(names.filter((n) => !exported.has(n) && !PROMETHEUS_OWN.has(n)), r.alert).toEqual([]);
    }
  });

  it('names only exported metrics in every dashboard panel, each filtered by the instance variable', () => {
    expect(dashboard.templating.list.map((v) => v.name)).toContain('instance');
    const variable = dashboard.templating.list.find((v) => v.name === 'instance')!;
    for (const n of selectedMetrics(variable.query.query.replace(/^label_values\((\w+),.*$/, '$1'))) expect(exported).toContain(n);
    expect(panelExprs.length).toBeGreaterThan(10);
    for (const { title, expr } of panelExprs) {
      expect(selectedMetrics(expr).filter((n) => !exported.has(n)), title).toEqual([]);
      expect(expr, title).toContain('instance=~"$instance"');
    }
  });

  it('exports the default process metrics once prefixed (no hermes_process_process_)', () => {
    expect(exported).toContain('hermes_process_cpu_seconds_total');
    expect(exported).toContain('hermes_nodejs_eventloop_lag_p99_seconds');
    expect([...exported].filter((n) => n.includes('process_process') || n.startsWith('hermes_process_nodejs'))).toEqual([]);
  });
});

describe('delivery lag gauge', () => {
  let tdb: TestDb;
  let app: Awaited<ReturnType<typeof buildApp>>;
  beforeAll(async () => {
    tdb = await createTestDb('sqlite');
    const config = loadConfig({}, { databaseUrl: tdb.url });
    app = await buildApp({ config, log: createLogger('silent'), metrics: createMetrics({ defaultMetrics: false }), db: tdb.db });
  });
  afterAll(async () => {
    await app?.close();
    await tdb?.destroy();
  });
  const lag = async () => {
    const text = (await app.inject({ url: '/metrics', remoteAddress: '127.0.0.1' })).body;
    return Number(/^hermes_outbox_oldest_due_seconds (\S+)$/m.exec(text)?.[1]);
  };

  it('reports the age of the oldest due, undelivered outbox row at each scrape, and 0 when none is due', async () => {
    expect(await lag()).toBe(0);
    const now = Date.now();
    const row = (key: string, createdAgoS: number, dueInS: number, status: string) => ({
      action: 'zapier.post', idempotency_key: key, status,
      created_at: new Date(now - createdAgoS * 1000), next_attempt_at: new Date(now + dueInS * 1000),
    });
    await tdb.db('outbox').insert([
      row('delivered', 3600, -3600, 'delivered'),
      row('not-due-yet', 1800, 600, 'pending'), // waiting for its backoff: not lag
      row('due', 600, -60, 'pending'),
    ]);
    const seconds = await lag();
    expect(seconds).toBeGreaterThanOrEqual(599);
    expect(seconds).toBeLessThan(700);
  });
});
