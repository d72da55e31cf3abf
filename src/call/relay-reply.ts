// An LLM-written reply on ConversationRelay: the model's tokens are cut into sentences and each goes to Twilio as a
// `text` token the moment it is complete (Twilio's voice starts on the first), `last: true` on the final one. The first
// token races the same deadline as on Media Streams; a late, failed or missing model gives way to the flow's fallback
// text, never to silence. Aborting (barge-in, hang-up) stops the model and sends nothing more.
import type { CallFacts } from '../flows/core.js';
import type { GenerateCommand, ReplyStreamer, SentenceSplitter } from './ports.js';
import { raceFirstToken } from './first-token.js';

export interface RelayReplyDeps {
  reply: ReplyStreamer | null;
  splitter: () => SentenceSplitter;
  facts: CallFacts;
  firstTokenTimeoutMs: number;
  /** Sends one sentence; `last` closes Twilio's talk cycle. */
  send(text: string, last: boolean): void;
  /** The model failed or was late: the metric and log of a degraded provider. */
  degraded(err: Error): void;
}

/** Streams the reply; resolves with the text that was sent (what this turn said). */
export async function streamReply(d: RelayReplyDeps, cmd: GenerateCommand, signal: AbortSignal): Promise<string> {
  if (!d.reply) {
    d.send(cmd.fallbackText, true);
    return cmd.fallbackText;
  }
  const llmAbort = new AbortController();
  const onAbort = () => llmAbort.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  const iterator = d.reply(cmd, d.facts, llmAbort.signal)[Symbol.asyncIterator]();
  const sent: string[] = [];
  try {
    const first = await raceFirstToken(iterator, d.firstTokenTimeoutMs);
    if (signal.aborted) return '';
    if (first.kind !== 'token') {
      if (first.kind === 'error') d.degraded(first.err);
      if (first.kind === 'timeout') d.degraded(new Error('no first token before the deadline'));
      d.send(cmd.fallbackText, true);
      return cmd.fallbackText;
    }
    const splitter = d.splitter();
    const emit = (sentences: string[]) => {
      for (const s of sentences) {
        if (signal.aborted || !s.trim()) continue;
        d.send(s, false);
        sent.push(s);
      }
    };
    emit(splitter.push(first.value));
    try {
      for (;;) {
        const r = await iterator.next();
        if (r.done || signal.aborted) break;
        emit(splitter.push(r.value));
      }
    } catch (err) {
      // Mid-reply model failure: what was written is said; the conversation goes on.
      if (!signal.aborted) d.degraded(err as Error);
    }
    if (signal.aborted) return sent.join(' ');
    const rest = splitter.end().filter((s) => s.trim());
    emit(rest.slice(0, -1));
    const final = rest.at(-1);
    // The talk cycle closes on the final sentence; a reply that ended on a full stop closes with an empty token.
    d.send(final ?? '', true);
    if (final) sent.push(final);
    return sent.join(' ') || cmd.fallbackText;
  } finally {
    signal.removeEventListener('abort', onAbort);
    llmAbort.abort();
  }
}

