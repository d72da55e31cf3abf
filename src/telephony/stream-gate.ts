// Who may start a media stream: only a socket whose start message carries the stream token HERMES minted for that
// CallSid (valid, unexpired), for a call row that exists, has not ended and has no stream yet (claimed atomically in
// the database, which also makes each token single-use on every instance). Everything else in the start message is
// the wire's word and is used for nothing but display. A refused start makes no Twilio REST request and changes no row.
import type { CallsRepo, StoredCall } from '../intake/calls-repo.js';
import { checkStreamToken, STREAM_TOKEN_PARAM, tokenMintedAt, type StreamPurpose, type TokenRefusal } from './stream-token.js';

export type StartRefusal = TokenRefusal | 'unknown_call' | 'call_ended' | 'stream_taken' | 'no_records';

export type Admission = { ok: true; call: StoredCall } | { ok: false; reason: StartRefusal };

/** customParameters kept for logs: at most this many, each name and value cut to this length. */
const DISPLAY_MAX_PARAMS = 8;
const DISPLAY_MAX_CHARS = 64;

export interface StreamGate {
  admit(callSid: string, streamSid: string, customParameters: Record<string, string>): Promise<Admission>;
}

export function createStreamGate(o: {
  key: Buffer | null;
  calls: CallsRepo | null | undefined;
  purpose?: StreamPurpose;
  now?: () => number;
  /**
   * A call coming back from a warm transfer frees its stream claim; tokens minted before that moment (the first
   * stream's, possibly still unexpired) must not take the new stream, so only newer ones are admitted.
   */
  mintedNotBefore?: (callSid: string) => number | undefined;
  /** This instance's name, stored with the claim. */
  instance?: string;
}): StreamGate {
  const purpose = o.purpose ?? 'media';
  const now = o.now ?? Date.now;
  return {
    async admit(callSid, streamSid, params) {
      if (!o.key || !o.calls) return { ok: false, reason: 'no_records' };
      const bad = checkStreamToken(o.key, params[STREAM_TOKEN_PARAM], callSid, purpose, now());
      if (bad) return { ok: false, reason: bad };
      const notBefore = o.mintedNotBefore?.(callSid);
      if (notBefore !== undefined && (tokenMintedAt(params[STREAM_TOKEN_PARAM]!) ?? 0) < notBefore) return { ok: false, reason: 'expired_token' };
      const minted = tokenMintedAt(params[STREAM_TOKEN_PARAM]!);
      const claimed = await o.calls.claimStream(callSid, streamSid, new Date(now()), {
        ...(minted !== null ? { mintedAt: new Date(minted) } : {}),
        ...(o.instance ? { instance: o.instance } : {}),
      });
      if (claimed) return { ok: true, call: claimed };
      // Why not, for the log and the counter only (the row is read, never written).
      const row = await o.calls.get(callSid);
      if (!row) return { ok: false, reason: 'unknown_call' };
      if (row.status !== 'in-progress' || row.endedAt !== null || row.outcome !== null) return { ok: false, reason: 'call_ended' };
      return { ok: false, reason: 'stream_taken' };
    },
  };
}

/** What of customParameters may appear in a log line: a few short strings, never the token. */
export function displayParams(params: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params).slice(0, DISPLAY_MAX_PARAMS)) {
    if (k === STREAM_TOKEN_PARAM) continue;
    out[k.slice(0, DISPLAY_MAX_CHARS)] = v.slice(0, DISPLAY_MAX_CHARS);
  }
  return out;
}
