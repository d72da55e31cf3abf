// `hermes bench --stt openai-compatible --tts openai-compatible`: the on-premises speech path under the benchmark, the
// load generator serving the fake OpenAI-compatible audio server. The calls must really talk (the callers' answers
// come back as transcripts and fill slots) and hang up cleanly, with the providers named in the result.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

describe('hermes bench with OpenAI-compatible speech', () => {
  // A busy machine starts a benchmark slowly (two processes, tsx): more than the default 30 s per test.
  it('runs the intake flow with Whisper-style recognition and Kokoro-style voice, and the answers fill slots', { timeout: 90_000 }, async () => {
    const { stdout } = await run(process.execPath, [
      'bin/hermes.js', 'bench', '--calls', '2', '--seconds', '10', '--tts-ms-per-char', '5', '--caller-silence', '300', '--stt', 'openai-compatible', '--tts', 'openai-compatible', '--json',
    ], { timeout: 60_000 });
    const r = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
      calls: number; failed: number; turns: number; slots_filled: { p50: number }; provider_errors: number; dropped_frames: number;
      speech_providers: { stt: string; tts: string };
    };
    expect(r.speech_providers).toEqual({ stt: 'openai-compatible', tts: 'openai-compatible' });
    expect(r.calls).toBe(2);
    expect(r.failed).toBe(0);
    expect(r.turns).toBeGreaterThanOrEqual(4);
    expect(r.slots_filled.p50).toBeGreaterThanOrEqual(2);
    expect(r.provider_errors).toBe(0);
    expect(r.dropped_frames).toBe(0);
  });

  it('refuses an unknown provider with a clear error', async () => {
    await expect(run(process.execPath, ['bin/hermes.js', 'bench', '--stt', 'whisper'], { timeout: 30_000 })).rejects.toThrow(/--stt: expected deepgram or openai-compatible/);
  });
});
