// How the call page reads a transcript: what the caller heard of an interrupted reply, repeated prompts, and dates
// in the firm's time zone rather than the browser's.
import { describe, expect, it } from 'vitest';
import { clock, setFirmTimeZone, when } from '../../web/src/format.js';
import { conversation } from '../../web/src/transcript.js';

const turn = (seq: number, speaker: string, text: string, extra: { heardText?: string | null; interrupted?: boolean } = {}) =>
  ({ seq, speaker, text, heardText: extra.heardText ?? (speaker === 'agent' ? text : null), interrupted: extra.interrupted ?? false, startedAt: '2026-11-02T05:30:00.000Z' });

describe('transcript as a conversation', () => {
  it('shows only what the caller heard of a reply they cut off, and the rest as not heard', () => {
    const [l] = conversation([turn(0, 'agent', 'May I have your full name, please?', { heardText: 'May I have', interrupted: true })]);
    expect(l).toMatchObject({ who: 'HERMES', said: 'May I have', notHeard: 'your full name, please?' });
  });

  it('marks a prompt HERMES says a second time, and never a caller\'s words', () => {
    const lines = conversation([turn(0, 'agent', 'What is your name?'), turn(1, 'caller', 'um'), turn(2, 'caller', 'um'), turn(3, 'agent', 'What is your name?')]);
    expect(lines.map((l) => l.repeated)).toEqual([false, false, false, true]);
    expect(lines.map((l) => l.who)).toEqual(['HERMES', 'Caller', 'Caller', 'HERMES']);
    expect(lines[0]!.notHeard).toBeNull();
  });

  it('writes dates in the firm\'s time zone', () => {
    setFirmTimeZone('America/Chicago');
    // 05:30 UTC on the 2nd is still the evening of the 1st in Chicago.
    expect(when('2026-11-02T05:30:00.000Z')).toBe('Nov 1, 11:30 PM CST');
    expect(clock('2026-11-02T05:30:00.000Z')).toBe('11:30:00 PM');
    setFirmTimeZone('Europe/London');
    expect(when('2026-11-02T05:30:00.000Z')).toBe('Nov 2, 5:30 AM GMT');
  });
});
