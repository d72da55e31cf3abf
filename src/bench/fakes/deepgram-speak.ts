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
  /**
   * A stalling socket: from its next flush on, a socket sends this many more bytes of audio and then nothing at all
   * (no more audio, no Flushed, for any flush), staying open. null: flushes are delivered whole.
   */
  socketStallAfterBytes?: number | null;
  /** A stalling REST endpoint: requests are read and never answered (no status line, no body). */
  restStall?: boolean;
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
  /** The same texts with when (performance.now()) and how they arrived (the last 1000). */
  received: { text: string; at: number; via: 'socket' | 'rest' }[];
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
    keep(stats.received, { text, at: performance.now(), via: 'rest' });
    if (s.restStall) return; // hangs until the client gives up or the fake closes
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
  // The delivery in progress; Clear cancels it and the flushes queued behind it (Deepgram answers flushes in order).
  const deliveries = new Set<NodeJS.Timeout>();
  const queued: { text: string; seq: number }[] = [];
  let delivering = false;
  /** Bytes this socket still sends once a stall is configured (null: no stall). */
  let stallBudget: number | null = null;
  const send = (m: Record<string, unknown>) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(m));
  };
  send({ type: 'Metadata', request_id: requestId, model_name: q.get('model'), model_version: '2025-04-07.0', model_uuid: randomUUID() });

  const deliverNext = () => {
    const item = queued.shift();
    if (!item) {
      delivering = false;
      return;
    }
    delivering = true;
    const audio = fakeAudioFor(item.text, s.msPerChar);
    if (stallBudget === null && s.socketStallAfterBytes != null) stallBudget = s.socketStallAfterBytes;
    let offset = 0;
    const step = () => {
      // Chunks go out one per timer turn so that a Clear arriving meanwhile stops the rest.
      if (ws.readyState !== ws.OPEN) return;
      if (stallBudget !== null && stallBudget <= 0) return; // stalled: this socket sends nothing more, ever
      if (offset < audio.length) {
        const end = Math.min(offset + s.chunkBytes, audio.length, offset + (stallBudget ?? Infinity));
        ws.send(audio.subarray(offset, end));
        if (stallBudget !== null) stallBudget -= end - offset;
        offset = end;
        const t = setTimeout(() => { deliveries.delete(t); step(); }, 0);
        deliveries.add(t);
      } else {
        send({ type: 'Flushed', sequence_id: item.seq });
        deliverNext();
      }
    };
    const t = setTimeout(() => { deliveries.delete(t); step(); }, s.firstByteDelayMs);
    deliveries.add(t);
  };
  const deliver = (text: string, seq: number) => {
    queued.push({ text, seq });
    if (!delivering) deliverNext();
  };
  const cancelDeliveries = () => {
    for (const t of deliveries) clearTimeout(t);
    deliveries.clear();
    queued.length = 0;
    delivering = false;
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
          keep(stats.received, { text: m.text, at: performance.now(), via: 'socket' });
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
        cancelDeliveries();
        send({ type: 'Cleared', sequence_id: sequence++ });
        break;
      case 'Close':
        stats.closes++;
        cancelDeliveries();
        ws.close(1000);
        break;
      default:
        send({ type: 'Warning', description: `unknown message type ${String(m.type)}`, code: 'INVALID_MESSAGE' });
    }
  });
  ws.on('close', () => {
    stats.wsOpen--;
    cancelDeliveries();
  });
  ws.on('error', () => undefined);
}
