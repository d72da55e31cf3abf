// serve's reasoner loads its module after listening: the call path sees the same Reasoner before and after, the
// module loads once whoever asks first, and an online reasoner's LLM replies stream through.
import { describe, expect, it } from 'vitest';
import { lazyReasoner } from '../src/lazy-reasoner.js';
import { createOfflineReasoner } from '../src/reasoning/index.js';
import type { Reasoner } from '../src/reasoning/types.js';

describe('lazy reasoner', () => {
  it('loads the real reasoner once, on the first call or on load(), and answers as it does', async () => {
    let loads = 0;
    const real = createOfflineReasoner();
    const lazy = lazyReasoner('offline', async () => {
      loads++;
      return real;
    });
    expect(loads).toBe(0);
    expect(lazy.streamReply).toBeUndefined();
    const input = { text: 'my name is Jane Doe', alternatives: [], confidence: 0.95, language: 'en' as const };
    const slot = { name: 'caller_name', type: 'person_name' as const, confirm: 'never' as const };
    const ctx = { language: 'en' as const, now: new Date('2026-12-01T15:00:00Z'), timezone: 'America/Chicago', defaultRegion: 'US', transcript: [], slots: {} };
    const [a, b] = await Promise.all([lazy.extract(slot, input, ctx), real.extract(slot, input, ctx)]);
    expect(a).toEqual(b);
    expect(JSON.stringify(a)).toContain('Jane');
    await lazy.load();
    expect(loads).toBe(1);
  });

  it('streams an online reasoner\'s replies, and fails the stream (so the caller hears the fallback) when the loaded one has none', async () => {
    const online: Reasoner = {
      ...createOfflineReasoner(),
      mode: 'online',
      async *streamReply(instruction) {
        yield `about ${instruction}.`;
        yield 'Second sentence.';
      },
    };
    const lazy = lazyReasoner('online', async () => online);
    const got: string[] = [];
    for await (const s of lazy.streamReply!('fees', {}, { language: 'en' })) got.push(s);
    expect(got).toEqual(['about fees.', 'Second sentence.']);

    const mismatched = lazyReasoner('online', async () => createOfflineReasoner());
    await expect(async () => {
      for await (const _ of mismatched.streamReply!('x', {}, { language: 'en' })) void _;
    }).rejects.toThrow(/no LLM replies/);
  });
});
