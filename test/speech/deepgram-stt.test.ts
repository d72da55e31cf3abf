import { createServer, type AddressInfo, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeDeepgram, type FakeDeepgram } from '../../src/bench/fakes/deepgram-server.js';
import { createDeepgramStt } from '../../src/speech/deepgram-stt.js';
import { createLogger, silentLogger } from '../../src/observability/logger.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { makeSilence, makeSpeech } from '../../src/audio/tones.js';
import type { SttStream } from '../../src/speech/types.js';
import type { DeepgramSttSettings } from '../../src/speech/deepgram-settings.js';
import { finals, play, record, waitFor } from './helpers.js';

let fake: FakeDeepgram;
const streams: SttStream[] = [];
const unhandled: unknown[] = [];
const onUnhandled = (r: unknown) => unhandled.push(r);

function open(f: FakeDeepgram, settings: Partial<DeepgramSttSettings> = {}, tag = 'CA-test', apiKey = f.apiKey) {
  const metrics = createMetrics({ defaultMetrics: false });
  const stt = createDeepgramStt({ apiKey, baseUrl: f.url, model: 'nova-3', log: silentLogger(), metrics, settings });
  const s = stt.open({ keyterms: ['Clio', 'probate court'], language: 'en', tag });
  streams.push(s);
  return { s, log: record(s), metrics };
}

beforeEach(async () => {
  unhandled.length = 0;
  process.on('unhandledRejection', onUnhandled);
  fake = await startFakeDeepgram({ script: ['I was in a car accident.', 'My name is Ada Lovelace.', 'Thank you.'] });
});

afterEach(async () => {
  await Promise.all(streams.splice(0).map((s) => s.close()));
  await fake.close();
  process.off('unhandledRejection', onUnhandled);
  expect(unhandled).toEqual([]);
});

const utterance = (ms: number, seed = 7) => Buffer.concat([makeSpeech(ms, seed), makeSilence(1300)]);

describe('Deepgram live speech-to-text through the real SDK', () => {
  it('connects with the live options phone audio needs and the API key as a Token', async () => {
    const { s } = open(fake);
    s.sendAudio(makeSilence(20));
    await fake.waitForListens(1);
    const c = fake.listens[0]!;
    expect(c.authorization).toBe(`Token ${fake.apiKey}`);
    const p = c.params;
    expect(Object.fromEntries([...p].filter(([k]) => k !== 'keyterm'))).toEqual({
      model: 'nova-3', encoding: 'mulaw', sample_rate: '8000', channels: '1', interim_results: 'true', endpointing: '300',
      utterance_end_ms: '1000', vad_events: 'true', smart_format: 'true', language: 'en', tag: 'CA-test',
    });
    expect(p.getAll('keyterm')).toEqual(['Clio', 'probate court']);
  });

  it('buffers audio sent before the socket opens and transcribes it, losing none', async () => {
    const { s, log } = open(fake);
    const audio = utterance(900);
    await play(s, audio, 1_000_000); // all of it synchronously, before any socket can be open
    await waitFor(() => finals(log).length === 1, 5000, 'final');
    expect(finals(log)).toEqual(['I was in a car accident.']);
    await waitFor(() => fake.listens[0]!.audioBytes === audio.length, 2000, 'all audio at the fake');
  });

  it('emits speech start, growing interim results, a speech-final transcript, then utterance end', async () => {
    const { s, log } = open(fake);
    await play(s, utterance(1200));
    await waitFor(() => log.some((x) => x.e === 'utteranceEnd'), 5000, 'utterance end');
    const kinds = log.map((x) => (x.e === 'transcript' ? (x.speechFinal ? 'final' : x.isFinal ? 'is_final' : 'interim') : x.e));
    expect(kinds[0]).toBe('speechStarted');
    expect(kinds.filter((k) => k === 'interim').length).toBeGreaterThanOrEqual(2);
    expect(kinds.slice(-2)).toEqual(['final', 'utteranceEnd']);
    const interims = log.flatMap((x) => (x.e === 'transcript' && !x.isFinal ? [x.text] : []));
    expect(interims.every((t) => 'I was in a car accident.'.startsWith(t))).toBe(true);
    const last = log.at(-2)!;
    expect(last).toMatchObject({ e: 'transcript', text: 'I was in a car accident.', isFinal: true, speechFinal: true, confidence: 0.98 });
  });

  it('passes every alternative with its confidence', async () => {
    fake.setScript([{ text: 'Smith', confidence: 0.61, alternatives: [{ text: 'Smyth', confidence: 0.55 }] }]);
    const { s } = open(fake);
    const got: { text: string; confidence: number }[][] = [];
    s.on('transcript', (t) => t.isFinal && got.push(t.alternatives));
    await play(s, utterance(500));
    await waitFor(() => got.length === 1);
    expect(got[0]).toEqual([{ text: 'Smith', confidence: 0.61 }, { text: 'Smyth', confidence: 0.55 }]);
  });

  it('ends a noisy turn by UtteranceEnd when endpointing cannot fire', async () => {
    fake.setScript([{ text: 'over the noise', noSpeechFinal: true }]);
    const { s, log } = open(fake);
    await play(s, Buffer.concat([makeSpeech(600), makeSilence(1500)]));
    await waitFor(() => log.some((x) => x.e === 'utteranceEnd'));
    expect(log.some((x) => x.e === 'transcript' && x.speechFinal)).toBe(false);
    expect(finals(log)).toEqual(['over the noise']);
  });

  it('sends KeepAlive while no audio flows, so Deepgram does not close the stream', async () => {
    fake.configure({ listen: { idleTimeoutMs: 300 } });
    const { s, log } = open(fake, { keepAliveMs: 100 });
    s.sendAudio(makeSilence(20));
    await fake.waitForListens(1);
    await new Promise((r) => setTimeout(r, 900));
    const c = fake.listens[0]!;
    expect(c.open).toBe(true);
    expect(c.keepAlives).toBeGreaterThanOrEqual(4);
    expect(log.filter((x) => x.e === 'reconnecting')).toEqual([]);
  });

  it('is closed by Deepgram after the idle timeout when no KeepAlive is sent, and reconnects', async () => {
    fake.configure({ listen: { idleTimeoutMs: 200 } });
    const { log } = open(fake, { keepAliveMs: 60_000 });
    await fake.waitForListens(2, 3000);
    expect(fake.listens[0]!.closeCode).toBe(1011);
    expect(log[0]).toEqual({ e: 'reconnecting', attempt: 1 });
  });

  it('reconnects after a drop mid-utterance and replays the audio of the utterance in progress', async () => {
    const { s, log, metrics } = open(fake);
    await play(s, utterance(700));
    await waitFor(() => finals(log).length === 1, 5000, 'first final');
    const dropped = fake.dropNextMidUtterance(300);
    const second = utterance(1000, 11);
    const playing = play(s, second, 5);
    const info = await dropped;
    await playing;
    expect(info.id).toBe(1);
    await waitFor(() => finals(log).length === 2, 5000, 'second final');
    expect(finals(log)).toEqual(['I was in a car accident.', 'My name is Ada Lovelace.']);
    expect(log.filter((x) => x.e === 'reconnecting')).toEqual([{ e: 'reconnecting', attempt: 1 }]);
    // The new connection heard the whole second utterance from its start, not just what followed the drop.
    expect(fake.listens).toHaveLength(2);
    expect(fake.listens[1]!.audioBytes).toBeGreaterThanOrEqual(second.length);
    // ...but not the first utterance again: the ring was trimmed at its final.
    expect(fake.listens[1]!.audioBytes).toBeLessThan(second.length + 1300 * 8 + 1);
    const errs = await metrics.providerErrors.get();
    expect(errs.values.find((v) => v.labels.kind === 'drop')?.value).toBe(1);
  });

  it('a long utterance arrives as several finals; after a drop only the audio since the last final is replayed', async () => {
    fake.configure({ listen: { segmentEveryMs: 600 } });
    const text = 'I was driving home from work on the highway when a truck hit my car from behind';
    fake.setScript([text, text]);
    const { s, log } = open(fake);
    await play(s, utterance(2500));
    await waitFor(() => log.some((x) => x.e === 'transcript' && x.speechFinal), 5000, 'speech final');
    const pieces = finals(log);
    expect(pieces.length).toBeGreaterThanOrEqual(3);
    expect(pieces.join(' ')).toBe(text);
    log.length = 0;
    const dropped = fake.dropNextMidUtterance(1500);
    const second = utterance(2500, 5);
    const playing = play(s, second, 5);
    await dropped;
    await playing;
    await waitFor(() => log.some((x) => x.e === 'transcript' && x.speechFinal), 5000, 'second speech final');
    // No word lost and none repeated across the reconnect.
    expect(finals(log).join(' ')).toBe(text);
    // The new connection got the audio from the last final on (about 1.2 s into the speech), not the whole utterance.
    const replayed = fake.listens[1]!.audioBytes;
    expect(replayed).toBeLessThan(second.length - 1000 * 8);
    expect(replayed).toBeGreaterThan(second.length - 1900 * 8);
  });

  it('a reconnect after a long silence replays only a short pre-roll, not seconds of nothing', async () => {
    const { s, log } = open(fake);
    await play(s, utterance(600));
    await waitFor(() => finals(log).length === 1, 5000, 'first final');
    await play(s, makeSilence(6000), 50);
    fake.dropListens();
    await fake.waitForListens(2);
    await waitFor(() => fake.listens[1]!.audioBytes > 0, 2000, 'replay');
    expect(fake.listens[1]!.audioBytes).toBe(300 * 8);
    await play(s, utterance(600, 3));
    await waitFor(() => finals(log).length === 2, 5000, 'second final');
    expect(finals(log)[1]).toBe('My name is Ada Lovelace.');
  });

  it('gives up after 3 retries when Deepgram refuses connections and reports failed, never throwing', async () => {
    fake.refuseConnections(true, 503);
    const t0 = Date.now();
    const { s, log } = open(fake);
    await play(s, utterance(300));
    await waitFor(() => log.some((x) => x.e === 'failed'), 5000, 'failed');
    expect(Date.now() - t0).toBeLessThan(2500);
    expect(log.filter((x) => x.e === 'reconnecting').map((x) => (x as { attempt: number }).attempt)).toEqual([1, 2, 3]);
    expect(fake.refused).toBe(4);
    expect(log.at(-1)).toMatchObject({ e: 'failed' });
    expect((log.at(-1) as { message: string }).message).toMatch(/503/);
    s.sendAudio(makeSpeech(100)); // ignored, no throw
    s.finalize();
  });

  it('a Deepgram that accepts TCP but never answers the handshake is retried with timeouts, then failed; no socket lingers', async () => {
    const sockets = new Set<Socket>();
    const black = createServer((sock) => {
      sock.resume(); // read (and discard) the upgrade request, so the client's close is seen
      sockets.add(sock);
      sock.on('close', () => sockets.delete(sock));
    });
    await new Promise<void>((r) => black.listen(0, '127.0.0.1', r));
    try {
      const stt = createDeepgramStt({
        apiKey: 'k', baseUrl: `http://127.0.0.1:${(black.address() as AddressInfo).port}`, model: 'nova-3', log: silentLogger(),
        settings: { connectTimeoutMs: 150, reconnectBackoffMs: [20] },
      });
      const s = stt.open({ keyterms: [], language: 'en' });
      streams.push(s);
      const log = record(s);
      await waitFor(() => log.some((x) => x.e === 'failed'), 5000, 'failed');
      expect(log.filter((x) => x.e === 'reconnecting')).toHaveLength(3);
      await waitFor(() => sockets.size === 0, 3000, 'hanging sockets closed');
    } finally {
      for (const sock of sockets) sock.destroy();
      await new Promise((r) => black.close(r));
    }
  });

  it('fails at once on a rejected API key instead of retrying', async () => {
    const { log } = open(fake, {}, 'CA-bad', 'wrong-key');
    await waitFor(() => log.some((x) => x.e === 'failed'), 3000, 'failed');
    expect(log.filter((x) => x.e === 'reconnecting')).toEqual([]);
    expect((log.at(-1) as { message: string }).message).toMatch(/401/);
  });

  it('when one Deepgram dies mid-call only its stream fails; a stream elsewhere carries on', async () => {
    const other = await startFakeDeepgram({ script: ['still here'] });
    try {
      const a = open(fake, {}, 'CA-a');
      const b = open(other, {}, 'CA-b');
      await play(a.s, makeSpeech(200));
      await fake.waitForListens(1);
      await fake.kill();
      const t0 = Date.now();
      await waitFor(() => a.log.some((x) => x.e === 'failed'), 5000, 'a failed');
      expect(Date.now() - t0).toBeLessThan(2000);
      await play(b.s, utterance(500));
      await waitFor(() => finals(b.log).length === 1, 5000, 'b final');
      expect(finals(b.log)).toEqual(['still here']);
      expect(b.log.some((x) => x.e === 'failed' || x.e === 'reconnecting')).toBe(false);
    } finally {
      await Promise.all(streams.splice(0).map((s) => s.close()));
      await other.close();
    }
  });

  it('logs through the call\'s logger when given one, so every line carries the CallSid', async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({ write(chunk, _enc, cb) { lines.push(JSON.parse(String(chunk)) as Record<string, unknown>); cb(); } });
    const callLog = createLogger('info', sink).child({ callSid: 'CA-logged' });
    const stt = createDeepgramStt({ apiKey: fake.apiKey, baseUrl: fake.url, model: 'nova-3', log: silentLogger() });
    const s = stt.open({ keyterms: [], language: 'en', tag: 'CA-logged', log: callLog });
    streams.push(s);
    const log = record(s);
    s.sendAudio(makeSilence(20));
    await fake.waitForListens(1);
    await waitFor(() => fake.listens[0]!.audioBytes > 0);
    fake.dropListens();
    await waitFor(() => log.some((x) => x.e === 'reconnecting'));
    await waitFor(() => lines.some((l) => l.msg === 'speech recognition dropped; reconnecting'));
    expect(lines.every((l) => l.callSid === 'CA-logged' && l.provider === 'deepgram_stt')).toBe(true);
  });

  it('a listener that throws does not break the stream', async () => {
    const { s, log } = open(fake);
    s.on('transcript', () => {
      throw new Error('bug in the call layer');
    });
    await play(s, utterance(500));
    await play(s, utterance(500, 9));
    await waitFor(() => finals(log).length === 2);
  });

  it('close() sends CloseStream, releases the socket and timers, and is idempotent', async () => {
    const before = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const { s, log } = open(fake, { keepAliveMs: 50 });
    await play(s, makeSpeech(300));
    await fake.waitForListens(1);
    await waitFor(() => fake.listens[0]!.audioBytes > 0);
    await Promise.all([s.close(), s.close()]);
    await s.close();
    await waitFor(() => fake.openListens() === 0, 2000, 'fake sees the close');
    expect(fake.listens[0]!.closeStreams).toBe(1);
    const n = log.length;
    s.sendAudio(makeSpeech(500));
    await new Promise((r) => setTimeout(r, 100));
    expect(log.length).toBe(n);
    expect(fake.listens[0]!.closeCode).toBe(1000);
    expect(process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length).toBeLessThanOrEqual(before);
  });

  it('close() while still connecting leaves no socket behind', async () => {
    const { s } = open(fake);
    await s.close();
    await new Promise((r) => setTimeout(r, 200));
    expect(fake.openListens()).toBe(0);
  });
});
