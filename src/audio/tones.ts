// Synthetic mu-law audio for tests, fakes and the benchmark: silence, tones, noise and a speech-like signal whose
// energy a VAD (ours or the fake Deepgram's) recognises as talking. Deterministic (seeded), no I/O.
import { MULAW_SILENCE, pcm16ToMuLaw } from './mulaw.js';
import { SAMPLE_RATE } from './energy.js';

const samplesFor = (ms: number): number => Math.max(0, Math.round((ms * SAMPLE_RATE) / 1000));

/** Digital silence. */
export function makeSilence(ms: number): Buffer {
  return Buffer.alloc(samplesFor(ms), MULAW_SILENCE);
}

/** A sine tone; `amplitude` is 0..1 of full scale (0.3 is about -13 dBFS). */
export function makeTone(ms: number, freqHz = 440, amplitude = 0.3): Buffer {
  const n = samplesFor(ms);
  const pcm = new Int16Array(n);
  const k = (2 * Math.PI * freqHz) / SAMPLE_RATE;
  for (let i = 0; i < n; i++) pcm[i] = Math.round(Math.sin(k * i) * amplitude * 32767);
  return pcm16ToMuLaw(pcm);
}

/** Small deterministic PRNG (mulberry32) so generated audio is identical run to run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** White noise; amplitude 0.003 is line hiss around -55 dBFS, below any sane VAD threshold. */
export function makeNoise(ms: number, amplitude = 0.003, seed = 1): Buffer {
  const n = samplesFor(ms);
  const rnd = prng(seed);
  const pcm = new Int16Array(n);
  for (let i = 0; i < n; i++) pcm[i] = Math.round((rnd() * 2 - 1) * amplitude * 32767);
  return pcm16ToMuLaw(pcm);
}

/**
 * Speech-like audio: voiced "syllables" (a harmonic tone with a 4 Hz envelope and a little noise) with no gap long
 * enough for a VAD hangover to end the utterance. Loud enough (about -20 dBFS) to read as speech.
 */
export function makeSpeech(ms: number, seed = 7): Buffer {
  const n = samplesFor(ms);
  const rnd = prng(seed);
  const pcm = new Int16Array(n);
  const f0 = 110 + rnd() * 80;
  for (let i = 0; i < n; i++) {
    const t = i / SAMPLE_RATE;
    const envelope = 0.65 + 0.35 * Math.sin(2 * Math.PI * 4 * t);
    const voiced = Math.sin(2 * Math.PI * f0 * t) * 0.6 + Math.sin(2 * Math.PI * 2 * f0 * t) * 0.3 + Math.sin(2 * Math.PI * 3 * f0 * t) * 0.1;
    const v = (voiced * envelope * 0.25 + (rnd() * 2 - 1) * 0.01) * 32767;
    pcm[i] = Math.max(-32768, Math.min(32767, Math.round(v)));
  }
  return pcm16ToMuLaw(pcm);
}

/** Splits audio into 20 ms (160-byte) frames; the last one is padded with silence. */
export function toFrames(muLaw: Buffer, frameBytes = 160): Buffer[] {
  const frames: Buffer[] = [];
  for (let i = 0; i < muLaw.length; i += frameBytes) {
    const f = muLaw.subarray(i, i + frameBytes);
    frames.push(f.length === frameBytes ? f : Buffer.concat([f, Buffer.alloc(frameBytes - f.length, MULAW_SILENCE)]));
  }
  return frames;
}
