import { describe, expect, it } from 'vitest';
import { ByteRing } from '../../src/speech/byte-ring.js';

const bytes = (from: number, n: number) => Buffer.from(Array.from({ length: n }, (_, i) => (from + i) & 0xff));

describe('byte ring (replay buffer)', () => {
  it('keeps the newest bytes up to its capacity, addressed by absolute offsets', () => {
    const r = new ByteRing(1000, 16);
    for (let i = 0; i < 25; i++) r.append(bytes(i * 160, 160)); // 4000 bytes through a 1000-byte ring
    expect(r.end).toBe(4000);
    expect(r.start).toBe(3000);
    expect(r.readFrom().equals(bytes(3000, 1000))).toBe(true);
    expect(r.readFrom(3500).equals(bytes(3500, 500))).toBe(true);
  });

  it('trims to an offset and replays only what follows it', () => {
    const r = new ByteRing(10_000);
    r.append(bytes(0, 800));
    r.append(bytes(800, 800));
    r.trimTo(1200);
    expect(r.length).toBe(400);
    expect(r.readFrom().equals(bytes(1200, 400))).toBe(true);
    r.trimTo(99_999); // beyond the end: empty, never negative
    expect(r.length).toBe(0);
    expect(r.readFrom().length).toBe(0);
  });

  it('grows on demand from a small start without losing or reordering bytes', () => {
    const r = new ByteRing(100_000, 64);
    let n = 0;
    for (let i = 1; i < 60; i++) {
      r.append(bytes(n, i * 7));
      n += i * 7;
    }
    r.trimTo(1000);
    r.append(bytes(n, 5));
    expect(r.readFrom().equals(bytes(1000, n + 5 - 1000))).toBe(true);
  });

  it('an append larger than the capacity keeps only its tail; release() frees the storage', () => {
    const r = new ByteRing(100);
    r.append(bytes(0, 250));
    expect(r.readFrom().equals(bytes(150, 100))).toBe(true);
    r.release();
    r.append(bytes(0, 10));
    expect(r.length).toBe(0);
  });
});
