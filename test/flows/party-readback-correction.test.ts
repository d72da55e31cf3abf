// A party read back and corrected ("no, it is my landlord, Ravi Menon") keeps the name, not the caller's phrase: the
// correction is a party answer like the first one, so the conflict check searches the name and the relationship
// stays beside it.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFlow, type LoadedFlow } from '../../src/flows/index.js';
import { createOfflineReasoner } from '../../src/reasoning/index.js';
import { Call, noRepeats } from './call-helper.js';

let flow: LoadedFlow;
beforeAll(async () => {
  flow = await loadFlow('flows/intake.yaml');
});

describe('a party corrected at its read-back', () => {
  it('stores the name the caller gave in the correction, with its relationship', async () => {
    const c = new Call(flow, createOfflineReasoner());
    await c.start();
    for (const t of ['I was in a car accident', 'Dana Whitfield', 'no', 'no']) await c.say(t);
    expect(c.asked, c.transcript).toBe('opposing_party');
    // A hedged answer is read back; the caller corrects it with a phrase that names the party.
    const readBack = (await c.say('I think it was a guy named Ron, maybe')).join(' ');
    expect(readBack, c.transcript).toMatch(/Ron/);
    const again = (await c.say('no, it is my landlord, Ravi Menon')).join(' ');
    // The correction is read back as the name alone, then stored once the caller says yes.
    expect(again, c.transcript).toMatch(/Ravi Menon/);
    expect(again, c.transcript).not.toMatch(/landlord/);
    await c.say('yes');
    const last = c.slotCommands.filter((s) => s.name === 'opposing_party').at(-1);
    expect(last?.value, c.transcript).toBe('Ravi Menon');
    expect(last?.parties?.[0], c.transcript).toMatchObject({ name: 'Ravi Menon', relationship: 'landlord' });
    noRepeats(c);
  });
});
