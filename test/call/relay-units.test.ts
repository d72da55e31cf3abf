// The two pure parts of the ConversationRelay adapter: splitting Twilio's utteranceUntilInterrupt over the lines HERMES
// sent, and streaming an LLM reply as sentence `text` tokens with `last` on the final one.
import { describe, expect, it } from 'vitest';
import { splitHeard } from '../../src/call/relay-heard.js';
import { streamReply } from '../../src/call/relay-reply.js';
import { SentenceSplitter } from '../../src/speech/index.js';
import type { GenerateCommand, ReplyStreamer } from '../../src/call/ports.js';

const lines = [
  { id: 'a', text: 'Hello from Test Law.' },
  { id: 'b', text: 'May I have your full name, please?' },
  { id: 'c', text: 'Or press 0.' },
];

describe('splitHeard', () => {
  it('reads the heard text across every line sent since the caller spoke', () => {
    expect(splitHeard(lines, 'Hello from Test Law. May I have')).toEqual([
      { id: 'a', heard: 'Hello from Test Law.', cut: false },
      { id: 'b', heard: 'May I have', cut: true },
      { id: 'c', heard: '', cut: true },
    ]);
  });
  it('reads it as the talk cycle playing when it starts with a later line', () => {
    expect(splitHeard(lines, 'may i have your')).toEqual([
      { id: 'a', heard: 'Hello from Test Law.', cut: false },
      { id: 'b', heard: 'May I have your', cut: true },
      { id: 'c', heard: '', cut: true },
    ]);
  });
  it('an interruption before any word cuts the first line with nothing heard', () => {
    expect(splitHeard(lines.slice(0, 1), '')).toEqual([{ id: 'a', heard: '', cut: true }]);
  });
  it('a line heard to its last word is not cut; the next one is', () => {
    expect(splitHeard(lines.slice(0, 2), 'Hello from Test Law.')).toEqual([
      { id: 'a', heard: 'Hello from Test Law.', cut: false },
      { id: 'b', heard: '', cut: true },
    ]);
  });
});

describe('streamReply', () => {
  const cmd: GenerateCommand = { type: 'generate', id: 'g1', instruction: 'answer', context: {}, fallbackText: 'Let me note that.', interruptible: true, language: 'en' };
  const splitter = () => {
    const s = new SentenceSplitter();
    return { push: (t: string) => s.push(t), end: () => { const r = s.flush(); return r ? [r] : []; } };
  };
  const facts = { callSid: 'CA1', from: '+1', to: '+2', startedAt: new Date(), channel: 'phone' as const };
  const tokens = (parts: string[], delayMs = 0): ReplyStreamer =>
    async function* () {
      for (const p of parts) {
        if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
        yield p;
      }
    };

  it('sends each sentence as soon as it is written and closes the talk cycle on the final one', async () => {
    const sent: [string, boolean][] = [];
    const text = await streamReply(
      { reply: tokens(['Our fee ', 'is 150 dollars. ', 'We take ', 'cards too.']), splitter, facts, firstTokenTimeoutMs: 1000, send: (t, l) => sent.push([t, l]), degraded: () => undefined },
      cmd, new AbortController().signal,
    );
    expect(sent.at(-1)).toEqual(['We take cards too.', true]);
    expect(sent.filter(([, last]) => last)).toHaveLength(1);
    expect(sent.map(([t]) => t).join(' ').replace(/\s+/g, ' ').trim()).toBe('Our fee is 150 dollars. We take cards too.');
    expect(text).toContain('150 dollars');
  });

  it('a model that misses its first-token deadline gives way to the fallback text, as one closed line', async () => {
    const sent: [string, boolean][] = [];
    const errors: string[] = [];
    await streamReply(
      { reply: tokens(['too late.'], 300), splitter, facts, firstTokenTimeoutMs: 50, send: (t, l) => sent.push([t, l]), degraded: (e) => errors.push(e.message) },
      cmd, new AbortController().signal,
    );
    expect(sent).toEqual([['Let me note that.', true]]);
    expect(errors).toEqual(['no first token before the deadline']);
  });

  it('a barge-in stops the reply: nothing more is sent', async () => {
    const sent: string[] = [];
    const abort = new AbortController();
    const p = streamReply(
      { reply: tokens(['One. ', 'Two. ', 'Three. ', 'Four.'], 30), splitter, facts, firstTokenTimeoutMs: 1000, send: (t) => { sent.push(t); if (t.startsWith('One')) abort.abort(); }, degraded: () => undefined },
      cmd, abort.signal,
    );
    await p;
    expect(sent.join(' ')).not.toMatch(/Three|Four/);
  });
});
