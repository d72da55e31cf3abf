import { describe, expect, it } from 'vitest';
import { DBFS_FLOOR, frameLevels, rmsDbfs, VoiceActivityDetector } from '../../src/audio/energy.js';
import { makeNoise, makeSilence, makeSpeech, makeTone, toFrames } from '../../src/audio/tones.js';

describe('energy', () => {
  it('measures digital silence at the floor and a half-scale sine near -9 dBFS', () => {
    expect(rmsDbfs(makeSilence(20))).toBe(DBFS_FLOOR);
    // A sine of amplitude A has RMS A/sqrt(2): 0.5 -> -9.03 dBFS (mu-law quantisation moves it a little).
    expect(rmsDbfs(makeTone(100, 440, 0.5))).toBeCloseTo(-9.03, 0);
  });

  it('reports one level per 20 ms frame', () => {
    const levels = frameLevels(Buffer.concat([makeSilence(40), makeTone(40, 300, 0.3)]));
    expect(levels).toHaveLength(4);
    expect(levels[0]).toBe(DBFS_FLOOR);
    expect(levels[3]).toBeGreaterThan(-20);
  });

  it('generated speech sits well above the VAD threshold and line noise well below', () => {
    const speech = frameLevels(makeSpeech(1000));
    expect(Math.min(...speech)).toBeGreaterThan(-35);
    expect(Math.max(...frameLevels(makeNoise(1000)))).toBeLessThan(-50);
  });
});

describe('voice activity detector', () => {
  it('declares speech after the onset and silence after the hangover, in audio time', () => {
    const vad = new VoiceActivityDetector({ thresholdDbfs: -40, onsetMs: 60, hangoverMs: 200 });
    const changes: { at: number; change: string }[] = [];
    for (const f of toFrames(Buffer.concat([makeSilence(200), makeSpeech(500), makeSilence(400)]))) {
      const c = vad.push(f);
      if (c) changes.push({ at: vad.elapsedMs, change: c });
    }
    expect(changes).toEqual([
      { at: 260, change: 'speechStart' },
      { at: 900, change: 'speechEnd' },
    ]);
    expect(vad.speechStartMs).toBe(200);
  });

  it('ignores a click shorter than the onset and bridges a gap shorter than the hangover', () => {
    const vad = new VoiceActivityDetector({ onsetMs: 60, hangoverMs: 200 });
    const seen: string[] = [];
    const feed = (b: Buffer) => {
      for (const f of toFrames(b)) {
        const c = vad.push(f);
        if (c) seen.push(c);
      }
    };
    feed(Buffer.concat([makeTone(40, 1000, 0.5), makeSilence(300)]));
    expect(seen).toEqual([]);
    feed(Buffer.concat([makeSpeech(300), makeSilence(120), makeSpeech(300), makeSilence(300)]));
    expect(seen).toEqual(['speechStart', 'speechEnd']);
  });
});
