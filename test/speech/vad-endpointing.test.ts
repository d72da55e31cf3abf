import { describe, expect, it } from 'vitest';
import { UtteranceEndpointer, type EndpointEvent } from '../../src/speech/vad-endpointing.js';
import { DEFAULT_OPENAI_STT_SETTINGS } from '../../src/speech/openai-audio-settings.js';
import { Resampler, resampleAll } from '../../src/speech/resample.js';
import { encodeWav, readWavHeader } from '../../src/speech/wav.js';
import { makeNoise, makeSilence, makeSpeech } from '../../src/audio/tones.js';
import { muLawToPcm16 } from '../../src/audio/mulaw.js';
import { parseWav, streamingWavHeader } from '../../src/bench/fakes/openai-audio-server.js';

const settings = { ...DEFAULT_OPENAI_STT_SETTINGS };
const utterances = (evs: EndpointEvent[]) => evs.flatMap((e) => (e.type === 'utterance' ? [e] : []));

describe('local endpointing', () => {
  it('cuts one utterance with pre-roll and a short tail, whatever the chunking', () => {
    const audio = Buffer.concat([makeNoise(1000), makeSpeech(1000), makeNoise(1000)]);
    for (const chunk of [160, 37, 1600]) {
      const ep = new UtteranceEndpointer(settings);
      const evs: EndpointEvent[] = [];
      for (let i = 0; i < audio.length; i += chunk) evs.push(...ep.push(audio.subarray(i, i + chunk)));
      expect(evs.map((e) => e.type)).toEqual(['speechStarted', 'utterance']);
      const u = utterances(evs)[0]!;
      expect(u.endOfTurn).toBe(true);
      const ms = u.audio.length / 8;
      // 1000 ms of speech + up to 360 ms before the onset + 200 ms of the closing silence.
      expect(ms).toBeGreaterThanOrEqual(1000);
      expect(ms).toBeLessThanOrEqual(1000 + 360 + 200);
      expect(ep.inSpeech).toBe(false);
    }
  });

  it('a pause shorter than the endpointing keeps one utterance; a longer one makes two', () => {
    const ep = new UtteranceEndpointer(settings);
    const short = ep.push(Buffer.concat([makeSpeech(500), makeSilence(300), makeSpeech(500), makeSilence(800)]));
    expect(utterances(short)).toHaveLength(1);
    const long = ep.push(Buffer.concat([makeSpeech(500), makeSilence(700), makeSpeech(500), makeSilence(800)]));
    expect(utterances(long)).toHaveLength(2);
  });

  it('a caller who talks past the maximum is cut there without ending the turn', () => {
    const ep = new UtteranceEndpointer({ ...settings, maxUtteranceMs: 2000 });
    const evs = ep.push(Buffer.concat([makeSpeech(4500), makeSilence(800)]));
    expect(utterances(evs).map((u) => u.endOfTurn)).toEqual([false, false, true]);
    expect(evs.filter((e) => e.type === 'speechStarted')).toHaveLength(1);
  });

  it('flush() hands over the utterance in progress, and nothing when the caller is quiet', () => {
    const ep = new UtteranceEndpointer(settings);
    expect(ep.flush()).toBeNull();
    ep.push(makeSpeech(400));
    const u = ep.flush();
    expect(u).toMatchObject({ type: 'utterance', endOfTurn: true });
    expect(ep.flush()).toBeNull();
  });
});

describe('resampling and WAV', () => {
  it('24 kHz -> 8 kHz streams to exactly a third of the samples and keeps a 300 Hz tone', async () => {
    const n = 24_000;
    const pcm = new Int16Array(n);
    for (let i = 0; i < n; i++) pcm[i] = Math.round(Math.sin((2 * Math.PI * 300 * i) / 24_000) * 10_000);
    const r = await Resampler.create(24_000, 8000);
    const parts: Int16Array[] = [];
    for (let i = 0; i < n; i += 999) parts.push(r.push(pcm.subarray(i, i + 999)));
    parts.push(r.end());
    const out = parts.flatMap((p) => Array.from(p));
    expect(out).toHaveLength(8000);
    // Compare with the ideal 300 Hz sine at 8 kHz, allowing the filter's delay.
    const rms = Math.sqrt(out.slice(1000, 7000).reduce((s, v) => s + v * v, 0) / 6000);
    expect(rms).toBeGreaterThan(6500);
    expect(rms).toBeLessThan(7600);
  });

  it('a 5 kHz tone, above the 4 kHz limit of 8 kHz audio, is filtered out rather than aliased to 3 kHz', async () => {
    const n = 24_000;
    const pcm = new Int16Array(n);
    for (let i = 0; i < n; i++) pcm[i] = Math.round(Math.sin((2 * Math.PI * 5000 * i) / 24_000) * 10_000);
    const out = await resampleAll(pcm, 24_000, 8000);
    const rms = Math.sqrt(Array.from(out.subarray(1000, 7000)).reduce((s, v) => s + v * v, 0) / 6000);
    expect(rms).toBeLessThan(500);
  });

  it('8 kHz phone audio lifted to 16 kHz WAV parses back with the right rate and length', async () => {
    const pcm = muLawToPcm16(makeSpeech(500));
    const wav = encodeWav(await resampleAll(pcm, 8000, 16_000), 16_000);
    const info = parseWav(wav);
    expect(info).toMatchObject({ sampleRate: 16_000, channels: 1, bitsPerSample: 16 });
    expect(info.samples.length).toBe(8000);
    expect(readWavHeader(wav)).toEqual({ sampleRateHz: 16_000, channels: 1, bitsPerSample: 16, dataOffset: 44 });
    expect(readWavHeader(streamingWavHeader(24_000).subarray(0, 30))).toBeNull();
    expect(() => readWavHeader(Buffer.from('ID3\u0003 not a wav file at all'))).toThrow(/RIFF/);
  });
});
