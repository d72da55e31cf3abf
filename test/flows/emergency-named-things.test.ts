// Not every "emergency" is one: a document called an emergency order, or an arrest that ended in a release, leaves the
// flow to ask its emergency question instead of transferring at the opening. Worded unlike the caller corpora.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFlow, type LoadedFlow } from '../../src/flows/index.js';
import { createOfflineReasoner } from '../../src/reasoning/index.js';
import { Call } from './call-helper.js';

let flow: LoadedFlow;
beforeAll(async () => {
  flow = await loadFlow('flows/intake.yaml');
});

async function opening(text: string, language?: 'es'): Promise<Call> {
  const c = new Call(flow, createOfflineReasoner(), language ? { language } : {});
  await c.start();
  await c.say(text);
  return c;
}
// The flow says it is connecting the on-call attorney (then takes a name and a number first).
const transferred = (c: Call) => /on-call attorney|abogad[oa] de guardia/.test(c.transcript);

describe('emergency words that name a thing', () => {
  it('an emergency order or an emergency custody hearing is a matter, not a transfer', async () => {
    for (const t of [
      "I've got an emergency restraining order against my ex-boyfriend and there's a hearing on it in a few weeks",
      'There is an emergency protective order in place against my neighbor and I need help with the next step',
      'we have an emergency custody order from last month and I want a lawyer for the hearing',
    ]) {
      const c = await opening(t);
      expect(transferred(c), c.transcript).toBe(false);
      expect(c.asked, c.transcript).toBe('caller_name');
    }
    const es = await opening('Tengo una orden de emergencia contra mi expareja y necesito ayuda para la audiencia', 'es');
    expect(transferred(es), es.transcript).toBe(false);
  });
  it('an arrest that ended with the police releasing him is asked about, not transferred', async () => {
    const c = await opening('my daughter was picked up by the police for a fight at school, they released her to us, but she has to go to court');
    expect(transferred(c), c.transcript).toBe(false);
  });
  it('a real one still transfers at once', async () => {
    const c = await opening('my son was just arrested, he is at the police station right now');
    expect(transferred(c), c.transcript).toBe(true);
    const e = await opening("it's an emergency, my ex is outside my door right now");
    expect(transferred(e), e.transcript).toBe(true);
  });
});
