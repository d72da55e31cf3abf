import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import nock from 'nock';
import { fakeAudioFor, startFakeDeepgram, type FakeDeepgram } from '../../src/bench/fakes/deepgram-server.js';
import { createDeepgramTts, type DeepgramTts } from '../../src/speech/deepgram-tts.js';
import { silentLogger } from '../../src/observability/logger.js';
import { createMetrics } from '../../src/observability/metrics.js';
import type { TtsStream } from '../../src/speech/types.js';
import { ProviderError } from '../../src/speech/deepgram-settings.js';
import { waitFor } from './helpers.js';

const VOICE = 'aura-2-thalia-en';
let fake: FakeDeepgram;
let tts: DeepgramTts;
const streams: TtsStream[] = [];

function rec(s: TtsStream) {
  const r = { bytes: 0, chunks: [] as Buffer[], flushed: 0, failed: [] as Error[] };
  s.on('audio', (b) => {
    r.bytes += b.length;
    r.chunks.push(b);
  });
  s.on('flushed', () => r.flushed++);
  s.on('failed', (e) => r.failed.push(e));
  return r;
}

function stream(t: DeepgramTts = tts) {
  const s = t.stream(VOICE);
  streams.push(s);
  return { s, r: rec(s) };
}

beforeEach(async () => {
  fake = await startFakeDeepgram({ speak: { msPerChar: 60 } });
  tts = createDeepgramTts({ apiKey: fake.apiKey, baseUrl: fake.url, log: silentLogger(), metrics: createMetrics({ defaultMetrics: false }) });
});

afterEach(async () => {
  await Promise.all(streams.splice(0).map((s) => s.close()));
  await fake.close();
});

describe('Deepgram Aura over its WebSocket', () => {
  it('streams mu-law 8 kHz audio for spoken text and reports Flushed', async () => {
    const { s, r } = stream();
    s.speak('Thank you for calling. ');
    s.speak('How can I help?');
    s.flush();
    await waitFor(() => r.flushed === 1);
    const text = 'Thank you for calling. How can I help?';
    expect(Buffer.concat(r.chunks).equals(fakeAudioFor(text, 60))).toBe(true);
    expect(r.bytes).toBe(text.length * 60 * 8);
    expect(fake.speak.queries[0]!.toString()).toBe(`model=${VOICE}&encoding=mulaw&sample_rate=8000`);
    expect(fake.speak).toMatchObject({ wsConnections: 1, speaks: 2, flushes: 1, restRequests: 0 });
  });

  it('clear() stops the audio of the reply in progress and the next reply plays in full', async () => {
    fake.configure({ speak: { firstByteDelayMs: 30 } });
    const { s, r } = stream();
    s.speak('A very long answer that the caller is about to interrupt, with many many words in it.');
    s.flush();
    await waitFor(() => r.bytes > 0);
    s.clear();
    const atClear = r.bytes;
    await waitFor(() => fake.speak.clears === 1);
    s.speak('Sure.');
    s.flush();
    await waitFor(() => r.flushed === 1);
    // Nothing of the old reply after the clear; the new reply arrives whole.
    expect(r.bytes - atClear).toBe('Sure.'.length * 60 * 8);
    expect(Buffer.concat(r.chunks).subarray(atClear).equals(fakeAudioFor('Sure.', 60))).toBe(true);
  });

  it('queues text spoken before the socket opens', async () => {
    const { s, r } = stream();
    s.speak('Hello.');
    s.flush();
    await waitFor(() => r.flushed === 1);
    expect(r.bytes).toBe(6 * 60 * 8);
  });

  it('an empty flush reports flushed without spending one of the limited flushes', async () => {
    const { s, r } = stream();
    s.flush();
    await waitFor(() => r.flushed === 1);
    expect(fake.speak.flushes).toBe(0);
  });

  it('past 20 flushes a minute the text goes over REST instead, in order', async () => {
    const t = createDeepgramTts({ apiKey: fake.apiKey, baseUrl: fake.url, log: silentLogger(), settings: { flushLimit: 3 } });
    const { s, r } = stream(t);
    const texts = ['One.', 'Two.', 'Three.', 'Four.', 'Five.'];
    for (const x of texts) {
      s.speak(x);
      s.flush();
      await waitFor(() => r.flushed === texts.indexOf(x) + 1, 3000, `flushed ${x}`);
    }
    expect(fake.speak.flushes).toBe(3);
    expect(fake.speak.restRequests).toBe(2);
    expect(Buffer.concat(r.chunks).equals(Buffer.concat(texts.map((x) => fakeAudioFor(x, 60))))).toBe(true);
  });

  it('falls back to REST when the socket is refused, so the caller still hears the reply', async () => {
    fake.refuseConnections(true, 503);
    const { s, r } = stream();
    s.speak('We will call you back.');
    s.flush();
    await waitFor(() => fake.speak.wsConnections === 0 && fake.refused >= 1);
    fake.refuseConnections(false);
    await waitFor(() => r.flushed === 1, 5000, 'flushed over REST');
    expect(fake.speak.restRequests).toBe(1);
    expect(Buffer.concat(r.chunks).equals(fakeAudioFor('We will call you back.', 60))).toBe(true);
    expect(r.failed).toEqual([]);
  });

  it('reports failed (never throws) when neither the socket nor REST works', async () => {
    const { s, r } = stream();
    await fake.kill();
    s.speak('Anyone there?');
    s.flush();
    await waitFor(() => r.failed.length === 1, 5000, 'failed');
    expect(r.failed[0]).toBeInstanceOf(ProviderError);
  });

  it('close() closes the socket and is idempotent', async () => {
    const { s, r } = stream();
    s.speak('Bye.');
    s.flush();
    await waitFor(() => r.flushed === 1);
    await Promise.all([s.close(), s.close()]);
    await waitFor(() => fake.speak.wsOpen === 0, 2000, 'socket closed at the fake');
    expect(fake.speak.closes).toBe(1);
    s.speak('ignored');
    s.flush();
  });
});

describe('Deepgram Aura over REST', () => {
  it('POSTs the text with mulaw, 8000 Hz and no container, and returns the raw audio', async () => {
    const audio = await tts.synthesize('Please hold.', VOICE);
    expect(audio.equals(fakeAudioFor('Please hold.', 60))).toBe(true);
    expect(fake.speak.queries[0]!.toString()).toBe(`model=${VOICE}&encoding=mulaw&sample_rate=8000&container=none`);
  });

  it('rejects with a ProviderError naming the status when the key is wrong', async () => {
    const bad = createDeepgramTts({ apiKey: 'nope', baseUrl: fake.url, log: silentLogger() });
    await expect(bad.synthesize('x', VOICE)).rejects.toThrow(/401/);
  });

  it('retries once on a 5xx and then succeeds', async () => {
    const scope = nock('https://api.deepgram.com')
      .post('/v1/speak').query(true).reply(503, 'busy')
      .post('/v1/speak').query({ model: VOICE, encoding: 'mulaw', sample_rate: '8000', container: 'none' }).reply(200, Buffer.from([1, 2, 3]));
    try {
      const cloud = createDeepgramTts({ apiKey: 'k', baseUrl: null, log: silentLogger() });
      const audio = await cloud.synthesize('hi', VOICE);
      expect([...audio]).toEqual([1, 2, 3]);
      expect(scope.isDone()).toBe(true);
    } finally {
      nock.cleanAll();
    }
  });

  it('stops at once when cancelled', async () => {
    fake.configure({ speak: { firstByteDelayMs: 2000 } });
    const ac = new AbortController();
    const p = tts.synthesize('slow', VOICE, ac.signal);
    setTimeout(() => ac.abort(), 20);
    await expect(p).rejects.toThrow(/cancelled/);
  });
});

describe('Aura socket trouble mid-call', () => {
  it('a socket dropped mid-reply: the rest comes over REST without repeating heard audio, then the socket is restored', async () => {
    // Slow chunks so the drop lands mid-reply.
    fake.configure({ speak: { chunkBytes: 160 } });
    const { s, r } = stream();
    const text = 'This reply is long enough that the socket drops while its audio is still arriving.';
    s.speak(text);
    s.flush();
    await waitFor(() => r.bytes >= 1600);
    fake.dropSpeakSockets();
    await waitFor(() => r.flushed === 1, 5000, 'flushed after fallback');
    expect(fake.speak.restRequests).toBe(1);
    // Exactly the audio of the text, once: what the socket delivered plus the REST remainder.
    expect(Buffer.concat(r.chunks).equals(fakeAudioFor(text, 60))).toBe(true);
    // The next reply goes over a new socket once it is back (background reopen after ~1 s).
    await waitFor(() => fake.speak.wsConnections === 2 && fake.speak.wsOpen === 1, 4000, 'socket restored');
    s.speak('Back on the socket.');
    s.flush();
    await waitFor(() => r.flushed === 2);
    expect(fake.speak.restRequests).toBe(1);
    expect(fake.speak.flushes).toBe(2);
  });

  it('clear() during a REST fallback stops that audio at once', async () => {
    fake.refuseConnections(true, 503);
    const { s, r } = stream();
    await waitFor(() => fake.refused >= 1);
    fake.refuseConnections(false);
    fake.configure({ speak: { firstByteDelayMs: 200 } });
    s.speak('A reply that will be interrupted.');
    s.flush();
    await new Promise((res) => setTimeout(res, 50));
    s.clear();
    await new Promise((res) => setTimeout(res, 400));
    expect(r.bytes).toBe(0);
    expect(r.flushed).toBe(0);
    expect(r.failed).toEqual([]);
  });
});
