// Language switch over real sockets: a caller who says "español" is answered in Spanish, and speech recognition must
// follow: HERMES re-opens its Deepgram listen stream with language=es (same keyterms) and closes the English one
// cleanly. The fake Deepgram only "understands" Spanish on a language=es connection (an English model garbles it),
// so the Spanish answer is taken only if the switch happened. Back to English when the caller asks for it.
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../telephony/harness.js';
import type { FakeTwilioCaller } from '../fakes/twilio-caller.js';

const BILINGUAL_FLOW = resolve('test/call/fixtures/bilingual.yaml');

/** What the caller says, and the language a recogniser must listen in to get it right (null: any). */
const SAID: [string, 'en' | 'es' | null][] = [
  ['español', null],
  ['Me llamo Juan Pérez', 'es'],
  ['in English please', null],
  ['divorce', 'en'],
];

let h: Harness;

beforeAll(async () => {
  h = await startHarness({
    config: { defaultFlow: BILINGUAL_FLOW },
    deepgram: {
      script: (ctx) => {
        const line = SAID[ctx.utteranceIndex];
        if (!line) return undefined;
        const [text, needs] = line;
        // A recogniser in the wrong language hears sounds, not the caller's words.
        return needs === null || ctx.params.get('language') === needs ? text : 'may yamo wan pear ace';
      },
    },
  });
});
afterAll(async () => {
  await h.close();
});

async function answer(caller: FakeTwilioCaller): Promise<void> {
  await caller.waitForPrompt(15000, 400);
  await caller.speak(800);
  await caller.silence(800);
}

describe('speech recognition follows the conversation language', () => {
  it('re-opens the STT stream with language=es after "español", takes the Spanish answer, and returns to English', async () => {
    const caller = await h.placeCall({ speed: 2 });
    await answer(caller); // "español"
    await h.deepgram!.waitForListens(2, 8000);
    await answer(caller); // the name, in Spanish
    await answer(caller); // "in English please"
    await h.deepgram!.waitForListens(3, 8000);
    await answer(caller); // the practice area, in English
    await caller.waitFor(() => caller.closedAt !== null, 15000, 'server hang-up');
    await caller.waitFor(() => !h.services.callRuntime.sessions.has(caller.callSid), 5000, 'session released');

    const listens = h.deepgram!.listens.filter((l) => l.key === caller.callSid);
    expect(listens.map((l) => l.params.get('language'))).toEqual(['en', 'es', 'en']);
    const keyterms = listens[0]!.params.getAll('keyterm');
    expect(keyterms).toContain('divorcio');
    for (const l of listens) {
      expect(l.params.getAll('keyterm')).toEqual(keyterms);
      expect(l.params.get('encoding')).toBe('mulaw');
    }
    // The streams switched away from were closed politely (CloseStream, normal close), not dropped.
    for (const l of listens.slice(0, 2)) {
      expect(l.closeStreams).toBe(1);
      expect(l.closeCode).toBe(1000);
    }

    const turns = await h.calls.turns(caller.callSid);
    expect(turns.filter((t) => t.speaker === 'caller').map((t) => t.text)).toEqual(SAID.map(([t]) => t));
    const agent = turns.filter((t) => t.speaker === 'agent').map((t) => t.text);
    expect(agent).toContain('¿Me puede decir su nombre completo, por favor?');
    expect(agent.at(-1)).toBe('Thank you, we will call you back. Goodbye.');
    const intake = await h.db.db('intakes').where({ call_sid: caller.callSid }).first();
    expect(intake.caller_name).toBe('Juan Pérez');
    expect(JSON.parse(intake.slots as string)).toMatchObject({ area: 'family' });
    // No STT socket is left open once the call has hung up.
    await caller.waitFor(() => h.deepgram!.openListens() === 0, 3000, 'every STT socket closed');
  });

  it('a caller who hangs up right after switching leaves no STT socket open', async () => {
    const before = h.deepgram!.listens.length;
    const caller = await h.placeCall({ speed: 2 });
    await answer(caller); // "español"
    await h.deepgram!.waitForListens(before + 2, 8000);
    await caller.hangup();
    await caller.waitFor(() => !h.services.callRuntime.sessions.has(caller.callSid), 5000, 'session released');
    const listens = h.deepgram!.listens.filter((l) => l.key === caller.callSid);
    expect(listens.map((l) => l.params.get('language'))).toEqual(['en', 'es']);
    await caller.waitFor(() => h.deepgram!.openListens() === 0, 3000, 'every STT socket closed');
  });
});
