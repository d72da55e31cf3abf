// Cached prompt audio as a file Twilio's <Play> can fetch. Twilio fetches <Play> URLs without signing them, so the
// URL proves itself: it names the voice and the line, expires, and carries an HMAC over both (the stream-token key,
// the same on every instance), so any instance can serve it from its own prompt cache and nobody can make HERMES
// read out a line of their choosing. Served as 8 kHz 16-bit PCM WAV (audio/wav, a type <Play> accepts; Twilio
// answers error 13420 to a non-audio Content-Type, https://www.twilio.com/docs/errors/13420).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { muLawToPcm16 } from '../audio/mulaw.js';

export const GATHER_PROMPT_PATH = '/twilio/gather/prompt';
/** Twilio fetches a <Play> as it reaches it; a turn of long lines plays well within this. */
export const PROMPT_URL_TTL_MS = 10 * 60_000;

function mac(key: Buffer, payload: string): string {
  return createHmac('sha256', key).update(`gather prompt v1\n${payload}`).digest('base64url');
}

/** Path and query of a prompt's audio: `p` = base64url JSON {v: voice, t: text, e: expiry ms}, `s` = its HMAC. */
export function promptPath(key: Buffer, voice: string, text: string, now = Date.now()): string {
  const p = Buffer.from(JSON.stringify({ v: voice, t: text, e: now + PROMPT_URL_TTL_MS }), 'utf8').toString('base64url');
  return `${GATHER_PROMPT_PATH}?p=${p}&s=${mac(key, p)}`;
}

/** The voice and line a prompt URL names, or null when its signature does not check out or it has expired. */
export function readPromptPath(key: Buffer, p: unknown, s: unknown, now = Date.now()): { voice: string; text: string } | null {
  if (typeof p !== 'string' || typeof s !== 'string' || p.length > 4000 || !/^[A-Za-z0-9_-]{43}$/.test(s)) return null;
  if (!timingSafeEqual(Buffer.from(s, 'base64url'), Buffer.from(mac(key, p), 'base64url'))) return null;
  try {
    const o = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as { v?: unknown; t?: unknown; e?: unknown };
    if (typeof o.v !== 'string' || typeof o.t !== 'string' || typeof o.e !== 'number' || o.e < now) return null;
    return { voice: o.v, text: o.t };
  } catch {
    return null;
  }
}

/** Mu-law 8 kHz (the prompt cache's format) as a PCM16 mono WAV file. */
export function muLawWav(muLaw: Buffer): Buffer {
  const pcm = muLawToPcm16(muLaw);
  const data = Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength);
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(36 + data.length, 4);
  h.write('WAVEfmt ', 8, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20); // PCM
  h.writeUInt16LE(1, 22); // mono
  h.writeUInt32LE(8000, 24);
  h.writeUInt32LE(16000, 28); // bytes per second
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(data.length, 40);
  return Buffer.concat([h, data]);
}
