import { describe, expect, it } from 'vitest';
import { MULAW_DECODE_TABLE, MULAW_SILENCE, muLawDecode, muLawEncode, muLawToPcm16, pcm16ToMuLaw } from '../../src/audio/mulaw.js';

describe('G.711 mu-law codec', () => {
  it('decodes the reference values of G.711', () => {
    expect(muLawDecode(0xff)).toBe(0);
    expect(muLawDecode(0x7f)).toBe(0);
    expect(muLawDecode(0x80)).toBe(32124);
    expect(muLawDecode(0x00)).toBe(-32124);
    expect(muLawDecode(0xfe)).toBe(8);
    expect(muLawDecode(0x7e)).toBe(-8);
    expect(muLawDecode(0xef)).toBe(132); // exponent 1, mantissa 0: ((0<<3)+132)<<1 - 132
  });

  it('encodes silence as 0xFF and clips beyond full scale', () => {
    expect(muLawEncode(0)).toBe(MULAW_SILENCE);
    expect(muLawEncode(32767)).toBe(0x80);
    expect(muLawEncode(-32768)).toBe(0x00);
    expect(muLawEncode(100000)).toBe(0x80);
  });

  it('round-trips every mu-law byte exactly (decode then encode is the identity, except negative zero)', () => {
    for (let b = 0; b < 256; b++) {
      const back = muLawEncode(muLawDecode(b));
      if (b === 0x7f) expect(back).toBe(0xff); // -0 and +0 decode to the same PCM value
      else expect(back).toBe(b);
    }
  });

  it('keeps PCM round-trip error within the quantisation step of each segment', () => {
    for (let s = -32000; s <= 32000; s += 7) {
      const back = muLawDecode(muLawEncode(s));
      const step = Math.abs(s) < 256 ? 16 : Math.abs(s) / 14; // segment step is ~1/16 of the magnitude
      expect(Math.abs(back - s)).toBeLessThanOrEqual(step);
    }
  });

  it('encodes and decodes buffers with the tables', () => {
    const pcm = Int16Array.from([0, 1000, -1000, 20000, -20000, 32767, -32768]);
    const mu = pcm16ToMuLaw(pcm);
    expect(mu.length).toBe(pcm.length);
    const back = muLawToPcm16(mu);
    expect(Array.from(back)).toEqual(Array.from(mu).map((b) => MULAW_DECODE_TABLE[b]));
    expect(back[1]).toBeGreaterThan(900);
    expect(back[2]).toBeLessThan(-900);
  });
});
