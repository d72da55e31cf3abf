import { describe, expect, it } from 'vitest';
import { loadCorpus, runAccuracyReport } from '../../src/reasoning/accuracy.js';

describe('spoken-form corpus', () => {
  it('has at least 400 utterances covering plain, noisy, spelled, corrected and Spanish speech', () => {
    const cases = loadCorpus().flatMap((f) => f.cases);
    expect(cases.length).toBeGreaterThanOrEqual(400);
    for (const tag of ['plain', 'noisy', 'spelled', 'corrected', 'es']) {
      expect(cases.filter((c) => c.tags.includes(tag)).length, tag).toBeGreaterThanOrEqual(20);
    }
  });

  it('is read offline with at least 97% exact-field accuracy', async () => {
    const r = await runAccuracyReport({ latencyRuns: 0 });
    const misses = r.failures.map((f) => `${f.file}: "${f.say}" expected ${f.expected}, got ${f.got}`).join('\n');
    expect(r.accuracy, misses).toBeGreaterThanOrEqual(0.97);
    for (const [type, t] of Object.entries(r.byType)) expect(t.accuracy, `${type}\n${misses}`).toBeGreaterThanOrEqual(0.9);
  });

  it('decides emergencies and practice areas by rules on the decision corpus', async () => {
    const r = await runAccuracyReport({ latencyRuns: 0 });
    expect(Object.keys(r.decisions)).toEqual(expect.arrayContaining(['is_emergency', 'practice_area']));
    for (const [name, t] of Object.entries(r.decisions)) expect(t.accuracy, name).toBeGreaterThanOrEqual(0.9);
  });

  it('measures validator latency against the fake LLM and counts the read-backs its doubts cause', async () => {
    const r = await runAccuracyReport({ latencyRuns: 5, fakeLatencyMs: 20, deadlineMs: 1200 });
    expect(r.latency).toHaveLength(2);
    for (const l of r.latency) {
      expect(l.runs).toBe(5);
      expect(l.p95Ms).toBeGreaterThanOrEqual(l.p50Ms);
      // Case 5 of 5 gets one disagreeing sample, so at least that one must be read back.
      expect(l.readBacks).toBeGreaterThanOrEqual(1);
    }
  });
});
