import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createOfflineReasoner, createReasoner, redactCardNumbers } from '../../src/reasoning/index.js';
import type { ReasoningContext, SlotSpec, UtteranceInput } from '../../src/reasoning/types.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/observability/logger.js';

const ctx: ReasoningContext = {
  now: new Date('2026-11-26T15:00:00Z'), timezone: 'America/Chicago', defaultRegion: 'US', language: 'en', transcript: [], slots: {},
};
const said = (text: string, alternatives: UtteranceInput['alternatives'] = []): UtteranceInput => ({ text, alternatives, confidence: 1 });
const slot = (type: SlotSpec['type'], extra: Partial<SlotSpec> = {}): SlotSpec => ({ name: type, type, confirm: 'when_unsure', ...extra });
const reasoner = createOfflineReasoner();

describe('offline reasoner', () => {
  it('turns a phone number said digit by digit with "oh" for zero into E.164 and reads it back grouped', async () => {
    const e = await reasoner.extract(slot('phone'), said('my number is three one two, five five five, oh one four two'), ctx);
    expect(e).toMatchObject({ status: 'ok', value: '+13125550142', confirm: true });
    expect(e.spoken).toBe('three one two, five five five, zero one four two');
  });

  it('turns a spelled email into the address and always asks to confirm it', async () => {
    const e = await reasoner.extract(slot('email'), said("it's m a r i a dot g at gmail dot com"), ctx);
    expect(e).toMatchObject({ status: 'ok', value: 'maria.g@gmail.com', confirm: true });
  });

  it('marks a seven-digit phone number invalid instead of guessing the area code', async () => {
    const e = await reasoner.extract(slot('phone'), said('five five five one two one two'), ctx);
    expect(e.status).toBe('invalid');
    expect(e.reason).toMatch(/7 digits/);
  });

  it('does not read back a phone number when the slot says confirm: never', async () => {
    const e = await reasoner.extract(slot('phone', { confirm: 'never' }), said('312 555 0142'), ctx);
    expect(e.confirm).toBe(false);
  });

  it('reads back a when_unsure value when STT alternatives disagree', async () => {
    const e = await reasoner.extract(slot('digits'), said('four five six seven', [
      { text: 'four five six seven', confidence: 0.6 }, { text: 'four five six eleven', confidence: 0.5 },
    ]), { ...ctx });
    expect(e.value).toBe('4567');
    expect(e.confirm).toBe(true);
    expect(e.confidence).toBeLessThan(0.8);
  });

  it('accepts a when_unsure value silently when it is typed and unambiguous', async () => {
    const e = await reasoner.extract(slot('yes_no'), said('yeah, that is right'), ctx);
    expect(e).toMatchObject({ status: 'ok', value: true, confirm: false });
  });

  it('applies "four not five" to the number already collected', async () => {
    const e = await reasoner.extract(slot('digits'), said("no, it's four not five"), { ...ctx, slots: { digits: '1235' } });
    expect(e.value).toBe('1234');
  });

  it('finds the slot a correction targets', async () => {
    const slots = [slot('person_name', { name: 'caller_name' }), slot('phone', { name: 'callback' })];
    expect(await reasoner.correction(said('no, my name is Ann Lee'), slots, ctx)).toEqual({ slot: 'caller_name', utterance: 'my name is Ann Lee' });
    const c = await reasoner.correction(said('sorry, the number is three one two five five five oh one four three'), slots, ctx);
    expect(c?.slot).toBe('callback');
    expect(await reasoner.correction(said('my name is Ann Lee'), slots, ctx)).toBeNull();
  });

  it('decides emergencies and practice areas by rules', async () => {
    const em = { name: 'is_emergency', question: 'Is this an emergency?', options: ['yes', 'no'] };
    expect((await reasoner.decide(em, said('my son was arrested last night and is in jail'), ctx)).choice).toBe('yes');
    expect((await reasoner.decide(em, said('I have a court hearing tomorrow morning'), ctx)).choice).toBe('yes');
    expect((await reasoner.decide(em, said('I want to update my will'), ctx)).choice).toBe('no');
    const area = { name: 'practice_area', question: 'Which practice area?', options: ['personal_injury', 'family', 'criminal', 'other'] };
    expect((await reasoner.decide(area, said('I got rear-ended on the highway'), ctx)).choice).toBe('personal_injury');
    expect((await reasoner.decide(area, said('quiero el divorcio'), ctx)).choice).toBe('family');
  });
});

describe('redactCardNumbers', () => {
  it('removes typed and spoken card numbers that pass Luhn but leaves phone numbers', () => {
    expect(redactCardNumbers('my card is 4111 1111 1111 1111, thanks')).toBe('my card is [card number removed], thanks');
    expect(redactCardNumbers('four one one one one one one one one one one one one one one one')).toBe('[card number removed]');
    expect(redactCardNumbers('call 312 555 0142')).toBe('call 312 555 0142');
    expect(redactCardNumbers('4111 1111 1111 1112')).toBe('4111 1111 1111 1112');
  });
});

describe('createReasoner', () => {
  it('announces offline mode in the log when no key is configured', () => {
    const lines: string[] = [];
    const sink = new Writable({ write(chunk, _e, cb) { lines.push(String(chunk)); cb(); } });
    const r = createReasoner(loadConfig({}), createLogger('info', sink));
    expect(r.mode).toBe('offline');
    expect(lines.join('')).toMatch(/offline/);
  });
});
