import { describe, expect, it } from 'vitest';
import {
  laplaceConsistency, monteCarloOptions, monteCarloValidate, MonteCarloParameterError, wilsonLowerBound, type McSample,
} from '../../src/reasoning/monte-carlo.js';

const fixed = (values: McSample[], delayMs = 0) => {
  let i = 0;
  return async (count: number, _t: number, signal: AbortSignal): Promise<McSample[]> => {
    if (delayMs) await new Promise((r, j) => { const t = setTimeout(r, delayMs); signal.addEventListener('abort', () => { clearTimeout(t); j(new Error('aborted')); }); });
    const out = values.slice(i, i + count);
    i += count;
    return out;
  };
};

describe('Monte Carlo consistency arithmetic', () => {
  it('uses the rule of succession so few samples never look certain', () => {
    expect(laplaceConsistency(5, 5)).toBeCloseTo(6 / 7);
    expect(laplaceConsistency(4, 5)).toBeCloseTo(5 / 7);
    expect(laplaceConsistency(1, 1)).toBeCloseTo(2 / 3);
    expect(laplaceConsistency(0, 0)).toBe(0);
    expect(() => laplaceConsistency(3, 2)).toThrow(RangeError);
  });

  it('computes a Wilson lower bound below the raw share', () => {
    expect(wilsonLowerBound(5, 5)).toBeLessThan(1);
    expect(wilsonLowerBound(5, 5)).toBeGreaterThan(wilsonLowerBound(4, 5));
    expect(wilsonLowerBound(0, 0)).toBe(0);
  });

  it('rejects bad parameters naming every problem', () => {
    try {
      monteCarloOptions({ samples: 0, concurrency: 99, temperature: 0 });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(MonteCarloParameterError);
      const msg = (err as Error).message;
      expect(msg).toMatch(/samples/);
      expect(msg).toMatch(/concurrency/);
      expect(msg).toMatch(/temperature/);
    }
  });
});

describe('monteCarloValidate', () => {
  it('scores agreement with the candidate across batches', async () => {
    const v = await monteCarloValidate(fixed(['a', 'a', 'b', 'a', 'a', 'a']), 'a', { samples: 6, batchSize: 2, concurrency: 2 });
    expect(v).toMatchObject({ samples: 6, agree: 5, value: 'a', timedOut: false });
    expect(v.consistency).toBeCloseTo(6 / 8);
  });

  it('counts unusable samples as disagreement and failed requests as no sample', async () => {
    const v = await monteCarloValidate(fixed(['a', null, new Error('500'), 'a']), 'a', { samples: 4, batchSize: 4 });
    expect(v).toMatchObject({ samples: 3, agree: 2, failed: 1 });
    expect(v.consistency).toBeCloseTo(3 / 5);
  });

  it('reports the majority value when it differs from the candidate', async () => {
    const v = await monteCarloValidate(fixed(['b', 'b', 'b', 'a', 'b']), 'a', { samples: 5 });
    expect(v.value).toBe('b');
    expect(v.agree).toBe(1);
  });

  it('returns at the deadline with the samples that arrived', async () => {
    let call = 0;
    const sampler = async (count: number, _t: number, signal: AbortSignal): Promise<McSample[]> => {
      const slow = call++ > 0;
      await new Promise((r, j) => { const t = setTimeout(r, slow ? 5000 : 10); signal.addEventListener('abort', () => { clearTimeout(t); j(new Error('aborted')); }); });
      return Array(count).fill('a');
    };
    const v = await monteCarloValidate(sampler, 'a', { samples: 4, batchSize: 2, concurrency: 2, deadlineMs: 200 });
    expect(v.timedOut).toBe(true);
    expect(v.samples).toBe(2);
    expect(v.consistency).toBeCloseTo(3 / 4);
  });
});
