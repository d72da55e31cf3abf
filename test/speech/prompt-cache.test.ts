import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeAudioFor, startFakeDeepgram, type FakeDeepgram } from '../../src/bench/fakes/deepgram-server.js';
import { createDeepgramTts } from '../../src/speech/deepgram-tts.js';
import { PromptCache, promptKey } from '../../src/speech/prompt-cache.js';
import { silentLogger } from '../../src/observability/logger.js';
import type { FixedPrompt } from '../../src/flows/core.js';
import type { TtsProvider } from '../../src/speech/types.js';

const run = promisify(execFile);
const PROMPTS: FixedPrompt[] = [
  { promptId: 'greeting', text: 'Thank you for calling Smith and Jones. This call may be recorded.', language: 'en' },
  { promptId: 'ask_name', text: 'May I have your full name?', language: 'en' },
  { promptId: 'ask_name_es', text: '¿Me puede dar su nombre completo?', language: 'es' },
  { promptId: 'ask_name_again', text: 'May I have your full name?', language: 'en' }, // same text: synthesized once
];
const voiceFor = (l: 'en' | 'es') => (l === 'es' ? 'aura-2-celeste-es' : 'aura-2-thalia-en');

let fake: FakeDeepgram;
let dir: string;

beforeEach(async () => {
  fake = await startFakeDeepgram();
  dir = await mkdtemp(join(tmpdir(), 'hermes-prompts-'));
});
afterEach(async () => {
  await fake.close();
  await rm(dir, { recursive: true, force: true });
});

const tts = () => createDeepgramTts({ apiKey: fake.apiKey, baseUrl: fake.url, log: silentLogger() });

describe('prompt cache', () => {
  it('synthesizes each distinct prompt once per voice and serves it from memory without waiting', async () => {
    const cache = new PromptCache({ dir, tts: tts(), log: silentLogger(), concurrency: 2 });
    expect(cache.get('aura-2-thalia-en', PROMPTS[1]!.text)).toBeUndefined();
    const report = await cache.warm(PROMPTS, voiceFor);
    expect(report).toEqual({ total: 4, fromMemory: 0, fromDisk: 0, synthesized: 3, failed: 0 });
    expect(fake.speak.restRequests).toBe(3);
    expect(cache.get('aura-2-thalia-en', PROMPTS[1]!.text)!.equals(fakeAudioFor(PROMPTS[1]!.text, 60))).toBe(true);
    expect(cache.get('aura-2-celeste-es', PROMPTS[2]!.text)).toBeDefined();
    // A different voice is a different recording.
    expect(cache.get('aura-2-orion-en', PROMPTS[1]!.text)).toBeUndefined();
    const again = await cache.warm(PROMPTS, voiceFor);
    expect(again.fromMemory).toBe(3);
    expect(fake.speak.restRequests).toBe(3);
  });

  it('keeps prompts on disk under hash(voice, text), written whole', async () => {
    const cache = new PromptCache({ dir, tts: tts(), log: silentLogger() });
    await cache.warm(PROMPTS, voiceFor);
    const files = (await readdir(dir)).sort();
    expect(files).toEqual([
      `${promptKey('aura-2-thalia-en', PROMPTS[0]!.text)}.ulaw`,
      `${promptKey('aura-2-thalia-en', PROMPTS[1]!.text)}.ulaw`,
      `${promptKey('aura-2-celeste-es', PROMPTS[2]!.text)}.ulaw`,
    ].sort());
    const onDisk = await readFile(join(dir, `${promptKey('aura-2-thalia-en', PROMPTS[0]!.text)}.ulaw`));
    expect(onDisk.equals(fakeAudioFor(PROMPTS[0]!.text, 60))).toBe(true);
  });

  it('a second process start reads every prompt from disk and makes no provider call', async () => {
    await new PromptCache({ dir, tts: tts(), log: silentLogger() }).warm(PROMPTS, voiceFor);
    const before = fake.speak.restRequests;
    // A real second process: only the disk is shared with the first.
    const script = join(dir, 'second-start.mts');
    const src = join(process.cwd(), 'src');
    await writeFile(script, `
      import { PromptCache } from '${src}/speech/prompt-cache.js';
      import { createDeepgramTts } from '${src}/speech/deepgram-tts.js';
      import { silentLogger } from '${src}/observability/logger.js';
      const tts = createDeepgramTts({ apiKey: '${fake.apiKey}', baseUrl: '${fake.url}', log: silentLogger() });
      const cache = new PromptCache({ dir: '${dir}', tts, log: silentLogger() });
      const prompts = ${JSON.stringify(PROMPTS)};
      const report = await cache.warm(prompts, (l) => (l === 'es' ? 'aura-2-celeste-es' : 'aura-2-thalia-en'));
      const hit = cache.get('aura-2-thalia-en', prompts[0].text);
      console.log(JSON.stringify({ report, bytes: hit ? hit.length : 0, syntheses: cache.syntheses }));
    `);
    const { stdout } = await run(process.execPath, ['--import', 'tsx', script], { cwd: process.cwd(), timeout: 20_000 });
    const out = JSON.parse(stdout.trim().split('\n').at(-1)!) as { report: Record<string, number>; bytes: number; syntheses: number };
    expect(out.report).toEqual({ total: 4, fromMemory: 0, fromDisk: 3, synthesized: 0, failed: 0 });
    expect(out.syntheses).toBe(0);
    expect(out.bytes).toBe(PROMPTS[0]!.text.length * 60 * 8);
    expect(fake.speak.restRequests).toBe(before);
  });

  it('a failed synthesis is reported, not thrown, and is retried on the next warm-up', async () => {
    let calls = 0;
    const flaky: TtsProvider = {
      stream: () => { throw new Error('not used'); },
      synthesize: async (text) => {
        calls++;
        if (calls === 1) throw new Error('provider down');
        return Buffer.from(text);
      },
    };
    const cache = new PromptCache({ dir, tts: flaky, log: silentLogger(), concurrency: 1 });
    const first = await cache.warm(PROMPTS.slice(0, 2), voiceFor);
    expect(first.failed).toBe(1);
    expect(first.synthesized).toBe(2);
    const second = await cache.warm(PROMPTS.slice(0, 2), voiceFor);
    expect(second).toMatchObject({ fromMemory: 1, failed: 0, synthesized: 1 });
  });

  it('without a provider it serves what is on disk and nothing else', async () => {
    await new PromptCache({ dir, tts: tts(), log: silentLogger() }).warm(PROMPTS.slice(0, 1), voiceFor);
    const offline = new PromptCache({ dir, tts: null, log: silentLogger() });
    const r = await offline.warm(PROMPTS, voiceFor);
    expect(r).toMatchObject({ fromDisk: 1, failed: 2, synthesized: 0 });
    expect(offline.get('aura-2-thalia-en', PROMPTS[0]!.text)).toBeDefined();
  });

  it('bounds concurrent syntheses during warm-up', async () => {
    let running = 0;
    let peak = 0;
    const slow: TtsProvider = {
      stream: () => { throw new Error('not used'); },
      synthesize: async (text) => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 10));
        running--;
        return Buffer.from(text);
      },
    };
    const many = Array.from({ length: 12 }, (_, i) => ({ promptId: `p${i}`, text: `Prompt number ${i}.`, language: 'en' as const }));
    const cache = new PromptCache({ dir: null, tts: slow, log: silentLogger(), concurrency: 3 });
    const r = await cache.warm(many, voiceFor);
    expect(r.synthesized).toBe(12);
    expect(peak).toBe(3);
  });
});
