// The first token of a streamed reply, or why there is none by the deadline: what both channels (Media Streams'
// speaker and ConversationRelay's reply) need before they commit to a written reply rather than its fallback text.

export type FirstToken = { kind: 'token'; value: string } | { kind: 'end' } | { kind: 'error'; err: Error } | { kind: 'timeout' };

/** Waits for the first non-empty token of `it`, at most `timeoutMs`; `abort` (when given) is fired on anything else. */
export async function raceFirstToken(it: AsyncIterator<string>, timeoutMs: number, abort?: AbortController): Promise<FirstToken> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<FirstToken>((r) => {
    timer = setTimeout(() => r({ kind: 'timeout' }), timeoutMs);
  });
  const next = (async (): Promise<FirstToken> => {
    try {
      for (;;) {
        const r = await it.next();
        if (r.done) return { kind: 'end' };
        if (r.value) return { kind: 'token', value: r.value };
      }
    } catch (err) {
      return { kind: 'error', err: err as Error };
    }
  })();
  const res = await Promise.race([next, timeout]);
  clearTimeout(timer);
  if (res.kind !== 'token') abort?.abort();
  return res;
}
