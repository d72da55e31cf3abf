import { describe, expect, it } from 'vitest';
import { createOfflineReasoner } from '../../src/reasoning/index.js';
import type { UnderstandingContext } from '../../src/reasoning/interpretation.js';
import type { SlotSpec } from '../../src/reasoning/types.js';

const slots: SlotSpec[] = [
  { name: 'caller_name', type: 'person_name', confirm: 'when_unsure' },
  { name: 'callback_phone', type: 'phone', confirm: 'when_unsure' },
  { name: 'email', type: 'email', confirm: 'when_unsure' },
  { name: 'represented', type: 'yes_no', confirm: 'when_unsure' },
];
const ctx = (slot: string, extra: Partial<UnderstandingContext> = {}): UnderstandingContext => ({
  now: new Date('2026-11-26T15:00:00Z'), timezone: 'America/Chicago', defaultRegion: 'US', language: 'en', transcript: [], slots: {},
  asked: { slot, purpose: 'answer' }, slotsInScope: slots, faq: [], callerId: '+13125550142', ...extra,
});
const said = (text: string) => ({ text, alternatives: [], confidence: 1 });
const r = createOfflineReasoner();

describe('offline understand', () => {
  it('does not hear a goodbye in "I have to go to court" nor a request for a person in a story that wants a lawyer', async () => {
    const story = "Hi, this is Kathleen O'Malley, I was bitten by my neighbor's dog on Saturday, and I'd like to talk to a lawyer.";
    expect((await r.understand(said(story), ctx('represented'))).requests).toEqual([]);
    expect((await r.understand(said('I have to go to court on January 14th'), ctx('represented'))).requests).toEqual([]);
    expect((await r.understand(said('can I talk to a lawyer please'), ctx('represented'))).requests).toContainEqual({ kind: 'human' });
    expect((await r.understand(said('sorry, I have to go, bye'), ctx('represented'))).requests).toContainEqual({ kind: 'goodbye' });
  });
  it('hears an emergency in "it is an emergency" but not in the emergency room, an emergency contact or a denied one', async () => {
    for (const [t, language] of [['this is an emergency', 'en'], ['es una emergencia, lo acaban de arrestar', 'es']] as const)
      expect((await r.understand(said(t), ctx('represented', { language }))).requests).toContainEqual({ kind: 'emergency' });
    for (const [t, language] of [['yes, Rush emergency room', 'en'], ['they took me to the emergency department', 'en'], ["no, it's not an emergency", 'en'], ['nothing like an emergency, I just have questions', 'en'], ['me llevaron a la sala de emergencias', 'es'], ['no es una emergencia', 'es']] as const)
      expect((await r.understand(said(t), ctx('represented', { language }))).requests.filter((q) => q.kind === 'emergency'), t).toEqual([]);
  });
  it('fills the asked slot through the extract building blocks', async () => {
    const i = await r.understand(said('my name is Ann Lee'), ctx('caller_name'));
    expect(i.fills).toMatchObject([{ slot: 'caller_name', value: 'Ann Lee' }]);
    expect(i.nothingUsable).toBe(false);
  });
  it('reports skip for "skip" and "no tengo" on an optional slot, without a value', async () => {
    for (const [t, language] of [['skip', 'en'], ['no tengo', 'es']] as const) {
      const i = await r.understand(said(t), ctx('email', { language }));
      expect(i.requests).toContainEqual({ kind: 'skip', slot: 'email' });
      expect(i.fills).toEqual([]);
    }
  });
  it('reads "this number is fine" as the caller ID, and only when caller ID is known', async () => {
    expect((await r.understand(said('this number is fine'), ctx('callback_phone'))).requests).toContainEqual({ kind: 'use_caller_id', slot: 'callback_phone' });
    const none = await r.understand(said('this number is fine'), ctx('callback_phone', { callerId: undefined }));
    expect(none.requests.some((q) => q.kind === 'use_caller_id')).toBe(false);
  });
  it('answers a read-back with affirm, and "no, it\'s X" with affirm=false plus the new value', async () => {
    const c = ctx('caller_name', { asked: { slot: 'caller_name', purpose: 'confirm', pendingValue: 'Ann Lee' } });
    expect((await r.understand(said('yes, that is right'), c)).affirm).toBe(true);
    const no = await r.understand(said("no, it's Anne Leigh"), c);
    expect(no.affirm).toBe(false);
    expect(no.fills[0]).toMatchObject({ slot: 'caller_name', value: 'Anne Leigh', confirm: true });
  });
  it('treats "I don\'t have one" on a yes/no question as a no, not a skip', async () => {
    const i = await r.understand(said("no I don't have one"), ctx('represented'));
    expect(i.fills).toMatchObject([{ slot: 'represented', value: false }]);
    expect(i.requests).toEqual([]);
  });
  it('reports requests (human, unknown) and nothing usable only when nothing was found', async () => {
    expect((await r.understand(said('can I speak to a person'), ctx('email'))).requests).toContainEqual({ kind: 'human' });
    expect((await r.understand(said("I don't know"), ctx('caller_name'))).requests).toContainEqual({ kind: 'unknown', slot: 'caller_name' });
    expect((await r.understand(said('hmm'), ctx('callback_phone'))).nothingUsable).toBe(true);
  });
});
