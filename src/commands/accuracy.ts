// `hermes accuracy [--json]`: field accuracy of the offline extractors on the spoken-form corpus, per slot type and
// per kind of utterance, and the Monte Carlo validator's decision latency (p50/p95) against a fake LLM with 300 ms
// latency, or the configured OpenAI-compatible server with --live.
import type { Command } from 'commander';
import { ConfigError, loadConfig } from '../config.js';
import { runAccuracyReport, type AccuracyOptions, type AccuracyReport, type Tally } from '../reasoning/accuracy.js';

interface Opts { json?: boolean; corpus?: string; runs: string; latencyMs: string; deadlineMs: string; latency: boolean; live?: boolean; failures?: boolean }

function positive(name: string, raw: string, allowZero = false): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0 || (!allowZero && n === 0)) throw new Error(`--${name} must be a ${allowZero ? 'non-negative' : 'positive'} number, got "${raw}"`);
  return n;
}

const pct = (t: Tally) => `${(t.accuracy * 100).toFixed(1)}%`.padStart(7);

export function formatReport(r: AccuracyReport, showFailures: boolean): string {
  const lines: string[] = [];
  lines.push(`Offline field accuracy: ${r.correct}/${r.total} = ${(r.accuracy * 100).toFixed(1)}% (target >= 97%)`, '');
  lines.push('by slot type              cases  correct  accuracy');
  for (const [k, t] of Object.entries(r.byType)) lines.push(`  ${k.padEnd(22)} ${String(t.total).padStart(6)} ${String(t.correct).padStart(8)}  ${pct(t)}`);
  lines.push('', 'by kind of utterance');
  for (const [k, t] of Object.entries(r.byTag)) lines.push(`  ${k.padEnd(22)} ${String(t.total).padStart(6)} ${String(t.correct).padStart(8)}  ${pct(t)}`);
  if (Object.keys(r.decisions).length) {
    lines.push('', 'decisions (offline rule path)');
    for (const [k, t] of Object.entries(r.decisions)) lines.push(`  ${k.padEnd(22)} ${String(t.total).padStart(6)} ${String(t.correct).padStart(8)}  ${pct(t)}`);
  }
  if (r.latency.length) {
    lines.push('', 'Validator decision latency (extract -> verdict, inline or late)');
    for (const l of r.latency) {
      const server = l.fakeLatencyMs !== null ? `fake LLM ${l.fakeLatencyMs} ms, ${l.honourN ? 'honours n' : 'ignores n (parallel requests)'}` : l.server;
      lines.push(`  ${server}: p50 ${l.p50Ms} ms, p95 ${l.p95Ms} ms, max ${l.maxMs} ms over ${l.runs} runs; deadline ${l.deadlineMs} ms ${l.withinDeadline ? 'met' : 'MISSED'}; read-backs ${l.readBacks}; cold start ${l.coldStartMs} ms`);
    }
  }
  if (showFailures && r.failures.length) {
    lines.push('', 'misses');
    for (const f of r.failures) lines.push(`  ${f.file}: "${f.say}" expected ${f.expected}, got ${f.got}`);
  }
  return lines.join('\n');
}

export function registerAccuracy(program: Command): void {
  program
    .command('accuracy')
    .description('Measure spoken-form extraction accuracy on the corpus and validator latency')
    .option('--json', 'print the report as JSON')
    .option('--corpus <dir>', 'corpus directory (default: the corpus/ folder shipped with HERMES)')
    .option('--runs <n>', 'validator latency runs per server mode (0 to skip)', '40')
    .option('--latency-ms <ms>', 'latency of the fake LLM', '300')
    .option('--deadline-ms <ms>', 'validator deadline', '1200')
    .option('--no-latency', 'skip the latency measurement')
    .option('--live', 'measure latency against OPENAI_BASE_URL / OPENAI_API_KEY instead of the fake')
    .option('--failures', 'list the utterances that were missed')
    .action(async (opts: Opts) => {
      let o: AccuracyOptions;
      try {
        o = {
          ...(opts.corpus ? { corpusDir: opts.corpus } : {}),
          latencyRuns: opts.latency ? Math.floor(positive('runs', opts.runs, true)) : 0,
          fakeLatencyMs: positive('latency-ms', opts.latencyMs, true),
          deadlineMs: positive('deadline-ms', opts.deadlineMs),
        };
        if (opts.live) {
          const cfg = loadConfig();
          if (!cfg.openaiApiKey) throw new Error('--live needs OPENAI_API_KEY (and OPENAI_BASE_URL for a self-hosted server)');
          o.llm = { baseURL: cfg.openaiBaseUrl ?? 'https://api.openai.com/v1', apiKey: cfg.openaiApiKey, model: cfg.openaiModel };
        }
      } catch (err) {
        console.error(err instanceof ConfigError ? err.message : `hermes accuracy: ${(err as Error).message}`);
        process.exit(2);
      }
      const report = await runAccuracyReport(o);
      console.log(opts.json ? JSON.stringify(report, null, 2) : formatReport(report, opts.failures ?? false));
      process.exitCode = report.accuracy >= 0.97 && report.latency.every((l) => l.withinDeadline) ? 0 : 1;
    });
}
