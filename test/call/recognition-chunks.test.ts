// Caller audio to STT: 100 ms chunks while the caller speaks or just spoke; larger idle chunks once they have been
// quiet past endpointing and utterance end (a listening caller costs fewer socket writes); the first voiced frame after
// quiet goes at once with what is held, so speech onset is never delayed. No audio is lost or reordered.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { makeSilence, makeSpeech } from '../../src/audio/tones.js';
import { FRAME_BYTES } from '../../src/audio/energy.js';
import { QUIET_AFTER_MS, Recognition } from '../../src/call/recognition.js';
import type { SttEvents, SttProvider, SttStream } from '../../src/speech/types.js';

function rig(idleChunkFrames?: number) {
  const sent: Buffer[] = [];
  const stream = Object.assign(new EventEmitter<SttEvents>(), {
    sendAudio: (b: Buffer) => sent.push(Buffer.from(b)),
    finalize: () => undefined,
    close: async () => undefined,
  }) as SttStream;
  const provider: SttProvider = { open: () => stream };
  const h = { speechStarted: () => undefined, transcript: () => undefined, utteranceEnd: () => undefined, reconnecting: () => undefined, failed: () => undefined };
  const r = new Recognition(provider, 'en', { keyterms: [], tag: 'CA1', chunkFrames: 5, ...(idleChunkFrames !== undefined ? { idleChunkFrames } : {}) }, h);
  r.open();
  const push = (audio: Buffer) => {
    for (let i = 0; i + FRAME_BYTES <= audio.length; i += FRAME_BYTES) r.audio(audio.subarray(i, i + FRAME_BYTES));
  };
  return { sent, push, frames: () => sent.map((b) => b.length / FRAME_BYTES) };
}

describe('recognition chunks', () => {
  it('sends a quiet caller\'s audio in idle chunks and a speaking caller\'s in 100 ms chunks, flushing at the first voiced frame', () => {
    const t = rig(12);
    const quiet = makeSilence(2000);
    const speech = makeSpeech(1000, 3);
    t.push(quiet);
    // 2 s of quiet from the start (the call opens quiet): 100 frames in chunks of 12, 4 frames still held.
    expect(t.frames()).toEqual(Array(8).fill(12));
    t.push(speech.subarray(0, FRAME_BYTES));
    // The first voiced frame goes at once, with the 4 quiet frames held before it.
    expect(t.frames().at(-1)).toBe(5);
    t.push(speech.subarray(FRAME_BYTES));
    const afterOnset = t.frames().length;
    // Speech, then quiet up to QUIET_AFTER_MS: 100 ms chunks (endpointing and utterance end see the silence promptly).
    t.push(makeSilence(QUIET_AFTER_MS));
    expect(t.frames().slice(afterOnset - 1).every((n) => n === 5)).toBe(true);
    t.push(makeSilence(2400));
    expect(t.frames().slice(-8)).toEqual(Array(8).fill(12));
    // Every byte arrived, in order.
    const all = Buffer.concat(t.sent);
    const input = Buffer.concat([quiet, speech, makeSilence(QUIET_AFTER_MS), makeSilence(2400)]);
    expect(input.subarray(0, all.length).equals(all)).toBe(true);
    expect(input.length - all.length).toBeLessThan(12 * FRAME_BYTES);
  });

  it('keeps 100 ms chunks throughout without idle chunks (the option absent)', () => {
    const t = rig();
    t.push(makeSilence(3000));
    t.push(makeSpeech(400, 3));
    expect(t.frames().every((n) => n === 5)).toBe(true);
    expect(t.frames()).toHaveLength(3400 / 20 / 5);
  });
});
