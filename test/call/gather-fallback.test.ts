// The <Gather> channel's pure parts and the Media Streams session's hand-over to it: what the <Gather action>
// parameters mean, the self-proving prompt URL, and a session whose STT fails before the call has begun storing the
// "continue on <Gather>" plan and closing its stream without ending the call (while one failing after a line was
// heard keeps the apology and the flow's fallback).
import { afterEach, describe, expect, it } from 'vitest';
import { CallSession } from '../../src/call/session.js';
import { turnSettings } from '../../src/call/turn-settings.js';
import type { AfterStreamPlan, CallControl } from '../../src/call/ports.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { silentLogger } from '../../src/observability/logger.js';
import { makeSpeech } from '../../src/audio/tones.js';
import type { Command } from '../../src/flows/commands.js';
import { gatherInput } from '../../src/telephony/gather-plugin.js';
import { muLawWav, promptPath, readPromptPath } from '../../src/telephony/gather-audio.js';
import { RecordingOut, ScriptedCore, TestTts, staticFlow, sttProvider, until } from './doubles.js';

const say = (id: string, text: string): Command => ({ type: 'say', id, text, interruptible: true, language: 'en' });
const listen: Command = { type: 'listen', expect: { keyterms: [], dtmf: true }, timeoutMs: 0 };

describe('the <Gather action> parameters', () => {
  it('read as speech (with its confidence), keys, or nothing', () => {
    expect(gatherInput({ SpeechResult: ' Maria Lopez ', Confidence: '0.87' })).toEqual({ kind: 'speech', text: 'Maria Lopez', confidence: 0.87 });
    expect(gatherInput({ SpeechResult: 'yes', Confidence: 'abc' })).toEqual({ kind: 'speech', text: 'yes', confidence: 0.5 });
    expect(gatherInput({ Digits: '1#' })).toEqual({ kind: 'digits', digits: '1#' });
    expect(gatherInput({ SpeechResult: '', Digits: '' })).toEqual({ kind: 'nothing' });
  });
});

describe('prompt URLs', () => {
  const key = Buffer.from('k'.repeat(32));
  it('name their voice and line, expire, and refuse another key or a changed line', () => {
    const path = promptPath(key, 'aura-2-thalia-en', 'May I have your full name?', 1_000);
    const q = new URL(`https://h${path}`).searchParams;
    expect(readPromptPath(key, q.get('p'), q.get('s'), 2_000)).toEqual({ voice: 'aura-2-thalia-en', text: 'May I have your full name?' });
    expect(readPromptPath(key, q.get('p'), q.get('s'), 1_000 + 11 * 60_000)).toBeNull();
    expect(readPromptPath(Buffer.from('x'.repeat(32)), q.get('p'), q.get('s'), 2_000)).toBeNull();
    const other = new URL(`https://h${promptPath(key, 'aura-2-thalia-en', 'Say anything I like', 1_000)}`).searchParams;
    expect(readPromptPath(key, other.get('p'), q.get('s'), 2_000)).toBeNull();
  });
  it('serve mu-law prompts as 8 kHz 16-bit PCM WAV', () => {
    const wav = muLawWav(makeSpeech(100));
    expect(wav.subarray(0, 4).toString('ascii')).toBe('RIFF');
    expect([wav.readUInt16LE(20), wav.readUInt16LE(22), wav.readUInt32LE(24), wav.readUInt16LE(34)]).toEqual([1, 1, 8000, 16]);
    expect(wav.readUInt32LE(40)).toBe(800 * 2);
  });
});

const open: CallSession[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close('test over')));
});

function rig(core: ScriptedCore) {
  const out = new RecordingOut(true, 0);
  const stt = sttProvider();
  const plans: AfterStreamPlan[] = [];
  const notes: string[] = [];
  const control: CallControl & { calls: string[] } = {
    calls: [],
    async hangup(sid) { control.calls.push(`hangup ${sid}`); },
    async transfer(_sid, to) { control.calls.push(`transfer ${to}`); },
    async sayAndHangup() { control.calls.push('say+hangup'); },
  };
  const prompts = new Map<string, Buffer>([['voice|Hello from Test Law.', makeSpeech(200)]]);
  const session = new CallSession(
    {
      facts: { callSid: 'CA1', from: '+13125550100', to: '+13125550199', startedAt: new Date(), channel: 'phone' },
      streamSid: 'MZ1', flow: { ...staticFlow(), voice: () => null }, core, out, stt, tts: new TestTts(), defaultVoice: 'voice',
      prompts: { get: (v, t) => prompts.get(`${v}|${t}`) }, reply: null, splitter: () => ({ push: () => [], end: () => [] }),
      calls: null, recorder: null, effects: null, control, tenantId: null,
      afterStream: (_sid, plan) => void plans.push(plan),
      gatherFallback: (provider) => void notes.push(provider),
    },
    { log: silentLogger(), metrics: createMetrics({ defaultMetrics: false }), settings: turnSettings({ markGraceMs: 300 }) },
  );
  out.onMarkEcho = (n) => session.markEcho(n);
  open.push(session);
  return { session, core, out, stt, plans, notes, control };
}

describe('a Media Streams session whose speech provider fails', () => {
  it('before the call has begun: stores the <Gather> plan, closes the stream, and neither apologises nor ends the call', async () => {
    const core = new ScriptedCore([say('g1', 'Hello from Test Law.'), listen], () => [say('x', 'Sorry.'), { type: 'transfer', to: '+13125550000', mode: 'cold', reason: 'stt down' }]);
    const r = rig(core);
    r.session.start();
    await until(() => r.stt.streams.length === 1);
    r.stt.streams[0]!.emit('failed', new Error('connect refused'));
    await until(() => r.out.closed, 3000, 'stream closed');
    expect(r.plans).toEqual([{ lines: [], gather: 'stt' }]);
    expect(r.notes).toEqual(['stt']);
    expect(core.events.map((e) => e.type)).not.toContain('providerFailure');
    expect(core.events.map((e) => e.type)).not.toContain('hangup');
    expect(r.control.calls).toEqual([]);
  });

  it('after the first line was heard: the apology and the flow fallback, as before', async () => {
    const core = new ScriptedCore([say('g1', 'Hello from Test Law.'), listen], (e) => (e.type === 'providerFailure' ? [{ type: 'transfer', to: '+13125550000', mode: 'cold', reason: 'stt down' }] : []));
    const r = rig(core);
    r.session.start();
    await until(() => r.session.turns.length === 1, 3000, 'greeting heard');
    r.stt.streams[0]!.emit('failed', new Error('socket gone'));
    await until(() => r.control.calls.length > 0, 3000, 'transfer');
    expect(r.control.calls[0]).toBe('transfer +13125550000');
    expect(r.plans.some((p) => p.gather)).toBe(false);
    expect(r.notes).toEqual([]);
  });
});
