import { describe, expect, it } from 'vitest';
import { WriteBatch } from '../../src/intake/write-batch.js';

describe('WriteBatch', () => {
  it('writes the rows added in one event-loop turn as one batch, and each add resolves once its row is written', async () => {
    const writes: number[][] = [];
    const b = new WriteBatch<number>(async (rows) => {
      writes.push([...rows]);
    });
    const all = Promise.all([b.add(1), b.add(2), b.add(3)]);
    expect(writes).toEqual([]);
    await all;
    await b.add(4);
    expect(writes).toEqual([[1, 2, 3], [4]]);
  });

  it('a failing batch is retried row by row: only the bad row rejects, the others are written', async () => {
    const written: number[] = [];
    const b = new WriteBatch<number>(async (rows) => {
      if (rows.includes(2)) throw new Error('duplicate row 2');
      written.push(...rows);
    });
    const results = await Promise.allSettled([b.add(1), b.add(2), b.add(3)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(written).toEqual([1, 3]);
  });

  it('starts a new statement when a batch is full', async () => {
    const sizes: number[] = [];
    const b = new WriteBatch<number>(async (rows) => {
      sizes.push(rows.length);
    }, 2);
    await Promise.all([1, 2, 3, 4, 5].map((n) => b.add(n)));
    expect(sizes).toEqual([2, 2, 1]);
  });
});
