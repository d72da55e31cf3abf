// Listening classes found on the tuning corpus, through the engine and the bundled flow, worded unlike the corpus:
// a matter the firm does not take still leaves a lead; a value the flow set itself is not "acknowledged" to the caller.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFlow, type LoadedFlow } from '../../src/flows/index.js';
import { createOfflineReasoner } from '../../src/reasoning/index.js';
import { Call, noRepeats } from './call-helper.js';

let flow: LoadedFlow;
beforeAll(async () => {
  flow = await loadFlow('flows/intake.yaml');
});

describe('a matter the firm does not take', () => {
  it('gets the honest answer, then the caller details for a referral call-back, with no fee link and no "about other"', async () => {
    const c = new Call(flow, createOfflineReasoner());
    await c.start();
    const first = await c.say('Hello. Do you guys handle bankruptcy? The creditors keep calling me at work.');
    expect(first[0]).toBe("We don't handle bankruptcy.");
    expect(first.at(-1)).toBe('Is there another legal matter I can help you with today?');
    const no = await c.say('no, just that');
    expect(no.join(' ')).toMatch(/take your details, so an attorney can call you back with a referral/);
    expect(no.at(-1)).toBe('May I have your full name, please?');
    for (const answer of ['Dolores Haney', 'no', 'no']) await c.say(answer);
    expect(c.slots.practice_area).toBe('other');
    expect(c.heard.join(' ')).not.toMatch(/about other/);
    expect(c.asked).toBe('opposing_party');
    for (const answer of ['Capital Recovery Services', 'yes', 'skip', 'DuPage', 'no', 'a phone call']) await c.say(answer);
    while (c.asked && c.asked !== 'referral_source') await c.say('no');
    await c.say('a friend');
    expect(c.slots.callback_phone).toBe('+13125551234');
    expect(c.effects.recorded.map((e) => e.action)).not.toContain('lawpay.payment_link_sms');
    expect(c.effects.recorded.map((e) => e.action)).toContain('clio.create_intake');
    noRepeats(c);
  });
});

describe('a matter the firm does not take, told rather than asked', () => {
  it('"the bank is foreclosing ... my creditors" gets the same honest answer and the referral path', async () => {
    const c = new Call(flow, createOfflineReasoner());
    await c.start();
    const out = await c.say('my creditors are after me and I think I have to file chapter 7 before they take the car');
    expect(out[0]).toBe("We don't handle bankruptcy.");
    expect(out.at(-1)).toBe('Is there another legal matter I can help you with today?');
    expect(c.slots.reason_for_call).toMatch(/chapter 7/);
    noRepeats(c);
  });

  it('an injury told with a not-handled word in it is still an injury', async () => {
    const c = new Call(flow, createOfflineReasoner());
    await c.start();
    const out = await c.say("my landlord's stairs collapsed and I was injured");
    expect(out.join(' ')).not.toMatch(/don't handle/);
  });
});

describe('a question at a yes/no prompt', () => {
  it('is answered and the yes/no asked again, never read as a yes', async () => {
    const c = new Call(flow, createOfflineReasoner());
    await c.start();
    for (const answer of ['a car ran a red light and hit me on Monday', 'Nadia Farouk', 'no', 'no', 'Lucas Byrne', 'yes', 'skip', 'Cook']) await c.say(answer);
    if (process.env.LISTEN_DEBUG) console.log(c.transcript);
    expect(c.asked).toBe('represented');
    const out = await c.say('Do you also do wills? My mother was asking me.');
    expect(out.join(' ')).not.toMatch(/a yes\?/);
    expect(out.at(-1)).toMatch(/lawyer for this matter\?$/);
    expect(c.slots.represented).toBeUndefined();
  });
});

describe('an emergency keeps the story', () => {
  it('the opening statement is the description before the transfer', async () => {
    const c = new Call(flow, createOfflineReasoner());
    await c.start();
    await c.say("my ex broke in tonight and he's threatening me with a gun, I'm hiding at my neighbor's");
    for (const answer of ['Rita Okonkwo', 'yes']) await c.say(answer);
    expect(c.heard.join(' ')).toMatch(/transfer to/);
    expect(c.slots.description).toMatch(/with a gun/);
  });
});
