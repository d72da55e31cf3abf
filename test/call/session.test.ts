import { afterEach, describe, expect, it } from 'vitest';
import { CallSession } from '../../src/call/session.js';
import { turnSettings, type TurnSettings } from '../../src/call/turn-settings.js';
import { APOLOGY_TEXT, type CallControl, type PromptAudio, type ReplyStreamer } from '../../src/call/ports.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { silentLogger } from '../../src/observability/logger.js';
import { makeSpeech } from '../../src/audio/tones.js';
import type { Command } from '../../src/flows/commands.js';
import type { ConversationEvent } from '../../src/flows/events.js';
import { RecordingOut, ScriptedCore, TestTts, sleep, staticFlow, sttProvider, until } from './doubles.js';

const say = (id: string, text: string, extra: Partial<Extract<Command, { type: 'say' }>> = {}): Command => ({
  type: 'say', id, text, interruptible: true, language: 'en', ...extra,
});
const listen = (timeoutMs = 0): Command => ({ type: 'listen', expect: { keyterms: [], dtmf: true }, timeoutMs });

class MapPrompts implements PromptAudio {
  map = new Map<string, Buffer>();
  get(voice: string, text: string) {
    return this.map.get(`${voice}|${text}`);
  }
  put(text: string, audio: Buffer) {
    this.map.set(`voice|${text}`, audio);
  }
}

interface Rig {
  session: CallSession;
  core: ScriptedCore;
  out: RecordingOut;
  stt: ReturnType<typeof sttProvider>;
  tts: TestTts;
  prompts: MapPrompts;
  metrics: ReturnType<typeof createMetrics>;
  control: CallControl & { calls: string[] };
}

const open: CallSession[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close('test over')));
});

function rig(
  core: ScriptedCore,
  o: { settings?: Partial<TurnSettings>; reply?: ReplyStreamer | null; timing?: { silenceRepromptMs: number; silenceEndMs: number }; noStt?: boolean; spanishVoice?: string; noMarkEcho?: boolean; lateEchoMs?: number } = {},
): Rig {
  const out = new RecordingOut(!o.noMarkEcho, o.lateEchoMs ?? 0);
  const stt = sttProvider();
  const tts = new TestTts();
  const prompts = new MapPrompts();
  const metrics = createMetrics({ defaultMetrics: false });
  const calls: string[] = [];
  const control = {
    calls,
    async hangup(sid: string) { calls.push(`hangup ${sid}`); },
    async transfer(sid: string, to: string, lines?: string[]) { calls.push(`transfer ${to} ${JSON.stringify(lines ?? [])}`); },
    async sayAndHangup(sid: string, lines: string[]) { calls.push(`say+hangup ${JSON.stringify(lines)}`); },
  };
  const session = new CallSession(
    {
      facts: { callSid: 'CA1', from: '+13125550100', to: '+13125550199', startedAt: new Date(), channel: 'phone' },
      streamSid: 'MZ1',
      flow: { ...staticFlow(o.timing), voice: (l: string) => (l === 'es' ? o.spanishVoice ?? null : null) },
      core,
      out,
      stt: o.noStt ? null : stt,
      tts,
      defaultVoice: 'voice',
      prompts,
      reply: o.reply ?? null,
      splitter: () => {
        let buf = '';
        return {
          push(t: string) {
            buf += t;
            const out: string[] = [];
            let m: RegExpExecArray | null;
            while ((m = /[.!?]\s/.exec(buf))) {
              out.push(buf.slice(0, m.index + 1).trim());
              buf = buf.slice(m.index + 2);
            }
            return out;
          },
          end() {
            const r = buf.trim();
            buf = '';
            return r ? [r] : [];
          },
        };
      },
      calls: null,
      recorder: null,
      effects: null,
      control,
      tenantId: null,
    },
    { log: silentLogger(), metrics, settings: turnSettings({ markGraceMs: 300, ...o.settings }) },
  );
  out.onMarkEcho = (n) => session.markEcho(n);
  open.push(session);
  return { session, core, out, stt, tts, prompts, metrics, control };
}

const utterances = (core: ScriptedCore) => core.events.filter((e): e is Extract<ConversationEvent, { type: 'utterance' }> => e.type === 'utterance');

describe('CallSession', () => {
  it('plays a cached greeting without calling the TTS provider and stores it as fully heard', async () => {
    const core = new ScriptedCore([say('g1', 'Hello. This is Hermes.', { promptId: 'greet' }), listen()]);
    const r = rig(core);
    r.prompts.put('Hello. This is Hermes.', makeSpeech(300));
    r.session.start();
    await until(() => r.out.marks.length === 2, 2000, 'two sentence marks');
    expect(r.tts.streams.length).toBe(0);
    expect(r.tts.rest.length).toBe(0);
    // 300 ms of audio; the mark between the sentences pads one partial frame
    expect(r.out.frames.length).toBeGreaterThanOrEqual(15);
    expect(r.out.frames.length).toBeLessThanOrEqual(16);
    await until(() => r.session.turns.length === 1, 2000, 'agent turn');
    const turn = r.session.turns[0]!;
    expect(turn).toMatchObject({ text: 'Hello. This is Hermes.', heardText: 'Hello. This is Hermes.', interrupted: false });
  });

  it('speaks each line in the voice of its language, so Spanish lines come from the Spanish voice cache', async () => {
    const core = new ScriptedCore([say('g1', 'Hola. Gracias por llamar.', { promptId: 'hola', language: 'es' }), listen()]);
    const r = rig(core, { spanishVoice: 'voice-es' });
    r.prompts.map.set('voice-es|Hola. Gracias por llamar.', makeSpeech(200));
    r.session.start();
    await until(() => r.out.marks.length === 2, 2000, 'Spanish greeting played');
    expect(r.tts.streams.length).toBe(0);
  });

  it('ends the caller turn on speech_final or UtteranceEnd and hands the utterance to the core', async () => {
    const core = new ScriptedCore([listen()]);
    const r = rig(core);
    r.session.start();
    await until(() => r.stt.streams.length === 1);
    const stt = r.stt.streams[0]!;
    stt.emit('speechStarted');
    stt.say('my name is', { final: true, speechFinal: false });
    stt.say('Jane Doe', { final: true, speechFinal: true });
    await until(() => utterances(core).length === 1);
    expect(utterances(core)[0]!.text).toBe('my name is Jane Doe');
    stt.say('about a divorce', { final: true, speechFinal: false });
    stt.emit('utteranceEnd');
    await until(() => utterances(core).length === 2);
    expect(utterances(core)[1]!.text).toBe('about a divorce');
  });

  it('barge-in during a prompt clears Twilio at once, sends no old frame after it and keeps only the heard text', async () => {
    const long = 'First sentence here. Second sentence is longer than the first. Third sentence ends it.';
    const core = new ScriptedCore([say('p1', long), listen()]);
    const r = rig(core);
    r.tts.msPerChar = 8; // ~0.16-0.4 s per sentence
    r.session.start();
    const stt = () => r.stt.streams[0]!;
    await until(() => r.out.marks.length >= 1 && r.out.frames.length > 20, 3000, 'first sentence sent');
    // wait until the first mark has been echoed (the caller heard sentence one)
    await sleep(250);
    stt().emit('speechStarted');
    stt().say('wait I', { final: false });
    const t = performance.now();
    expect(r.out.clears.length).toBe(1);
    expect(r.out.clears[0]! - t).toBeLessThan(300);
    const framesAtClear = r.out.frames.length;
    await sleep(200);
    expect(r.out.frames.slice(framesAtClear).length).toBe(0);
    const heard = core.events.find((e) => e.type === 'heard') as Extract<ConversationEvent, { type: 'heard' }>;
    expect(heard.sayId).toBe('p1');
    expect(heard.upTo.startsWith('First sentence here.')).toBe(true);
    expect(heard.upTo).not.toContain('Third');
    const turns = r.session.turns;
    expect(turns[0]).toMatchObject({ interrupted: true, heardText: heard.upTo });
    expect((await r.metrics.bargeIns.get()).values[0]!.value).toBe(1);
  });

  it('a cached prompt goes out ahead of playback in large messages, and its marks still come back as it plays', async () => {
    const core = new ScriptedCore([say('g1', 'Hello. This is Hermes.', { promptId: 'greet' }), listen()]);
    const r = rig(core);
    r.prompts.put('Hello. This is Hermes.', makeSpeech(3000));
    r.session.start();
    // all 3 s left within a moment (the default lead is 10 s), in messages of up to 50 frames, not 150 small ones
    await until(() => r.out.frames.length >= 150, 500, 'prompt sent ahead');
    expect(r.out.messages.length).toBeLessThan(10); // one per 60 ms would be 50
    expect(Math.max(...r.out.messages)).toBe(50 * 160);
    expect(r.session.turns.length).toBe(0); // not heard yet: its marks come back as it plays
    await until(() => r.session.turns.length === 1, 4000, 'agent turn heard');
    expect(r.session.turns[0]).toMatchObject({ heardText: 'Hello. This is Hermes.', interrupted: false });
  });

  it('caller speech after a prompt has played is a turn, not a barge-in, even while its mark echo is late', async () => {
    const core = new ScriptedCore([say('g1', 'Hello. How can I help?', { promptId: 'greet' }), listen()]);
    const r = rig(core, { lateEchoMs: 1500, settings: { markGraceMs: 3000 } });
    r.prompts.put('Hello. How can I help?', makeSpeech(300));
    r.session.start();
    await until(() => r.out.marks.length === 2, 2000, 'prompt sent');
    // the audio has played (300 ms + slack) but Twilio's echoes are still on their way
    await sleep(300 + 400);
    expect(r.session.turns.length).toBe(0);
    r.stt.streams[0]!.say('I need a lawyer', { final: true, speechFinal: true });
    expect(r.out.clears.length).toBe(0);
    expect((await r.metrics.bargeIns.get()).values[0]?.value ?? 0).toBe(0);
    await until(() => utterances(core).length === 1, 1000, 'utterance delivered');
    expect(core.events.some((e) => e.type === 'heard')).toBe(false);
  });

  it('one final transcript that both interrupts and ends the caller turn clears the prompt and reaches the core at once', async () => {
    const core = new ScriptedCore([say('p1', 'A long prompt that the caller will talk over right away.'), listen()]);
    const r = rig(core);
    r.session.start();
    await until(() => r.out.frames.length > 5, 3000, 'prompt playing');
    r.stt.streams[0]!.say('I need a lawyer', { final: true, speechFinal: true });
    expect(r.out.clears.length).toBe(1);
    await until(() => utterances(core).length === 1, 1000, 'utterance delivered');
    expect(utterances(core)[0]!.text).toBe('I need a lawyer');
    expect(core.events.findIndex((e) => e.type === 'heard')).toBeLessThan(core.events.findIndex((e) => e.type === 'utterance'));
  });

  it('a backchannel ("mhm") over a prompt neither interrupts it nor reaches the core', async () => {
    const core = new ScriptedCore([say('p1', 'This is a fairly long prompt that keeps going for a while.'), listen()]);
    const r = rig(core);
    r.tts.msPerChar = 10;
    r.session.start();
    await until(() => r.out.frames.length > 5, 3000, 'prompt playing');
    r.stt.streams[0]!.say('mhm', { final: false });
    r.stt.streams[0]!.say('mhm', { final: true, speechFinal: true });
    await sleep(50);
    expect(r.out.clears.length).toBe(0);
    expect(utterances(core).length).toBe(0);
    r.stt.streams[0]!.say('uh huh okay', { final: true, speechFinal: true });
    await sleep(20);
    expect(r.out.clears.length).toBe(0);
  });

  it('a non-interruptible prompt plays through caller speech', async () => {
    const core = new ScriptedCore([say('d1', 'This call may be recorded for quality.', { interruptible: false }), listen()]);
    const r = rig(core);
    r.session.start();
    await until(() => r.out.frames.length > 5, 3000, 'prompt playing');
    r.stt.streams[0]!.say('hello hello is anyone there', { final: false });
    await sleep(30);
    expect(r.out.clears.length).toBe(0);
  });

  it('DTMF reaches the core as a dtmf event', async () => {
    const core = new ScriptedCore([listen()]);
    const r = rig(core);
    r.session.start();
    r.session.dtmf('5');
    await until(() => core.events.some((e) => e.type === 'dtmf'));
    expect(core.events.find((e) => e.type === 'dtmf')).toEqual({ type: 'dtmf', digit: '5' });
  });

  it('caller silence produces silence events at the reprompt interval and ends the call at the end threshold', async () => {
    const core = new ScriptedCore([listen()], (e) => (e.type === 'silence' && e.ms < 300 ? [say(`r${e.ms}`, 'Are you there?'), listen()] : []));
    const r = rig(core, { timing: { silenceRepromptMs: 100, silenceEndMs: 300 } });
    r.prompts.put('Are you there?', makeSpeech(40));
    r.session.start();
    await until(() => r.out.closed, 3000, 'call ended for silence');
    const silences = core.events.filter((e) => e.type === 'silence').map((e) => (e as { ms: number }).ms);
    expect(silences).toEqual([100, 200, 300]);
    expect(r.control.calls).toContain('hangup CA1');
  });

  it('an STT failure becomes a providerFailure event and the flow fallback (transfer) runs', async () => {
    const core = new ScriptedCore([listen()], (e) =>
      e.type === 'providerFailure' ? [say('a1', 'Sorry, let me get someone.'), { type: 'transfer', to: '+13125550000', mode: 'cold', reason: 'stt down' }] : [],
    );
    const r = rig(core);
    r.session.start();
    await until(() => r.stt.streams.length === 1);
    const t = performance.now();
    r.stt.streams[0]!.emit('failed', new Error('socket gone'));
    await until(() => r.control.calls.length > 0, 3000, 'transfer');
    expect(performance.now() - t).toBeLessThan(2000);
    expect(r.control.calls[0]).toBe('transfer +13125550000 []');
    expect(r.out.frames.length).toBeGreaterThan(0); // the apology was spoken with our voice
    expect(r.stt.streams[0]!.closed).toBe(true);
  });

  it('when TTS is down, the cached apology plays and the flow apology is spoken by Twilio before the transfer', async () => {
    const core = new ScriptedCore([say('g', 'Welcome to the firm.'), listen()], (e) =>
      e.type === 'providerFailure' ? [say('a1', 'Sorry, transferring you now.'), { type: 'transfer', to: '+13125550000', mode: 'cold', reason: 'tts down' }] : [],
    );
    const r = rig(core);
    r.tts.failStream = true;
    r.tts.failRest = true;
    r.prompts.put(APOLOGY_TEXT, makeSpeech(100));
    r.session.start();
    await until(() => r.control.calls.length > 0, 4000, 'transfer');
    expect(core.events.some((e) => e.type === 'providerFailure' && e.provider === 'tts')).toBe(true);
    expect(r.out.frames.length).toBe(5); // 100 ms cached apology
    expect(r.control.calls[0]).toBe('transfer +13125550000 ["Sorry, transferring you now."]');
  });

  it('a generated reply starts playing after its first sentence, before the model has finished', async () => {
    let finishedAt = 0;
    const reply: ReplyStreamer = async function* () {
      yield 'Thanks for calling. ';
      await sleep(400);
      yield 'We will call you back.';
      finishedAt = performance.now();
    };
    const core = new ScriptedCore([
      { type: 'generate', id: 'g1', instruction: 'thank them', context: {}, fallbackText: 'Thank you.', interruptible: true, language: 'en' },
    ]);
    const r = rig(core, { reply });
    r.session.start();
    await until(() => r.out.frames.length > 0, 3000, 'first frame');
    const firstFrame = r.out.frames[0]!.at;
    await until(() => finishedAt > 0, 3000, 'reply finished');
    expect(firstFrame).toBeLessThan(finishedAt);
    expect(r.tts.streams[0]!.texts).toEqual(['Thanks for calling.', 'We will call you back.']);
  });

  it('a model that fails before its first token is replaced by the fallback text', async () => {
    const reply: ReplyStreamer = async function* () {
      throw new Error('model down');
    };
    const core = new ScriptedCore([
      { type: 'generate', id: 'g1', instruction: 'x', context: {}, fallbackText: 'Thank you for calling.', interruptible: true, language: 'en' },
    ]);
    const r = rig(core, { reply });
    r.session.start();
    await until(() => r.out.frames.length > 0, 3000, 'fallback audio');
    expect(r.tts.streams[0]!.texts).toEqual(['Thank you for calling.']);
  });

  it('re-opens recognition in Spanish when the flow answers in Spanish, keeps keyterms, replays the audio since the turn and ignores the old stream', async () => {
    const core = new ScriptedCore([say('g', 'Hello.'), listen()], (e) => {
      if (e.type !== 'utterance') return [];
      if (e.text === 'español') return [say('s1', 'Claro.', { language: 'es' }), listen()];
      if (e.text === 'in English please') return [say('s3', 'Sure.'), listen()];
      return [say('s2', 'Gracias.', { language: 'es' }), listen()];
    });
    const r = rig(core, { settings: { sttChunkFrames: 1 } });
    r.session.start();
    const first = r.stt.streams[0]!;
    expect(first.opts).toMatchObject({ language: 'en', keyterms: ['Hermes'], tag: 'CA1' });
    first.say('español');
    // Caller audio after the turn ended, before the flow has answered: it must reach the Spanish stream too.
    const frame = makeSpeech(20);
    r.session.audio(frame);
    r.session.audio(frame);
    await until(() => r.stt.streams.length === 2, 2000, 'Spanish stream');
    const es = r.stt.streams[1]!;
    expect(es.opts).toMatchObject({ language: 'es', keyterms: ['Hermes'], tag: 'CA1' });
    expect(es.audioBytes).toBe(2 * frame.length);
    await until(() => first.closed, 2000, 'English stream closed');
    r.session.audio(frame);
    expect(es.audioBytes).toBe(3 * frame.length);
    expect(first.audioFrames).toBe(2);
    // A late result of the old stream is stale; the Spanish stream's answer is taken.
    first.say('stale words');
    es.say('Me llamo Juan Pérez');
    await until(() => utterances(core).length === 2, 2000, 'Spanish answer');
    expect(utterances(core).map((u) => u.text)).toEqual(['español', 'Me llamo Juan Pérez']);
    // And back to English when the flow switches back.
    es.say('in English please');
    await until(() => r.stt.streams.length === 3, 2000, 'English stream again');
    expect(r.stt.streams[2]!.opts.language).toBe('en');
    await r.session.close('caller hung up');
    expect(r.stt.streams.every((s) => s.closed)).toBe(true);
  });

  it('a recognition stream refused in the new language becomes an STT failure: the flow fallback runs and the old stream is closed', async () => {
    const core = new ScriptedCore([say('g', 'Hello.'), listen()], (e) => {
      if (e.type === 'utterance') return [say('s1', 'Claro.', { language: 'es' }), listen()];
      if (e.type === 'providerFailure') return [{ type: 'transfer', to: '+13125550000', mode: 'cold', reason: 'stt down' }];
      return [];
    });
    const r = rig(core);
    const openEn = r.stt.open.bind(r.stt);
    r.stt.open = (opts) => {
      if (opts.language === 'es') throw new Error('es model unavailable');
      return openEn(opts);
    };
    r.session.start();
    r.stt.streams[0]!.say('español');
    await until(() => core.events.some((e) => e.type === 'providerFailure' && e.provider === 'stt'), 2000, 'providerFailure');
    await until(() => r.stt.streams[0]!.closed, 2000, 'English stream closed');
    await until(() => r.control.calls.some((c) => c.startsWith('transfer +13125550000')), 3000, 'transfer');
  });

  it('stays on one recognition stream while the conversation keeps its language', async () => {
    const core = new ScriptedCore([say('g', 'Hello.'), listen()], () => [say('x', 'And then?'), listen()]);
    const r = rig(core);
    r.session.start();
    r.stt.streams[0]!.say('first answer');
    r.stt.streams[0]!.say('second answer');
    await until(() => utterances(core).length === 2, 2000, 'two answers');
    await sleep(50);
    expect(r.stt.streams.length).toBe(1);
  });

  it('closing releases the STT stream, TTS stream and timers', async () => {
    const core = new ScriptedCore([say('p', 'A long prompt that is still playing when the caller hangs up.'), listen()]);
    const r = rig(core, { timing: { silenceRepromptMs: 100, silenceEndMs: 1000 } });
    r.session.start();
    await until(() => r.out.frames.length > 3, 3000, 'playing');
    await r.session.close('caller hung up');
    expect(r.stt.streams[0]!.closed).toBe(true);
    expect(r.tts.streams.every((s) => s.closed)).toBe(true);
    const n = r.out.frames.length;
    await sleep(100);
    expect(r.out.frames.length).toBe(n);
    expect(core.events.at(-1)).toEqual({ type: 'hangup' });
    expect((await r.metrics.callsActive.get()).values[0]!.value).toBe(0);
  });

  describe('no silent call', () => {
    const sayUncached = (id: string, text: string): Command => say(id, text);
    const frames = (text: string, msPerChar = 10) => Math.ceil((text.length * msPerChar * 8) / 160);

    it('a stream that stalls mid-sentence is raced by REST after the hedge; REST says the rest and nothing twice', async () => {
      const line = 'Thanks for waiting on the line.';
      const core = new ScriptedCore([sayUncached('g', line), listen()]);
      const r = rig(core, { settings: { ttsRestHedgeMs: 200, ttsStallTimeoutMs: 800 } });
      r.tts.stallAfterBytes = 1600; // 200 ms of audio, then nothing
      r.session.start();
      await until(() => r.out.frames.length >= 10, 3000, 'the stalled audio');
      const stalledAt = r.out.frames[9]!.at;
      await until(() => r.out.frames.length >= frames(line), 3000, 'the rest from REST');
      const resumedAt = r.out.frames[10]!.at;
      expect(resumedAt - stalledAt).toBeLessThan(800);
      expect(r.tts.rest).toEqual([line]);
      await until(() => r.session.turns.length === 1, 3000, 'turn stored');
      expect(r.out.frames.length).toBe(frames(line)); // the 200 ms already played are not played again
      expect(r.session.turns[0]).toMatchObject({ text: line, heardText: line, interrupted: false });
      expect(r.tts.streams[0]!.closed).toBe(true); // the stalled stream is dropped
    });

    it('stream and REST both silent: the cached apology plays once within the first-byte deadline, not the flow\'s apology too', async () => {
      const core = new ScriptedCore([sayUncached('g', 'Welcome to the firm.'), say('q', 'What is your name?', { promptId: 'q' }), listen()], (e) =>
        e.type === 'providerFailure'
          ? [say('t', "I'm sorry, I'm having technical trouble on my end.", { promptId: 'hermes.trouble.en' }), { type: 'transfer', to: '+13125550000', mode: 'cold', reason: 'tts down' }]
          : [],
      );
      const r = rig(core, { settings: { ttsRestHedgeMs: 300, ttsFirstByteTimeoutMs: 900 } });
      r.tts.stallAfterBytes = 0;
      r.tts.hangRest = true;
      r.prompts.put(APOLOGY_TEXT, makeSpeech(100));
      r.prompts.put("I'm sorry, I'm having technical trouble on my end.", makeSpeech(100));
      r.prompts.put('What is your name?', makeSpeech(100));
      const t0 = performance.now();
      r.session.start();
      await until(() => r.out.frames.length > 0, 3000, 'apology');
      const apologyAfter = r.out.frames[0]!.at - t0;
      expect(apologyAfter).toBeGreaterThan(850);
      expect(apologyAfter).toBeLessThan(1500);
      expect(r.tts.rest).toEqual(['Welcome to the firm.']); // REST raced once, in parallel with the stream
      await until(() => r.control.calls.length > 0, 4000, 'transfer');
      expect(r.control.calls[0]).toBe('transfer +13125550000 []');
      expect(r.out.frames.length).toBe(5); // one 100 ms apology: not the flow's apology, not the queued question
      expect(r.session.turns.map((t) => [t.text, t.heardText])).toEqual([
        ['Welcome to the firm.', ''],
        [APOLOGY_TEXT, APOLOGY_TEXT],
      ]);
    });

    it('marks that never come back end the say after the grace, but it is not stored as heard, and the flow goes on', async () => {
      const core = new ScriptedCore([say('g', 'Welcome.', { promptId: 'g' }), listen()], (e) => (e.type === 'silence' ? [{ type: 'end', reason: 'test', outcome: 'abandoned' }] : []));
      const r = rig(core, { noMarkEcho: true, timing: { silenceRepromptMs: 200, silenceEndMs: 400 } });
      r.prompts.put('Welcome.', makeSpeech(100));
      r.session.start();
      await until(() => r.session.turns.length === 1, 3000, 'turn stored');
      expect(r.session.turns[0]).toMatchObject({ text: 'Welcome.', heardText: '' });
      await until(() => core.events.some((e) => e.type === 'silence'), 3000, 'silence clock armed after the say');
    });

    it('a model that stops mid-reply with nothing playing is cut after callerWaitMaxMs and the next line plays', async () => {
      const reply: ReplyStreamer = async function* (_cmd, _facts, signal) {
        yield 'Thanks for calling. ';
        await new Promise((_r, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true }));
      };
      const core = new ScriptedCore([
        { type: 'generate', id: 'g1', instruction: 'thank them', context: {}, fallbackText: 'Thank you.', interruptible: true, language: 'en' },
        say('q', 'What is your name?', { promptId: 'q' }),
        listen(),
      ]);
      const r = rig(core, { reply, settings: { callerWaitMaxMs: 500 } });
      r.prompts.put('What is your name?', makeSpeech(100));
      r.session.start();
      const sentence = frames('Thanks for calling.');
      await until(() => r.out.frames.length >= sentence, 3000, 'first sentence');
      const lastOfReply = r.out.frames[sentence - 1]!.at;
      await until(() => r.out.frames.length >= sentence + 5, 3000, 'the next line');
      const gap = r.out.frames[sentence]!.at - lastOfReply;
      expect(gap).toBeGreaterThan(400);
      expect(gap).toBeLessThan(1200);
      await until(() => r.session.turns.length === 2, 3000, 'turns stored');
      expect(r.session.turns.map((t) => [t.text, t.heardText])).toEqual([
        ['Thanks for calling.', 'Thanks for calling.'],
        ['What is your name?', 'What is your name?'],
      ]);
      expect((await r.metrics.providerErrors.get()).values.some((v) => v.labels.kind === 'abandoned')).toBe(true);
    });
  });
});
