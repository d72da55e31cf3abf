// Listening like a receptionist, through the engine and the bundled intake flow: the open start, volunteered values
// that make questions unnecessary, questions answered mid-way, skip / "no tengo", caller ID, emergencies that keep the
// intake, corrections and repair. Understanding is the real offline reasoner, with test-given interpretations laid
// over it where a test needs what good understanding will report (names and dates volunteered in one breath).
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFlow, type CallFacts, type LoadedFlow } from '../../src/flows/index.js';
import type { Interpretation, UnderstandingContext } from '../../src/reasoning/interpretation.js';
import { createOfflineReasoner } from '../../src/reasoning/index.js';
import type { Reasoner } from '../../src/reasoning/types.js';
import { simulate } from '../../src/simulate/run.js';
import { readScript } from '../../src/simulate/script.js';
import { fill, overlayReasoner } from './reasoner-double.js';
import { Call as BaseCall, noRepeats } from './call-helper.js';

let flow: LoadedFlow;
beforeAll(async () => {
  flow = await loadFlow('flows/intake.yaml');
});

class Call extends BaseCall {
  constructor(reasoner: Reasoner, facts: Partial<CallFacts> = {}) {
    super(flow, reasoner, facts);
  }
}

type Overlay = (text: string, ctx: UnderstandingContext) => Partial<Interpretation> | undefined;
const offline = () => createOfflineReasoner();
const withOverlay = (o: Overlay) => overlayReasoner(createOfflineReasoner(), o);

describe('the open start', () => {
  it('asks "How can I help you today?" right after the disclosure and keeps the opening statement', async () => {
    const c = new Call(offline());
    const first = await c.start();
    expect(first[0]).toMatch(/AI assistant\. I can't give legal advice/);
    expect(first.at(-1)).toBe('How can I help you today?');
    expect(c.asked).toBe('reason_for_call');
    await c.say('I was in a car accident and I need some help');
    expect(c.slots.reason_for_call).toBe('I was in a car accident and I need some help');
    noRepeats(c);
  });

  it('an opening statement that fills three slots skips their questions, each with a short acknowledgement', async () => {
    const opening = "Hi, I'm Maria Lopez, a truck from Acme Trucking rear-ended me last Tuesday";
    const c = new Call(
      withOverlay((text) =>
        text === opening
          ? {
              fills: [
                fill('reason_for_call', opening),
                fill('caller_name', 'Maria Lopez'),
                fill('practice_area', 'personal_injury'),
                fill('opposing_party', 'Acme Trucking'),
                fill('incident_date', '2026-11-17', 'last Tuesday, November 17th'),
              ],
            }
          : undefined,
      ),
    );
    await c.start();
    const next = await c.say(opening);
    expect(next).toEqual(['Thank you, Maria Lopez.', expect.stringMatching(/^Is this an emergency\?/)]);
    await c.say('no');
    const after = await c.say('no'); // not a current client
    expect(after.slice(0, 3)).toEqual(['I understand this is about injuries and accidents.', 'I have the other party as Acme Trucking.', 'Thank you. One moment while I check our records.']);
    expect(c.effects.recorded[0]).toMatchObject({ action: 'clio.conflict_check', args: { caller_name: 'Maria Lopez', opposing_party: 'Acme Trucking' } });
    expect(c.asked).toBe('callback_phone');
    for (const answer of ['yes', 'skip', 'Cook County', 'no', 'a phone call']) await c.say(answer);
    // In the injury questions the date is acknowledged, not asked.
    expect(c.heard).toContain('Got it, last Tuesday, November 17th.');
    expect(c.asked).toBe('injuries');
    const text = c.transcript;
    expect(text).not.toMatch(/full name|What kind of legal matter|name of the other person|When did the accident happen/);
    expect(c.slots).toMatchObject({ caller_name: 'Maria Lopez', practice_area: 'personal_injury', opposing_party: 'Acme Trucking', incident_date: '2026-11-17' });
    noRepeats(c);
  });

  it('in a practice subflow, the charges and the court date given in the opening are acknowledged, not asked', async () => {
    const opening = 'My son was charged with DUI and his court date is December 1st';
    const c = new Call(
      withOverlay((text) =>
        text === opening
          ? { fills: [fill('reason_for_call', opening), fill('practice_area', 'criminal'), fill('charges', 'DUI'), fill('next_court_date', '2026-12-01', 'Tuesday, December 1st')] }
          : undefined,
      ),
    );
    await c.start();
    for (const answer of [opening, 'Ann Lee', 'no', 'no', 'none', 'yes', 'skip', 'Cook County', 'no']) await c.say(answer);
    const sub = await c.say('a phone call');
    expect(sub).toEqual(["I've noted the charges: DUI.", 'When was the arrest, or when did this happen?']);
    await c.say('last night');
    const custody = await c.say('no');
    expect(custody[0]).toBe('And the next court date is Tuesday, December 1st.');
    expect(c.transcript).not.toMatch(/What are the charges|When is the next court date/);
    expect(c.slots).toMatchObject({ charges: 'DUI', next_court_date: '2026-12-01', in_custody: false });
    noRepeats(c);
  });

  it('an unsure volunteered value is read back at its question instead of asked, and a "no" asks the question itself', async () => {
    const opening = 'I was in a car accident, call me at 312 555 0188';
    const c = new Call(
      withOverlay((text) => (text === opening ? { fills: [fill('reason_for_call', opening), fill('callback_phone', '+13125550188', 'three one two, five five five, zero one eight eight', { confirm: true })] } : undefined)),
      { from: 'anonymous' },
    );
    await c.start();
    for (const answer of [opening, 'Maria Lopez', 'no', 'no', 'none']) await c.say(answer);
    // Unconfirmed until the caller says yes.
    expect(c.heard.at(-1)).toBe('I have three one two, five five five, zero one eight eight. Is that right?');
    expect(c.asked).toBe('callback_phone');
    const no = await c.say('no');
    expect(c.slots.callback_phone).toBeUndefined();
    expect(no.at(-1)).toBe("What's the best phone number to reach you?");
    noRepeats(c);
  });

  it('an opening statement that told the story is the description: the caller is asked only whether there is more', async () => {
    const r = await simulate(flow, await readScript('flows/tests/pi-english-basic.yaml'), createOfflineReasoner());
    const said = r.transcript.filter((t) => t.speaker === 'agent').map((t) => t.text);
    expect(said).toContain("Is there anything else about what happened that the attorney should know? If that's all, just say no.");
    expect(said).not.toContain('In a sentence or two, what happened?');
    expect(r.intake.description).toBe('Hi, I was in a car accident and I need some help');
  });

  it('a decide step judges the opening statement: custody in it goes to the emergency path (rules offline)', async () => {
    const r = overlayReasoner(createOfflineReasoner(), () => undefined);
    const c = new Call(r);
    await c.start();
    const out = await c.say('My son is in jail and I need a lawyer');
    // The emergency is decided first; on the emergency path the matter is placed from the same statement.
    expect(r.decisions).toEqual(['is_emergency: My son is in jail and I need a lawyer', 'practice_area: My son is in jail and I need a lawyer']);
    expect(c.slots).toMatchObject({ is_emergency: true, practice_area: 'criminal' });
    expect(out[0]).toBe("I understand this is urgent, and I'll connect you with our on-call attorney in just a moment.");
    expect(c.asked).toBe('caller_name');
    noRepeats(c);
  });

  it('a decide step places the practice area from the opening, and its question is not asked', async () => {
    const r = overlayReasoner(createOfflineReasoner(), () => undefined);
    const c = new Call(r);
    await c.start();
    for (const answer of ['My wife and I are getting a divorce', 'Emily Stone', 'no']) await c.say(answer);
    const out = await c.say('no');
    expect(r.decisions).toContain('practice_area: My wife and I are getting a divorce');
    expect(out[0]).toBe('I understand this is about family law.');
    expect(c.slots.practice_area).toBe('family');
    expect(c.transcript).not.toContain('What kind of legal matter');
    noRepeats(c);
  });
});

describe('questions, skips and caller ID', () => {
  it('a fee question at the name prompt is answered, then the name is asked again in other words in the same turn', async () => {
    const c = new Call(offline());
    await c.start();
    await c.say('I need help with a divorce');
    expect(c.asked).toBe('caller_name');
    const out = await c.say('How much is a consultation?');
    expect(out).toEqual([
      'A consultation with an attorney is 150 dollars. At the end of this call I can text you a secure link to pay it.',
      'So, may I have your full name, please?',
    ]);
    expect(c.asked).toBe('caller_name');
    expect(c.slots.caller_name).toBeUndefined();
    await c.say('Maria Lopez');
    expect(c.slots.caller_name).toBe('Maria Lopez');
    expect(c.transcript).not.toMatch(/didn't catch/);
    noRepeats(c);
  });

  it('"skip" on the optional email leaves it out and goes on', async () => {
    const c = new Call(offline());
    await c.start();
    for (const answer of ['I was in a car accident', 'Maria Lopez', 'no', 'no', 'Acme Trucking', 'yes']) await c.say(answer);
    expect(c.asked).toBe('email');
    const out = await c.say('skip');
    expect(out).toEqual(["No problem, we'll leave that out.", 'Which county did this happen in?']);
    expect(c.slots).not.toHaveProperty('email');
    noRepeats(c);
  });

  it('"no tengo" on the optional email of a Spanish call leaves it out and goes on in Spanish', async () => {
    const c = new Call(offline(), { language: 'es' });
    await c.start();
    for (const answer of ['Tuve un accidente de carro', 'María López', 'no', 'no', 'Transportes Rápidos', 'sí']) await c.say(answer);
    expect(c.asked).toBe('email');
    const out = await c.say('no tengo');
    expect(out).toEqual(['No hay problema, lo dejamos.', '¿En qué condado ocurrió esto?']);
    expect(c.slots).not.toHaveProperty('email');
    noRepeats(c);
  });

  it('"this number is fine" at a plain phone question is read back by its last four, then stored as the caller ID', async () => {
    const c = new Call(offline());
    await c.start();
    for (const answer of ["I'm calling about my case", 'Sam Wilson', 'no']) await c.say(answer);
    await c.say('yes'); // a current client: the message path asks for a number without offering caller ID
    expect(c.heard.at(-1)).toBe("I'll take a message for your attorney. What's the best number to reach you?");
    const rb = await c.say('this number is fine');
    expect(rb).toEqual(["Just to confirm, we can call you back at the number you're calling from, ending in 1 2 3 4?"]);
    expect(c.slots.callback_phone).toBeUndefined();
    await c.say('yes');
    expect(c.slots.callback_phone).toBe('+13125551234');
    expect(c.asked).toBe('description');
    noRepeats(c);
  });

  it('the intake offers the caller ID by its last four digits; "this number is fine" there takes it', async () => {
    const c = new Call(offline());
    await c.start();
    for (const answer of ['I was in a car accident', 'Maria Lopez', 'no', 'no', 'Acme Trucking']) await c.say(answer);
    expect(c.heard.at(-1)).toBe("Is the number you're calling from, ending in 1 2 3 4, the best one to reach you?");
    await c.say('this number is fine');
    expect(c.slots.callback_phone).toBe('+13125551234');
    expect(c.asked).toBe('email');
    noRepeats(c);
  });

  it('saying the offered number aloud at the caller-ID offer takes it, without "please say yes or no"', async () => {
    const c = new Call(offline());
    await c.start();
    for (const answer of ['I was in a car accident', 'Maria Lopez', 'no', 'no', 'Acme Trucking']) await c.say(answer);
    const out = await c.say('312 555 1234');
    expect(c.slots.callback_phone).toBe('+13125551234');
    expect(out.join(' ')).not.toMatch(/yes or no/);
    expect(c.asked).toBe('email');
  });

  it('"are you a real person?" and a Spanish fee question get the FAQ answers, then the question again', async () => {
    const c = new Call(offline());
    await c.start();
    await c.say('I was in a car accident');
    const out = await c.say('wait, are you a real person?');
    expect(out[0]).toBe("I'm an AI assistant for Rivera & Associates. I take your information for an attorney, and you can ask for a person at any time.");
    expect(out[1]).toBe('So, may I have your full name, please?');

    const es = new Call(offline(), { language: 'es' });
    await es.start();
    await es.say('Tuve un accidente de carro');
    const fee = await es.say('¿Cuánto cuesta la consulta?');
    expect(fee[0]).toMatch(/^La consulta con un abogado cuesta 150 dólares/);
    expect(fee[1]).toBe('Entonces, ¿me puede dar su nombre completo, por favor?');
    noRepeats(c);
    noRepeats(es);
  });

  it('a matter the firm does not take gets an honest answer and the referral path; mid-intake it only gets the answer', async () => {
    const c = new Call(offline());
    await c.start();
    const out = await c.say('Do you handle evictions?');
    expect(out[0]).toBe("We don't handle landlord-tenant matters.");
    expect(out.at(-1)).toBe('Is there another legal matter I can help you with today?');
    expect(c.slots.caller_questions).toBe('Do you handle evictions?');

    const pi = new Call(offline());
    await pi.start();
    for (const answer of ['I was in a car accident', 'Maria Lopez']) await pi.say(answer);
    const mid = await pi.say('Do you handle evictions too?');
    expect(mid[0]).toBe("We don't handle landlord-tenant matters.");
    expect(mid[1]).toMatch(/^So, is this an emergency\?/);
    noRepeats(c);
    noRepeats(pi);
  });
});

describe('emergencies keep the intake', () => {
  it('"my grandson was just arrested, I\'m his grandmother Rosa Diaz": name kept, callback confirmed by caller ID, then transfer', async () => {
    const opening = "My grandson was just arrested, I'm his grandmother Rosa Diaz";
    const c = new Call(withOverlay((text) => (text === opening ? { fills: [fill('reason_for_call', opening), fill('caller_name', 'Rosa Diaz')] } : undefined)));
    await c.start();
    const out = await c.say(opening);
    expect(out).toEqual([
      "I understand this is urgent, and I'll connect you with our on-call attorney in just a moment.",
      'Thank you, Rosa Diaz.',
      'If we get disconnected, can the attorney call you back at the number ending in 1 2 3 4?',
    ]);
    const end = await c.say('yes');
    expect(end).toEqual(['Connecting you now. If anyone is in immediate danger, please hang up and call 911.', '[transfer to +13125550199]']);
    expect(c.slots).toMatchObject({ caller_name: 'Rosa Diaz', callback_phone: '+13125551234', is_emergency: true, reason_for_call: opening });
    noRepeats(c);
  });

  it('without a name in the opening, one short question gets it before the transfer', async () => {
    const c = new Call(offline());
    await c.start();
    const out = await c.say('Please help, my son was just arrested');
    expect(out.at(-1)).toBe("In case we get cut off, what's your name?");
    await c.say('Rosa Diaz');
    await c.say('yes');
    expect(c.heard.at(-1)).toBe('[transfer to +13125550199]');
    expect(c.slots).toMatchObject({ caller_name: 'Rosa Diaz', callback_phone: '+13125551234', reason_for_call: 'Please help, my son was just arrested' });
    noRepeats(c);
  });

  it('with no caller ID the callback number is asked once, then the call is put through', async () => {
    const c = new Call(offline(), { from: 'anonymous' });
    await c.start();
    await c.say('Please help, my son was just arrested');
    await c.say('Rosa Diaz');
    expect(c.heard.at(-1)).toBe('And what number can the attorney call you back on if we get disconnected?');
    await c.say('312 555 0177');
    if (c.asked === 'callback_phone') await c.say('yes'); // a read-back when the digits were unsure
    expect(c.heard.at(-1)).toBe('[transfer to +13125550199]');
    expect(c.slots.callback_phone).toBe('+13125550177');
    noRepeats(c);
  });
});

describe('corrections and repair', () => {
  it('a partial last-name correction changes the last name only and is read back, then the question is put again', async () => {
    const fix = 'my last name is spelled K O W A L S K I';
    const c = new Call(
      withOverlay((text) =>
        text === fix ? { fills: [], corrections: [{ ...fill('caller_name', 'Ann Kowalski', 'Ann Kowalski'), part: 'last' }] } : undefined,
      ),
    );
    await c.start();
    await c.say('I was in a car accident');
    await c.say('Ann Kowalsky');
    expect(c.asked).toBe('is_emergency');
    const out = await c.say(fix);
    expect(out[0]).toBe("Thanks, I've updated that: Ann Kowalski.");
    expect(out[1]).toMatch(/^So, is this an emergency\?/);
    expect(c.slots.caller_name).toBe('Ann Kowalski');
    expect(c.slots.is_emergency).toBeUndefined();
    noRepeats(c);
  });

  it('an unsure correction is asked back as a question before the call goes on', async () => {
    const fix = 'actually my last name is Kowalski';
    const c = new Call(
      withOverlay((text) => (text === fix ? { fills: [], corrections: [{ ...fill('caller_name', 'Ann Kowalski', 'Ann Kowalski, K O W A L S K I', { confirm: true }), part: 'last' }] } : undefined)),
    );
    await c.start();
    await c.say('I was in a car accident');
    await c.say('Ann Kowalsky');
    const out = await c.say(fix);
    expect(out).toEqual(['Before we go on, let me check: I have Ann Kowalski, K O W A L S K I. Is that right?']);
    await c.say('yes');
    expect(c.slots.caller_name).toBe('Ann Kowalski');
    expect(c.asked).toBe('is_emergency');
    noRepeats(c);
  });

  it('repair never repeats a prompt word for word: an example on the second try, other ways on the third', async () => {
    const c = new Call(withOverlay((text) => (/^(uh+|hmm+)$/.test(text) ? { fills: [], invalid: [], requests: [], questions: [] } : undefined)));
    await c.start();
    await c.say('I was in a car accident');
    const second = await c.say('');
    expect(second).toEqual(["Sorry, I didn't catch that.", 'Please tell me your first and last name, for example: Maria Lopez.']);
    const third = await c.say('uhh');
    expect(third[0]).not.toBe("Sorry, I didn't catch that.");
    expect(third.join(' ')).toMatch(/press 0 to reach a person, or say skip/);
    expect(third.at(-1)).toBe('So, may I have your full name, please?');
    noRepeats(c);
  });

  it('a clear sentence that fits no question is acknowledged, never met with "didn\'t catch that"', async () => {
    const said = 'well it has been a really long week for me';
    const c = new Call(withOverlay((text) => (text === said ? { fills: [], invalid: [], requests: [], questions: [] } : undefined)));
    await c.start();
    await c.say('I was in a car accident');
    const out = await c.say(said);
    expect(out[0]).toBe('Thank you for telling me.');
    expect(c.transcript).not.toMatch(/didn't catch/);
    noRepeats(c);
  });
});

describe('the recording disclosure follows the firm setting', () => {
  it('a firm that records says so in English and in Spanish; one that does not never says it', async () => {
    const on = await new Call(offline(), { firm: { recording: true } }).start();
    expect(on[0]).toMatch(/I'm an AI assistant, and this call may be recorded\. I can't give legal advice/);
    const onEs = await new Call(offline(), { firm: { recording: true }, language: 'es' }).start();
    expect(onEs[0]).toMatch(/inteligencia artificial y esta llamada puede ser grabada\. No puedo/);
    const offEs = await new Call(offline(), { firm: { recording: false }, language: 'es' }).start();
    expect(offEs[0]).toMatch(/inteligencia artificial\. No puedo/);
    expect(offEs[0]).not.toMatch(/grabada/);
  });

  it('both wordings of the disclosure are fixed prompts, cached before any call', () => {
    const greeting = flow.fixedPrompts().filter((p) => p.promptId === 'intake.greeting.say.en').map((p) => p.text);
    expect(greeting).toHaveLength(2);
    expect(greeting.filter((t) => t.includes('may be recorded'))).toHaveLength(1);
  });
});
