// Classes found on the spent heldout2 corpus (stop 20), through the engine and the bundled flow, worded unlike it.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFlow, type LoadedFlow } from '../../src/flows/index.js';
import { createOfflineReasoner } from '../../src/reasoning/index.js';
import { Call, noRepeats } from './call-helper.js';

let flow: LoadedFlow;
beforeAll(async () => {
  flow = await loadFlow('flows/intake.yaml');
});

describe('alarming words with nothing happening now', () => {
  it('an arrest last weekend the caller is out of is asked about, not transferred, and the intake goes on', async () => {
    const c = new Call(flow, createOfflineReasoner());
    await c.start();
    const out = await c.say('I got arrested Saturday for a bar fight, they let me out Sunday, and I need a lawyer for it');
    expect(out.join(' ')).not.toMatch(/on-call attorney/);
    await c.say('Luis Ferreira');
    expect(c.asked).toBe('is_emergency');
    await c.say('no');
    expect(c.slots.is_emergency).toBe(false);
    expect(c.asked).toBe('existing_client');
    noRepeats(c);
  });

  it('a wanted protective order is no order in place, and threats by text are asked about, not transferred', async () => {
    const c = new Call(flow, createOfflineReasoner());
    await c.start();
    const out = await c.say('I want to file for a protective order, my ex-husband keeps sending me threatening texts');
    expect(out.join(' ')).not.toMatch(/on-call attorney/);
    expect(c.slots.existing_orders).toBeUndefined();
    await c.say('Renata Gilchrist');
    expect(c.asked).toBe('is_emergency');
    await c.say("no, I'm at my cousin's place, it's fine");
    expect(c.slots.is_emergency).toBe(false);
    noRepeats(c);
  });
});

describe('a caller who only asks questions at one prompt', () => {
  it('is not held at the prompt: after three question-only turns the flow moves on', async () => {
    const c = new Call(flow, createOfflineReasoner());
    await c.start();
    for (const a of ['I was rear-ended on the highway last Tuesday', 'Odile Fournier', 'no', 'no', 'Greg Tanaka', 'yes']) await c.say(a);
    expect(c.asked).toBe('email');
    for (let k = 0; k < 3; k++) await c.say('does the firm have a parking garage I can use?');
    expect(c.asked).not.toBe('email');
  });
});
