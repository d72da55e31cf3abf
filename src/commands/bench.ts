// `hermes bench` (and `npm run bench`): the call path under load against the fakes, with fixed provider delays.
// Prints a table and ends with ONE JSON object (the contract: calls, turns, overhead_ms, greeting_ms, greeting_gaps,
// spurious_barge_ins, event_loop_delay_ms, idle_rss_mb, jitter_ms,
// dropped_frames, cpu_ms_per_call_minute, rss_kb_per_call, fakes_event_loop_delay_ms, ...). --ramp finds the largest N whose p99 overhead stays
// under 50 ms. --accuracy runs the reasoning accuracy report instead.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { BUNDLED_FLOW, DEFAULT_BENCH, runBench, type BenchOptions } from '../bench/run.js';
import type { BenchResult } from '../bench/stats.js';
import type { SpeechProviderName } from '../config.js';
import { runAccuracyReport } from '../reasoning/accuracy.js';
import { formatReport } from './accuracy.js';

const int = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`expected a whole number, got "${v}"`);
  return n;
};

function table(rows: BenchResult[]): string {
  const head = ['calls', 'turns', 'failed', 'completed', 'ovh p50', 'ovh p95', 'ovh p99', 'greet p50', 'greet p99', 'reply srv p99', 'reply caller p99', 'reply final p99', 'gaps>100', 'gap p99', 'spurious', 'loop p99', 'jitter p99', 'dropped', 'late', 'cpu ms/call-min', 'rss KB/call', 'idle MB'];
  const lines = rows.map((r) => [
    r.calls, r.turns, r.failed, r.completed, r.overhead_ms.p50, r.overhead_ms.p95, r.overhead_ms.p99, r.greeting_ms.p50, r.greeting_ms.p99, r.reply_server_ms.p99, r.reply_ms.p99, r.reply_after_final_ms.p99,
    r.greeting_gaps.calls_over_100ms, r.greeting_gaps.worst_gap_p99_ms, r.spurious_barge_ins, r.event_loop_delay_ms.p99,
    r.jitter_ms.p99, r.dropped_frames, r.late_frames, r.cpu_ms_per_call_minute, r.rss_kb_per_call, r.idle_rss_mb,
  ].map(String));
  const w = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: string[]) => cells.map((c, i) => c.padStart(w[i]!)).join('  ');
  return [fmt(head), ...lines.map(fmt)].join('\n');
}

export function registerBench(program: Command): void {
  program
    .command('bench')
    .description('Benchmark the call path: N simulated Twilio callers against HERMES and fake providers on loopback')
    .option('--flow <path>', 'flow file run by the real flow engine with the offline reasoner (the callers answer the bundled intake flow)', BUNDLED_FLOW)
    .option('--core <name>', '"minimal": the benchmark\'s minimal core (greeting + short replies) instead of a flow')
    .option('--calls <n>', 'concurrent calls', int, DEFAULT_BENCH.calls)
    .option('--seconds <s>', 'how long each call talks (after ramp-up)', int, DEFAULT_BENCH.seconds)
    .option('--stt-delay <ms>', 'fixed delay the fake Deepgram adds to every STT message', int, DEFAULT_BENCH.sttDelayMs)
    .option('--tts-delay <ms>', 'fixed first-byte delay of the fake Deepgram TTS', int, DEFAULT_BENCH.ttsDelayMs)
    .option('--tts-ms-per-char <ms>', 'length of the fake TTS audio per character (speaking rate)', int, DEFAULT_BENCH.ttsMsPerChar)
    .option('--dynamic-every <n>', 'minimal core: every n-th reply is synthesized live instead of cached (0 = never)', int, DEFAULT_BENCH.dynamicEvery)
    .option('--ramp-up <ms>', 'spread call starts over this long (default: 5 ms per call, at most 30% of --seconds)', int)
    .option('--stt-chunk-frames <n>', 'server setting override: 20 ms frames per message to Deepgram (default: the server\'s)', int)
    .option('--stt-idle-chunk-frames <n>', 'server setting override: 20 ms frames per message to Deepgram while the caller is quiet (default: the server\'s; <= --stt-chunk-frames = off)', int)
    .option('--outbound-chunk-frames <n>', 'server setting override: 20 ms frames per media message to Twilio (default: the server\'s)', int)
    .option('--prompt-lead-ms <ms>', 'server setting override: fixed prompts sent this far ahead of playback (0 = paced like live audio)', int)
    .option('--database-url <url>', 'postgres://... server to create a fresh database on for the run (default: a SQLite file in WAL mode)')
    .option('--workers <n>', 'server processes: 0 = in the benchmark\'s process; N = N node:cluster workers on one port, as `hermes serve --workers N`', int, DEFAULT_BENCH.workers)
    .option('--caller-processes <n>', 'processes the simulated callers are spread over (the fake providers always run in one of their own)', int, DEFAULT_BENCH.callerProcesses)
    .option('--profile-dir <dir>', 'write a V8 CPU profile of each server process over the measured window here (list its top items: node scripts/profile-top.mjs <dir>)')
    .option('--caller-silence <ms>', 'callers speak only after this long without agent audio (real callers do not talk over a prompt)', int, DEFAULT_BENCH.silenceBeforeSpeechMs)
    .option('--stt <provider>', 'speech recognition: deepgram (its fake) or openai-compatible (the fake Whisper server, local endpointing)', 'deepgram')
    .option('--tts <provider>', 'voice: deepgram (its fake) or openai-compatible (the fake Kokoro server, streamed pcm)', 'deepgram')
    .option('--ramp', 'find the largest N whose p99 overhead stays under 50 ms (doubling, then bisecting)')
    .option('--json', 'print only the JSON result')
    .option('--accuracy', 'run the reasoning accuracy report instead of the load benchmark')
    .action(async (o: { flow: string; core?: string; calls: number; seconds: number; sttDelay: number; ttsDelay: number; ttsMsPerChar: number; dynamicEvery: number; rampUp?: number; sttChunkFrames?: number; sttIdleChunkFrames?: number; outboundChunkFrames?: number; promptLeadMs?: number; databaseUrl?: string; workers: number; callerProcesses: number; profileDir?: string; callerSilence: number; stt: string; tts: string; ramp?: boolean; json?: boolean; accuracy?: boolean }) => {
      if (o.accuracy) {
        await runAccuracy(o.json ?? false);
        return;
      }
      const say = (line: string) => {
        if (!o.json) console.error(line);
      };
      if (o.core !== undefined && o.core !== 'minimal') throw new Error(`--core: only "minimal" is known, got "${o.core}"`);
      const provider = (flag: string, v: string): SpeechProviderName => {
        if (v !== 'deepgram' && v !== 'openai-compatible') throw new Error(`${flag}: expected deepgram or openai-compatible, got "${v}"`);
        return v;
      };
      const stt = provider('--stt', o.stt);
      const tts = provider('--tts', o.tts);
      const base: BenchOptions = {
        ...DEFAULT_BENCH, flow: o.core === 'minimal' ? null : resolve(o.flow), calls: o.calls, seconds: o.seconds, sttDelayMs: o.sttDelay, ttsDelayMs: o.ttsDelay, ttsMsPerChar: o.ttsMsPerChar, dynamicEvery: o.dynamicEvery,
        rampUpMs: o.rampUp ?? -1,
        workers: o.workers, silenceBeforeSpeechMs: o.callerSilence, callerProcesses: Math.max(1, o.callerProcesses),
        ...(o.profileDir ? { profileDir: resolve(o.profileDir) } : {}),
        ...(o.databaseUrl ? { databaseUrl: o.databaseUrl } : {}),
        stt, tts,
        turn: {
          ...(o.sttChunkFrames !== undefined ? { sttChunkFrames: o.sttChunkFrames } : {}),
          ...(o.sttIdleChunkFrames !== undefined ? { sttIdleChunkFrames: o.sttIdleChunkFrames } : {}),
          ...(o.outboundChunkFrames !== undefined ? { outboundChunkFrames: o.outboundChunkFrames } : {}),
          ...(o.promptLeadMs !== undefined ? { promptLeadMs: o.promptLeadMs } : {}),
        },
      };
      if (!o.ramp) {
        const r = await runBench(base, say);
        if (!o.json) console.log(table([r]));
        console.log(JSON.stringify(r));
        process.exit(0);
      }
      const rows: BenchResult[] = [];
      const ok = (r: BenchResult) => r.failed === 0 && r.overhead_ms.p99 < 50;
      let good: BenchResult | null = null;
      let bad: number | null = null;
      let n = Math.max(10, o.calls);
      while (bad === null && n <= 4000) {
        const r = await runBench({ ...base, calls: n }, say);
        rows.push(r);
        say(table([r]).split('\n')[1]!);
        if (ok(r)) {
          good = r;
          n *= 2;
        } else bad = n;
      }
      let lo = good?.calls ?? 0;
      let hi = bad ?? lo;
      while (bad !== null && hi - lo > Math.max(25, lo / 8)) {
        const mid = Math.round((lo + hi) / 2);
        const r = await runBench({ ...base, calls: mid }, say);
        rows.push(r);
        say(table([r]).split('\n')[1]!);
        if (ok(r)) {
          good = r;
          lo = mid;
        } else hi = mid;
      }
      if (!o.json) console.log(table(rows.sort((a, b) => a.calls - b.calls)));
      console.log(JSON.stringify({ ...(good ?? rows[0]!), ramp: { max_calls_p99_under_50ms: good?.calls ?? 0, steps: rows.map((r) => ({ calls: r.calls, overhead_p99: r.overhead_ms.p99, failed: r.failed })) } }));
      process.exit(0);
    });
}

/** `--accuracy`: the reasoning area's report (field accuracy on the corpus and validator latency against its fake LLM). */
async function runAccuracy(json: boolean): Promise<void> {
  const report = await runAccuracyReport({});
  console.log(json ? JSON.stringify(report) : formatReport(report, false));
  process.exit(0);
}
