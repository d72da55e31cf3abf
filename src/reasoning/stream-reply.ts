// LLM-written replies for `generate` commands, streamed. Tokens are gathered into sentences so each sentence passes the
// legal-advice check before it leaves; the call path then hands sentences to TTS as they come. Caller text and context
// go in as JSON data under a fixed system prompt; no tools are offered.
import type { Language } from '../primitives.js';
import type { LlmClient } from './llm-client.js';
import { redactCardNumbers } from './redact.js';
import { checkSentence, replySystemPrompt } from './safety.js';

export interface StreamReplyOptions {
  signal?: AbortSignal;
  language: Language;
  /** Cap on the reply length (tokens). */
  maxTokens?: number;
}

/** Deep-copies context with every string redacted of card numbers. */
function redactDeep(v: unknown): unknown {
  if (typeof v === 'string') return redactCardNumbers(v);
  if (Array.isArray(v)) return v.map(redactDeep);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, redactDeep(x)]));
  return v;
}

const SENTENCE_END = /[.!?…](?:["')\]]*)\s+/;

/** Splits text at the first sentence end, if any: [sentence including trailing space, rest]. */
export function takeSentence(buf: string): [string, string] | null {
  const m = SENTENCE_END.exec(buf);
  if (!m) return null;
  const end = m.index + m[0].length;
  return [buf.slice(0, end), buf.slice(end)];
}

export async function* streamReply(
  client: LlmClient,
  instruction: string,
  context: Record<string, unknown>,
  opts: StreamReplyOptions,
): AsyncIterable<string> {
  const messages = [
    { role: 'system' as const, content: replySystemPrompt(opts.language) },
    { role: 'user' as const, content: JSON.stringify({ what_to_say: instruction, context: redactDeep(context) }) },
  ];
  let buf = '';
  try {
    for await (const token of client.stream(messages, { signal: opts.signal, temperature: 0.4, maxTokens: opts.maxTokens ?? 160 })) {
      if (opts.signal?.aborted) return; // barge-in: nothing more is said
      buf += token;
      for (let s = takeSentence(buf); s; s = takeSentence(buf)) {
        buf = s[1];
        yield checkSentence(redactCardNumbers(s[0]), opts.language);
      }
    }
  } catch (err) {
    // An abort while waiting for the next token is a barge-in, not a failure.
    if (opts.signal?.aborted) return;
    throw err;
  }
  if (opts.signal?.aborted) return;
  if (buf.trim()) yield checkSentence(redactCardNumbers(buf), opts.language);
}
