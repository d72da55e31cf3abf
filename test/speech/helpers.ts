// Shared helpers for the speech tests: collect provider events and feed audio in Twilio-sized frames.
import type { SttStream } from '../../src/speech/types.js';
import { toFrames } from '../../src/audio/tones.js';

export type SttLogEntry =
  | { e: 'transcript'; text: string; isFinal: boolean; speechFinal: boolean; confidence: number; alternatives: number }
  | { e: 'speechStarted' } | { e: 'utteranceEnd' } | { e: 'reconnecting'; attempt: number } | { e: 'failed'; message: string };

export function record(s: SttStream): SttLogEntry[] {
  const log: SttLogEntry[] = [];
  s.on('transcript', (t) => log.push({
    e: 'transcript', text: t.text, isFinal: t.isFinal, speechFinal: t.speechFinal, confidence: t.confidence, alternatives: t.alternatives.length,
  }));
  s.on('speechStarted', () => log.push({ e: 'speechStarted' }));
  s.on('utteranceEnd', () => log.push({ e: 'utteranceEnd' }));
  s.on('reconnecting', (attempt) => log.push({ e: 'reconnecting', attempt }));
  s.on('failed', (err) => log.push({ e: 'failed', message: err.message }));
  return log;
}

/** Sends audio as 160-byte frames, yielding to the event loop every `yieldEvery` frames (faster than real time). */
export async function play(s: SttStream, audio: Buffer, yieldEvery = 10): Promise<void> {
  let i = 0;
  for (const f of toFrames(audio)) {
    s.sendAudio(f);
    if (++i % yieldEvery === 0) await new Promise((r) => setTimeout(r, 1));
  }
}

export async function waitFor(cond: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export const finals = (log: SttLogEntry[]): string[] =>
  log.flatMap((x) => (x.e === 'transcript' && x.isFinal ? [x.text] : []));
