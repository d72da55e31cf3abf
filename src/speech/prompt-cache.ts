// Audio of the flow's fixed prompts, synthesized once per voice and kept in memory and on disk
// (<promptCacheDir>/<sha256(voice, text)>.ulaw, raw mu-law 8 kHz), so a scripted line starts playing with no
// provider call. Warmed at startup in the background with bounded concurrency; a restart reads the disk instead of
// calling the provider. get() is synchronous and memory-only: the call path never waits on disk or network.
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import pLimit from 'p-limit';
import type { FixedPrompt } from '../flows/core.js';
import type { Language } from '../flows/commands.js';
import type { Logger } from '../observability/logger.js';
import type { TtsProvider } from './types.js';

export interface PromptCacheOptions {
  /** Directory for the disk copy; null keeps prompts in memory only. */
  dir: string | null;
  /** Synthesizer; null when no provider is configured (the cache then serves what is on disk). */
  tts: TtsProvider | null;
  log: Logger;
  /** Syntheses running at once during warm-up (keeps startup from tripping provider rate limits). */
  concurrency?: number;
}

export interface WarmReport {
  total: number;
  fromMemory: number;
  fromDisk: number;
  synthesized: number;
  failed: number;
}

export function promptKey(voice: string, text: string): string {
  return createHash('sha256').update(voice).update('\u0000').update(text).digest('hex');
}

export class PromptCache {
  private readonly mem = new Map<string, Buffer>();
  private readonly inflight = new Map<string, Promise<Buffer | undefined>>();
  private readonly limit: ReturnType<typeof pLimit>;
  /** Provider calls made (for tests and metrics: a warm restart makes none). */
  syntheses = 0;

  constructor(private readonly o: PromptCacheOptions) {
    this.limit = pLimit(o.concurrency ?? 4);
  }

  /** The prompt's audio if it is in memory; never waits. */
  get(voice: string, text: string): Buffer | undefined {
    return this.mem.get(promptKey(voice, text));
  }

  get size(): number {
    return this.mem.size;
  }

  /** Memory, then disk, then the provider; undefined when none has it (the caller falls back to streaming TTS). */
  async load(voice: string, text: string): Promise<Buffer | undefined> {
    const key = promptKey(voice, text);
    const hit = this.mem.get(key);
    if (hit) return hit;
    const running = this.inflight.get(key);
    if (running) return running;
    const p = this.fill(key, voice, text).finally(() => this.inflight.delete(key));
    this.inflight.set(key, p);
    return p;
  }

  /**
   * Loads or synthesizes every prompt, `voiceFor` choosing the voice per language. Resolves with counts; never
   * rejects (a prompt that fails is simply not cached and will be synthesized live).
   */
  async warm(prompts: FixedPrompt[], voiceFor: (language: Language) => string): Promise<WarmReport> {
    const report: WarmReport = { total: prompts.length, fromMemory: 0, fromDisk: 0, synthesized: 0, failed: 0 };
    const before = this.syntheses;
    const seen = new Set<string>();
    await Promise.all(prompts.map(async (p) => {
      const voice = voiceFor(p.language);
      const key = promptKey(voice, p.text);
      if (seen.has(key)) return;
      seen.add(key);
      if (this.mem.has(key)) {
        report.fromMemory++;
        return;
      }
      const audio = await this.load(voice, p.text).catch(() => undefined);
      if (!audio) report.failed++;
    }));
    report.synthesized = this.syntheses - before;
    report.fromDisk = seen.size - report.fromMemory - report.failed - report.synthesized;
    this.o.log.info(report, 'prompt cache warmed');
    return report;
  }

  /** Starts warm() without waiting (server start); errors are logged, never thrown. */
  warmInBackground(prompts: FixedPrompt[], voiceFor: (language: Language) => string): Promise<WarmReport> {
    return this.warm(prompts, voiceFor).catch((err: unknown) => {
      this.o.log.error({ err: (err as Error).message }, 'prompt cache warm-up failed');
      return { total: prompts.length, fromMemory: 0, fromDisk: 0, synthesized: 0, failed: prompts.length };
    });
  }

  private async fill(key: string, voice: string, text: string): Promise<Buffer | undefined> {
    const file = this.o.dir ? join(this.o.dir, `${key}.ulaw`) : null;
    if (file) {
      const disk = await readFile(file).catch(() => null);
      if (disk && disk.length > 0) {
        this.mem.set(key, disk);
        return disk;
      }
    }
    if (!this.o.tts) return undefined;
    const tts = this.o.tts;
    try {
      const audio = await this.limit(() => {
        this.syntheses++;
        return tts.synthesize(text, voice);
      });
      if (audio.length === 0) return undefined;
      this.mem.set(key, audio);
      if (file) await this.writeAtomically(file, audio);
      return audio;
    } catch (err) {
      this.o.log.warn({ err: (err as Error).message, promptKey: key }, 'prompt synthesis failed');
      return undefined;
    }
  }

  /** Write-then-rename, so a crash mid-write never leaves a truncated prompt that a restart would play. */
  private async writeAtomically(file: string, audio: Buffer): Promise<void> {
    const dir = this.o.dir!;
    const tmp = join(dir, `.${randomUUID()}.tmp`);
    try {
      await mkdir(dir, { recursive: true });
      await writeFile(tmp, audio);
      await rename(tmp, file);
    } catch (err) {
      await unlink(tmp).catch(() => undefined);
      this.o.log.warn({ err: (err as Error).message }, 'prompt cache could not write to disk; memory copy kept');
    }
  }
}
