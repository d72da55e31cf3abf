// The conversation core on a small flow with a scripted reasoner: questions, read-backs, spelling, DTMF, effects,
// subflows, transfers, silence, global handlers, late verdicts, snapshots and determinism.
import { readdirSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Command } from '../../src/flows/commands.js';
import type { ConversationEvent } from '../../src/flows/events.js';
import { createConversation, loadFlow, restoreConversation, type CallFacts, type LoadedFlow } from '../../src/flows/index.js';
import type { Verdict } from '../../src/reasoning/types.js';
import { scriptedReasoner, type Rule } from './reasoner-double.js';

let flow: LoadedFlow;
beforeAll(async () => {
  flow = await loadFlow('test/flows/fixtures/mini.yaml');
});
const facts: CallFacts = { callSid: 'CA1', from: '+13125551234', to: '+13125550100', startedAt: new Date('2026-11-24T16:00:00Z'), channel: 'simulate' };
const say = (text: string): ConversationEvent => ({ type: 'utterance', text, alternatives: [{ text, confidence: 0.9 }], confidence: 0.9, final: true });
const texts = (cmds: Command[]) => cmds.filter((c) => c.type === 'say').map((c) => (c as { text: string }).text);
const listenOf = (cmds: Command[]) => cmds.find((c) => c.type === 'listen') as Extract<Command, { type: 'listen' }> | undefined;
const slotsOf = (cmds: Command[]) => cmds.filter((c) => c.type === 'slot') as Extract<Command, { type: 'slot' }>[];

function start(rule?: Rule, correction?: Parameters<typeof scriptedReasoner>[1]) {
  return createConversation(flow, facts, { reasoner: scriptedReasoner(rule, correction) });
}

describe('conversation engine', () => {
  it('starts with the greeting and the first question, both carrying prompt ids for the cache', async () => {
    const c = start();
    const out = await c.start();
    expect(out[0]).toMatchObject({ type: 'say', text: 'Hello from Test Law.', promptId: 'mini.hello.say.en', language: 'en' });
    expect(out[1]).toMatchObject({ type: 'say', text: 'Your name?', promptId: 'mini.ask_name.prompt.en' });
    expect(listenOf(out)?.expect).toMatchObject({ slot: 'caller_name', slotType: 'person_name', purpose: 'answer', dtmf: false });
  });

  it('an answer emits a confirmed slot command and moves to the next question', async () => {
    const c = start();
    await c.start();
    const out = await c.handle(say('Ann Lee'));
    expect(slotsOf(out)).toEqual([{ type: 'slot', name: 'caller_name', value: 'Ann Lee', confirmed: true }]);
    expect(listenOf(out)?.expect.slot).toBe('area');
    expect(listenOf(out)?.expect.keyterms).toContain('divorce');
  });

  it('a key press answers an enum question through the step DTMF map', async () => {
    const c = start();
    await c.start();
    await c.handle(say('Ann Lee'));
    const out = await c.handle({ type: 'dtmf', digit: '2' });
    expect(slotsOf(out)[0]).toMatchObject({ name: 'area', value: 'criminal', confirmed: true });
  });

  it('reads back an unsure value using its spoken form and accepts a yes', async () => {
    const c = start((slot, text) => (slot.name === 'callback_phone' && /5/.test(text) ? { value: '+13125551234', spoken: 'three one two, five five five, one two three four', confirm: true } : undefined));
    await c.start();
    await c.handle(say('Ann Lee'));
    await c.handle(say('family'));
    const rb = await c.handle(say('312 555 1234'));
    expect(texts(rb)).toEqual(['I have three one two, five five five, one two three four. Is that right?']);
    expect(listenOf(rb)?.expect).toMatchObject({ purpose: 'confirm', pendingValue: '+13125551234', slot: 'callback_phone' });
    expect(rb.find((c) => c.type === 'say')).not.toHaveProperty('promptId');
    const yes = await c.handle(say('yes'));
    expect(slotsOf(yes)[0]).toMatchObject({ name: 'callback_phone', value: '+13125551234', confirmed: true });
    expect(yes.some((c) => c.type === 'effect')).toBe(true);
  });

  it('a "no, it is ..." to a read-back reads back the corrected value', async () => {
    const c = start((slot, text) => (slot.name === 'callback_phone' ? { value: text.replace(/\D/g, ''), spoken: text, confirm: true } : undefined));
    await c.start();
    await c.handle(say('Ann Lee'));
    await c.handle(say('family'));
    await c.handle(say('3125551243'));
    const out = await c.handle(say("no, it's 3125551234"));
    // In other words than the first read-back ("I have 3125551243. Is that right?"): no sentence twice running.
    expect(texts(out)).toEqual(['Just to be sure: 3125551234. Is that correct?']);
    expect(listenOf(out)?.expect.pendingValue).toBe('3125551234');
  });

  it('asks the caller to spell when the reasoner wants it, then reads the spelling back', async () => {
    const c = start((slot, text) => (slot.name === 'caller_name' ? (text === 'Shivon' ? { value: 'Shivon', askToSpell: true } : { value: 'Siobhan', spoken: 'S I O B H A N' }) : undefined));
    await c.start();
    const spell = await c.handle(say('Shivon'));
    expect(texts(spell)).toEqual(['Could you spell that for me, letter by letter?']);
    expect(listenOf(spell)?.expect.purpose).toBe('spell');
    const rb = await c.handle(say('S I O B H A N'));
    expect(texts(rb)).toEqual(['I have S I O B H A N. Is that right?']);
    const yes = await c.handle(say('yes'));
    expect(slotsOf(yes)[0]).toMatchObject({ name: 'caller_name', value: 'Siobhan', confirmed: true });
  });

  it('after max_attempts the step fallback runs (here a transfer to the main number)', async () => {
    const c = start();
    await c.start();
    await c.handle(say('Ann Lee'));
    const first = await c.handle(say('taxes'));
    // "taxes" is a clear word that is not a choice: an honest line (not "didn't catch that"), then the keypad menu.
    expect(texts(first)).toEqual(["I don't think I got that right.", 'Press 1 for family, 2 for criminal.']);
    const second = await c.handle(say('taxes'));
    expect(second.find((c) => c.type === 'transfer')).toMatchObject({ to: '+13125550100', mode: 'warm' });
    expect(c.done).toBe(true);
    expect(c.outcome).toBe('transferred');
  });

  it('"I don\'t know" takes the step fallback at once and stores nothing', async () => {
    const c = start();
    await c.start();
    await c.handle(say('Ann Lee'));
    const out = await c.handle(say("I don't know"));
    expect(texts(out)[0]).toBe("That's okay.");
    expect(slotsOf(out)).toEqual([]);
    expect(out.at(-1)).toMatchObject({ type: 'transfer' });
  });

  it('waits for the effect result, stores its data in a slot, and branches on success', async () => {
    const c = start();
    await c.start();
    await c.handle(say('Ann Lee'));
    await c.handle(say('family'));
    const out = await c.handle(say('3125551234'));
    const effect = out.find((x) => x.type === 'effect') as Extract<Command, { type: 'effect' }>;
    expect(effect).toMatchObject({ action: 'clio.conflict_check', args: { names: ['Ann Lee'] } });
    expect(listenOf(out)).toBeUndefined();
    expect(await c.handle(say('hello?'))).toEqual([]);
    const done = await c.handle({ type: 'effectResult', id: effect.id, ok: true, data: { clear: true } });
    expect(slotsOf(done)[0]).toMatchObject({ name: 'lookup_ok', value: true });
    expect(texts(done)).toEqual(['Thanks Ann Lee, we will call 3125551234.']);
    expect(done.find((x) => x.type === 'say')).not.toHaveProperty('promptId');
    expect(done.at(-1)).toMatchObject({ type: 'end', outcome: 'completed' });
  });

  it('takes the on_failure path when an effect fails', async () => {
    const c = start();
    await c.start();
    await c.handle(say('Ann Lee'));
    await c.handle(say('family'));
    const out = await c.handle(say('3125551234'));
    const effect = out.find((x) => x.type === 'effect') as Extract<Command, { type: 'effect' }>;
    const done = await c.handle({ type: 'effectResult', id: effect.id, ok: false, error: 'Clio down' });
    expect(done.at(-1)).toMatchObject({ type: 'end', outcome: 'message' });
  });

  it('runs a subflow and returns to the calling flow', async () => {
    const c = start();
    await c.start();
    await c.handle(say('Ann Lee'));
    await c.handle(say('criminal'));
    const out = await c.handle(say('3125551234'));
    const effect = out.find((x) => x.type === 'effect') as Extract<Command, { type: 'effect' }>;
    const sub = await c.handle({ type: 'effectResult', id: effect.id, ok: true, data: { clear: true } });
    expect(listenOf(sub)?.expect).toMatchObject({ slot: 'urgent', dtmf: true });
    const back = await c.handle({ type: 'dtmf', digit: '1' });
    expect(slotsOf(back)[0]).toMatchObject({ name: 'urgent', value: true });
    expect(back.at(-1)).toMatchObject({ type: 'end', outcome: 'completed' });
  });

  it('resumes at the fallback when a transfer is not answered', async () => {
    const c = start();
    await c.start();
    await c.handle({ type: 'dtmf', digit: '0' });
    expect(c.outcome).toBe('transferred');
    const out = await c.handle({ type: 'transferResult', answered: false });
    expect(out.at(-1)).toMatchObject({ type: 'end', outcome: 'message' });
    expect(c.outcome).toBe('message');
  });

  it('reprompts after silence and ends the call after too much of it', async () => {
    const c = start();
    await c.start();
    const first = await c.handle({ type: 'silence', ms: 6000 });
    // Never the same prompt twice in a row: the second try explains what is wanted, with an example.
    expect(texts(first)).toEqual(['Are you still there?', 'Please tell me your first and last name, for example: Maria Lopez.']);
    const second = await c.handle({ type: 'silence', ms: 6000 });
    expect(second.at(-1)).toMatchObject({ type: 'end', outcome: 'abandoned' });
    expect(texts(second)).toEqual(['Goodbye.']);
  });

  it('asking for a person triggers the global human handler at any step', async () => {
    const c = start();
    await c.start();
    await c.handle(say('Ann Lee'));
    const out = await c.handle(say('can I talk to a real person please'));
    expect(out.find((x) => x.type === 'transfer')).toMatchObject({ to: '+13125550100' });
  });

  it('a hang-up ends the conversation as abandoned and later events do nothing', async () => {
    const c = start();
    await c.start();
    expect(await c.handle({ type: 'hangup' })).toEqual([{ type: 'end', reason: 'caller hung up', outcome: 'abandoned' }]);
    expect(c.done).toBe(true);
    expect(await c.handle(say('hello'))).toEqual([]);
  });

  it('"español" switches the call to Spanish and asks the same question again', async () => {
    const c = start();
    await c.start();
    const out = await c.handle(say('español'));
    expect(texts(out)).toEqual(['Claro, continuemos en español.', '¿Su nombre?']);
    expect(out.find((x) => x.type === 'say')).toMatchObject({ language: 'es' });
  });

  it('"repeat that" says the last turn again', async () => {
    const c = start();
    await c.start();
    await c.handle(say('Ann Lee'));
    const out = await c.handle(say('sorry, can you repeat that'));
    expect(texts(out)).toEqual(['Family or criminal?']);
    expect(listenOf(out)?.expect.slot).toBe('area');
  });

  it('"start over" clears the slots and begins again', async () => {
    const c = start();
    await c.start();
    await c.handle(say('Ann Lee'));
    const out = await c.handle(say("let's start over"));
    expect(slotsOf(out)).toEqual([{ type: 'slot', name: 'caller_name', value: null, confirmed: false }]);
    // The first question again, not word for word: the caller heard "Your name?" moments ago.
    expect(texts(out)).toEqual(["Okay, let's start over.", 'Hello from Test Law.', 'So, your name?']);
    expect(c.slots()).toEqual({});
  });

  it('a correction of an earlier answer updates that slot and repeats the current question', async () => {
    const c = start(undefined, (text) => (/my name is (.+)/.test(text) ? { slot: 'caller_name', utterance: /my name is (.+)/.exec(text)![1]! } : null));
    await c.start();
    await c.handle(say('Ann Leigh'));
    const out = await c.handle(say('no, my name is Ann Lee'));
    expect(slotsOf(out)).toEqual([{ type: 'slot', name: 'caller_name', value: 'Ann Lee', confirmed: true }]);
    expect(texts(out)).toEqual(["Thanks, I've updated that: Ann Lee.", 'So, family or criminal?']);
  });
});

describe('late verdicts', () => {
  function withVerdict(v: Verdict) {
    let resolve!: (v: Verdict) => void;
    const verdict = new Promise<Verdict>((r) => (resolve = r));
    const c = start((slot, text) => (slot.name === 'caller_name' ? { value: text, spoken: text, lateVerdict: verdict } : undefined));
    return { c, settle: () => resolve(v) };
  }

  it('a value awaiting validation is recorded unconfirmed and the verdict stays out of the snapshot', async () => {
    const { c } = withVerdict({ consistency: 0.9, samples: 5 });
    await c.start();
    const out = await c.handle(say('Ann Lee'));
    expect(slotsOf(out)[0]).toMatchObject({ name: 'caller_name', confirmed: false });
    expect(() => JSON.stringify(c.snapshot())).not.toThrow();
    expect(JSON.stringify(c.snapshot())).not.toContain('lateVerdict');
  });

  it('an agreeing verdict confirms the slot on the next event', async () => {
    const { c, settle } = withVerdict({ consistency: 0.95, value: 'Ann Lee', samples: 5 });
    await c.start();
    await c.handle(say('Ann Lee'));
    settle();
    await Promise.resolve();
    const out = await c.handle(say('family'));
    expect(slotsOf(out)[0]).toEqual({ type: 'slot', name: 'caller_name', value: 'Ann Lee', confirmed: true });
  });

  it('a doubtful verdict turns into a read-back before the next question, then the question is asked', async () => {
    const { c, settle } = withVerdict({ consistency: 0.3, samples: 5 });
    await c.start();
    await c.handle(say('Anne Lee'));
    settle();
    await Promise.resolve();
    const out = await c.handle(say('family'));
    expect(slotsOf(out)[0]).toMatchObject({ name: 'area', value: 'family' });
    // A doubted name is read back as any unsure one: "Lee" (or Li, or Leigh?) spelled.
    expect(texts(out)).toEqual(["Before we go on, let me check: I have Anne Lee, that's L-E-E. Is that right?"]);
    expect(listenOf(out)?.expect).toMatchObject({ slot: 'caller_name', purpose: 'confirm' });
    const yes = await c.handle(say('yes'));
    expect(slotsOf(yes)[0]).toMatchObject({ name: 'caller_name', confirmed: true });
    expect(texts(yes)).toEqual(['Your number?']);
  });

  it('a "no" to the doubtful read-back asks for that slot again and then returns to where the call was', async () => {
    const { c, settle } = withVerdict({ consistency: 0.3, samples: 5 });
    await c.start();
    await c.handle(say('Anne Lee'));
    settle();
    await Promise.resolve();
    await c.handle(say('family'));
    const no = await c.handle(say('no'));
    expect(texts(no)).toEqual(["Sorry about that. Let's try again.", 'So, your name?']);
    const again = await c.handle(say('Ann Lee'));
    expect(slotsOf(again)[0]).toMatchObject({ name: 'caller_name', value: 'Ann Lee' });
    expect(texts(again)).toEqual(['Your number?']);
  });
});

describe('state and determinism', () => {
  const events: ConversationEvent[] = [say('Ann Lee'), { type: 'silence', ms: 6000 }, say('family'), say('3125551234')];

  it('the same events produce the same commands, and a restored snapshot continues identically', async () => {
    const a = start();
    const b = start();
    const outA: Command[][] = [await a.start()];
    const outB: Command[][] = [await b.start()];
    for (const e of events.slice(0, 2)) {
      outA.push(await a.handle(e));
      outB.push(await b.handle(e));
    }
    const snap = JSON.parse(JSON.stringify(a.snapshot()));
    const resumed = restoreConversation(flow, facts, { reasoner: scriptedReasoner() }, snap);
    for (const e of events.slice(2)) {
      const x = await a.handle(e);
      outB.push(await b.handle(e));
      expect(await resumed.handle(e)).toEqual(x);
      outA.push(x);
    }
    expect(outA).toEqual(outB);
    expect(resumed.slots()).toEqual(a.slots());
  });

  it('a snapshot only resumes on the flow it was taken from', async () => {
    const c = start();
    await c.start();
    const gen = await loadFlow('test/flows/fixtures/generate.yaml');
    expect(() => restoreConversation(gen, facts, { reasoner: scriptedReasoner() }, c.snapshot())).toThrow(/snapshot belongs to flow mini@1, not gen@1/);
  });

  it('a reasoning failure is treated as not understood, never silence', async () => {
    const c = createConversation(flow, facts, {
      reasoner: { ...scriptedReasoner(), understand: async () => { throw new Error('LLM down'); } },
    });
    await c.start();
    const out = await c.handle(say('Ann Lee'));
    expect(texts(out)).toEqual(["Sorry, I didn't catch that.", 'Please tell me your first and last name, for example: Maria Lopez.']);
    expect(listenOf(out)?.expect.slot).toBe('caller_name');
  });

  it('a snapshot that is not one is refused', () => {
    expect(() => restoreConversation(flow, facts, { reasoner: scriptedReasoner() }, { foo: 1 })).toThrow(/not a conversation snapshot/);
  });
});

describe('what a loaded flow tells channels', () => {
  it('fixedPrompts lists every fixed text in both languages (firm facts filled in) and no text with caller data', () => {
    const prompts = flow.fixedPrompts();
    expect(prompts).toContainEqual({ promptId: 'mini.hello.say.es', text: 'Hola de Test Law.', language: 'es' });
    expect(prompts).toContainEqual({ promptId: 'crim.ask_urgent.prompt.en', text: 'Is someone in custody?', language: 'en' });
    expect(prompts.some((p) => p.promptId.startsWith('mini.done.'))).toBe(false);
    expect(prompts.some((p) => p.promptId === 'hermes.sorry.es')).toBe(true);
  });

  it('keyterms include enum synonyms and the firm name', () => {
    expect(flow.keyterms()).toEqual(expect.arrayContaining(['Test Law', 'divorce', 'custody', 'arrest']));
  });

  it('the engine imports nothing from telephony, speech, call or Fastify', () => {
    for (const f of readdirSync('src/flows')) {
      const src = readFileSync(`src/flows/${f}`, 'utf8');
      for (const m of src.matchAll(/from '([^']+)'/g)) expect(m[1], `${f}`).not.toMatch(/telephony|speech|\/call\/|fastify|twilio|deepgram/);
    }
  });
});

describe('barge-in', () => {
  it('after a barge-in only the heard part of a prompt reaches the reasoner as agent speech', async () => {
    const seen: string[][] = [];
    const base = scriptedReasoner();
    const c = createConversation(flow, facts, {
      reasoner: { ...base, understand: async (input, ctx) => (seen.push(ctx.transcript.map((t) => `${t.speaker}: ${t.text}`)), base.understand(input, ctx)) },
    });
    const out = await c.start();
    const greeting = out[0] as Extract<Command, { type: 'say' }>;
    expect(await c.handle({ type: 'heard', sayId: greeting.id, upTo: 'Hello' })).toEqual([]);
    await c.handle(say('Ann Lee'));
    expect(seen[0]).toEqual(['agent: Hello', 'agent: Your name?', 'caller: Ann Lee']);
  });
});

describe('loops and repeated questions', () => {
  it('a flow that loops back to the same question asks it again (and does not skip it as answered)', async () => {
    const loop = await loadFlow('test/flows/fixtures/loop.yaml');
    const c = createConversation(loop, facts, { reasoner: scriptedReasoner() });
    await c.start();
    const again = await c.handle(say('0000'));
    expect(texts(again)).toEqual(['That is not a case number we use.', 'So, your case number?']);
    expect(listenOf(again)?.expect.slot).toBe('code');
    const done = await c.handle(say('4711'));
    expect(done.at(-1)).toMatchObject({ type: 'end', outcome: 'completed' });
    expect(c.slots()).toEqual({ code: '4711' });
  });
});

describe('LLM-worded replies and provider failures', () => {
  it('a say step with generate emits a generate command whose fallback is the rendered say text', async () => {
    const gen = await loadFlow('test/flows/fixtures/generate.yaml');
    const c = createConversation(gen, facts, { reasoner: scriptedReasoner() });
    await c.start();
    const out = await c.handle(say('a car accident'));
    expect(out.find((x) => x.type === 'generate')).toMatchObject({
      instruction: "Acknowledge the caller's situation in one short sentence without giving legal advice.",
      fallbackText: 'Thank you for telling me about a car accident.',
      context: expect.objectContaining({ topic: 'a car accident' }),
    });
    expect(out.at(-1)).toMatchObject({ type: 'end', outcome: 'completed' });
  });

  it('when speech recognition fails the caller hears an apology and is put through to the main line', async () => {
    const c = start();
    await c.start();
    const out = await c.handle({ type: 'providerFailure', provider: 'stt', message: 'deepgram closed' });
    expect(texts(out)).toEqual(["I'm sorry, I'm having technical trouble on my end."]);
    expect(out.at(-1)).toMatchObject({ type: 'transfer', to: '+13125550100', mode: 'cold' });
  });
});
