// When "talk to someone" asks for a person, and when it only says why the caller phoned or asks about availability.
// Worded unlike the caller corpora: the intake is how a caller reaches a lawyer, so a topic after "talk to someone"
// is the reason for the call, and "when can I talk to someone?" is a question for the hours, not a transfer.
import { describe, expect, it } from 'vitest';
import { detectRequests } from '../../src/reasoning/understand/requests.js';

const wantsPerson = (t: string, language: 'en' | 'es' = 'en') => detectRequests(t, { language }).some((r) => r.kind === 'human');

describe('a person asked for, or a reason for the call', () => {
  it('a topic after "talk to someone" is why they call', () => {
    expect(wantsPerson("Good morning, I was hoping to speak with someone regarding my father's will")).toBe(false);
    expect(wantsPerson('hello there, I need to talk to somebody about getting a restraining order')).toBe(false);
    expect(wantsPerson("Yes hi, I'd like to talk to a person about a workplace injury I had")).toBe(false);
  });
  it('asking when a person can be reached is a question', () => {
    expect(wantsPerson('What time could I speak with one of the lawyers?')).toBe(false);
    expect(wantsPerson('ok and who do I talk to after this?')).toBe(false);
    expect(wantsPerson('¿Cuándo puedo hablar con alguien?', 'es')).toBe(false);
  });
  it('a plain request for a person still is one', () => {
    expect(wantsPerson('can I just talk to someone please')).toBe(true);
    expect(wantsPerson("I'd rather speak to a real person")).toBe(true);
    expect(wantsPerson('put me through to the front desk')).toBe(true);
    expect(wantsPerson('quiero hablar con una persona', 'es')).toBe(true);
  });
});
