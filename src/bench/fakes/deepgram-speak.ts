// Fake Deepgram Aura /v1/speak, REST and WebSocket, in the real wire format. Audio is speech-like mu-law whose
// length grows with the text (msPerChar), sent in chunks after a configurable first-byte delay.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WebSocket } from 'ws';
import { makeSpeech } from '../../audio/tones.js';

export interface SpeakSettings {
  /** Wall-clock delay before the first audio byte of a synthesis (a provider latency the benchmark fixes). */
  firstByteDelayMs: number;
  /** Milliseconds of audio per character of text. */
  msPerChar: number;
  /** Bytes per audio chunk (800 = 100 ms of 8 kHz mu-law). */
  chunkBytes: number;
  /** Flushes allowed per 60 s on one WebSocket (the real limit is 20). */
  flushLimit: number;
}

export interface SpeakStats {
  restRequests: number;
  restCharacters: number;
  wsConnections: number;
  wsOpen: number;
  speaks: number;
  flushes: number;
  clears: number;
  closes: number;
  /** Texts received, REST and WebSocket, in order (the last 1000). */
  texts: string[];
  /** Query strings seen, to assert model/encoding/sample_rate/container (the last 1000). */
  queries: URLSearchParams[];
}

const audioCache = new Map<string, Buffer>();

/** Audio for `text`: deterministic per text so a cache can be checked byte for byte (memoised: the benchmark repeats). */
export function fakeAudioFor(text: string, msPerChar: number): Buffer {
  const key = `${msPerChar}:${text}`;
  const hit = audioCache.get(key);
  if (hit) return hit;
  let seed = 17;
  for (const ch of text) seed = (seed * 31 + ch.charCodeAt(0)) >>> 0;
  const audio = makeSpeech(Math.max(20, text.length * msPerChar), seed);
  if (audioCache.size >= 500) audioCache.delete(audioCache.keys().next().value!);
  audioCache.set(key, audio);
  return audio;
}

function badParams(q: URLSearchParams, rest: boolean): string | null {
  // The fake speaks only what Twilio needs; anything else would be a bug in the client.
  if (q.get('encoding') !== 'mulaw') return 'fake supports encoding=mulaw only';
  if (q.get('sample_rate') !== '8000') return 'fake supports sample_rate=8000 only';
  if (rest && q.get('container') !== 'none') return 'container=none is required for raw mu-law';
  if (!q.get('model')) return 'model is required';
  return null;
}

/** Appends to a list kept to its last 1000 entries, so a long benchmark does not grow the fake without bound. */
export function keep<T>(list: T[], item: T): void {
  list.push(item);
  if (list.length > 1000) list.splice(0, list.length - 1000);
}

export function handleSpeakRest(
  req: IncomingMessage, res: ServerResponse, q: URLSearchParams, s: SpeakSettings, stats: SpeakStats, timers: Set<NodeJS.Timeout>,
): void {
  stats.restRequests++;
  keep(stats.queries, q);
  const bad = badParams(q, true);
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    let text = '';
    try {
      text = String((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { text?: unknown }).text ?? '');
    } catch {
      /* handled below */
    }
    if (bad || text.trim() === '') {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ err_code: 'INVALID_QUERY_PARAMETER', err_msg: bad ?? 'text is required', request_id: randomUUID() }));
      return;
    }
    stats.restCharacters += text.length;
    keep(stats.texts, text);
    const audio = fakeAudioFor(text, s.msPerChar);
    const t = setTimeout(() => {
      timers.delete(t);
      if (res.destroyed) return;
      res.writeHead(200, {
        'content-type': 'audio/mulaw', 'dg-request-id': randomUUID(), 'dg-model-name': q.get('model') ?? '',
        'dg-char-count': String(text.length),
      });
      for (let i = 0; i < audio.length; i += s.chunkBytes) res.write(audio.subarray(i, i + s.chunkBytes));
      res.end();
    }, s.firstByteDelayMs);
    timers.add(t);
  });
}

export function handleSpeakSocket(ws: WebSocket, q: URLSearchParams, s: SpeakSettings, stats: SpeakStats): void {
  stats.wsConnections++;
  stats.wsOpen++;
  keep(stats.queries, q);
  const bad = badParams(q, false);
  if (bad) {
    ws.close(1008, bad);
    return;
  }
  const requestId = randomUUID();
  let pending = '';
  let sequence = 0;
  const flushTimes: number[] = [];
  // Each flush's delivery; Clear cancels the ones not yet finished.
  const deliveries = new Set<NodeJS.Timeout>();
  const send = (m: Record<string, unknown>) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(m));
  };
  send({ type: 'Metadata', request_id: requestId, model_name: q.get('model'), model_version: '2025-04-07.0', model_uuid: randomUUID() });

  const deliver = (text: string, seq: number) => {
    const audio = fakeAudioFor(text, s.msPerChar);
    let offset = 0;
    const step = () => {
      // Chunks go out one per timer turn so that a Clear arriving meanwhile stops the rest.
      if (ws.readyState !== ws.OPEN) return;
      if (offset < audio.length) {
        ws.send(audio.subarray(offset, offset + s.chunkBytes));
        offset += s.chunkBytes;
        const t = setTimeout(() => { deliveries.delete(t); step(); }, 0);
        deliveries.add(t);
      } else send({ type: 'Flushed', sequence_id: seq });
    };
    const t = setTimeout(() => { deliveries.delete(t); step(); }, s.firstByteDelayMs);
    deliveries.add(t);
  };

  ws.on('message', (data, isBinary) => {
    if (isBinary) {
      send({ type: 'Warning', description: 'binary messages are not accepted', code: 'INVALID_MESSAGE' });
      return;
    }
    let m: { type?: string; text?: unknown };
    try {
      m = JSON.parse((data as Buffer).toString('utf8')) as typeof m;
    } catch {
      send({ type: 'Warning', description: 'message is not valid JSON', code: 'INVALID_MESSAGE' });
      return;
    }
    switch (m.type) {
      case 'Speak':
        stats.speaks++;
        if (typeof m.text === 'string') {
          keep(stats.texts, m.text);
          pending += m.text;
        }
        break;
      case 'Flush': {
        stats.flushes++;
        const now = Date.now();
        while (flushTimes.length && now - flushTimes[0]! > 60_000) flushTimes.shift();
        if (flushTimes.length >= s.flushLimit) {
          send({ type: 'Warning', description: `Flush limit of ${s.flushLimit} per 60 seconds exceeded`, code: 'FLUSH_LIMIT_EXCEEDED' });
          break;
        }
        flushTimes.push(now);
        const text = pending;
        pending = '';
        const seq = sequence++;
        if (text.trim() === '') send({ type: 'Flushed', sequence_id: seq });
        else deliver(text, seq);
        break;
      }
      case 'Clear':
        stats.clears++;
        pending = '';
        for (const t of deliveries) clearTimeout(t);
        deliveries.clear();
        send({ type: 'Cleared', sequence_id: sequence++ });
        break;
      case 'Close':
        stats.closes++;
        for (const t of deliveries) clearTimeout(t);
        deliveries.clear();
        ws.close(1000);
        break;
      default:
        send({ type: 'Warning', description: `unknown message type ${String(m.type)}`, code: 'INVALID_MESSAGE' });
    }
  });
  ws.on('close', () => {
    stats.wsOpen--;
    for (const t of deliveries) clearTimeout(t);
    deliveries.clear();
  });
  ws.on('error', () => undefined);
}
