// The fake must speak Deepgram's wire format and enforce what the real service enforces, or the provider tests
// would prove nothing. These tests talk to it with a bare WebSocket/fetch, not through our providers.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startFakeDeepgram, type FakeDeepgram } from '../../src/bench/fakes/deepgram-server.js';
import { makeSilence, makeSpeech } from '../../src/audio/tones.js';
import { waitFor } from './helpers.js';

let fake: FakeDeepgram;
beforeEach(async () => {
  fake = await startFakeDeepgram({ script: ['hello world'] });
});
afterEach(async () => {
  await fake.close();
});

function connect(path: string, key = fake.apiKey): Promise<{ ws: WebSocket; msgs: Record<string, unknown>[]; binary: Buffer[]; closed: Promise<number> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${fake.url.replace('http', 'ws')}${path}`, { headers: { authorization: `Token ${key}` } });
    const msgs: Record<string, unknown>[] = [];
    const binary: Buffer[] = [];
    const closed = new Promise<number>((r) => ws.on('close', (code) => r(code)));
    ws.on('message', (d, isBinary) => (isBinary ? binary.push(d as Buffer) : msgs.push(JSON.parse(String(d)) as Record<string, unknown>)));
    ws.on('open', () => resolve({ ws, msgs, binary, closed }));
    ws.on('error', reject);
  });
}

describe('fake Deepgram', () => {
  it('refuses a WebSocket with the wrong key with HTTP 401', async () => {
    await expect(connect('/v1/listen?model=nova-3', 'bad')).rejects.toThrow(/401/);
    await expect(connect('/v1/speak?model=aura-2-thalia-en&encoding=mulaw&sample_rate=8000', 'bad')).rejects.toThrow(/401/);
    expect(fake.refused).toBe(2);
  });

  it('listen: Results follow the real shape, and CloseStream yields Metadata then a normal close', async () => {
    const c = await connect('/v1/listen?model=nova-3&encoding=mulaw&sample_rate=8000&interim_results=true&endpointing=300&utterance_end_ms=1000&vad_events=true');
    c.ws.send(Buffer.concat([makeSilence(200), makeSpeech(800), makeSilence(400)]));
    await waitFor(() => c.msgs.some((m) => m.speech_final === true));
    const final = c.msgs.find((m) => m.speech_final === true)!;
    expect(final).toMatchObject({
      type: 'Results', channel_index: [0, 1], is_final: true, speech_final: true,
      channel: { alternatives: [{ transcript: 'hello world', confidence: 0.98 }] },
      metadata: { model_info: { arch: 'nova-3' } },
    });
    const words = (final.channel as { alternatives: { words: { word: string; start: number; end: number }[] }[] }).alternatives[0]!.words;
    expect(words.map((w) => w.word)).toEqual(['hello', 'world']);
    expect(words[0]!.start).toBeCloseTo(0.2, 1);
    expect(c.msgs[0]).toEqual({ type: 'SpeechStarted', channel: [0], timestamp: 0.2 });
    c.ws.send(JSON.stringify({ type: 'CloseStream' }));
    expect(await c.closed).toBe(1000);
    expect(c.msgs.at(-1)).toMatchObject({ type: 'Metadata', channels: 1, duration: 1.4 });
  });

  it('listen: Finalize flushes the utterance in progress with from_finalize', async () => {
    const c = await connect('/v1/listen?model=nova-3&encoding=mulaw&sample_rate=8000&endpointing=300');
    c.ws.send(makeSpeech(500));
    await waitFor(() => fake.listens[0]?.speechMs !== undefined && fake.listens[0]!.audioBytes === 4000);
    c.ws.send(JSON.stringify({ type: 'Finalize' }));
    await waitFor(() => c.msgs.some((m) => m.type === 'Results'));
    expect(c.msgs.find((m) => m.type === 'Results')).toMatchObject({ is_final: true, from_finalize: true });
    c.ws.close();
  });

  it('listen: closes with 1011 after the idle timeout, KeepAlive resets it', async () => {
    fake.configure({ listen: { idleTimeoutMs: 150 } });
    const c = await connect('/v1/listen?model=nova-3&encoding=mulaw&sample_rate=8000');
    const keep = setInterval(() => c.ws.send(JSON.stringify({ type: 'KeepAlive' })), 50);
    await new Promise((r) => setTimeout(r, 400));
    clearInterval(keep);
    expect(fake.listens[0]!.open).toBe(true);
    expect(await c.closed).toBe(1011);
  });

  it('speak REST insists on mulaw, 8000 Hz and container=none', async () => {
    const post = (q: string, key = fake.apiKey) => fetch(`${fake.url}/v1/speak?${q}`, {
      method: 'POST', headers: { authorization: `Token ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ text: 'Hi there' }),
    });
    const ok = await post('model=aura-2-thalia-en&encoding=mulaw&sample_rate=8000&container=none');
    expect(ok.status).toBe(200);
    expect((await ok.arrayBuffer()).byteLength).toBe(8 * 60 * 8);
    expect((await post('model=aura-2-thalia-en&encoding=mulaw&sample_rate=8000')).status).toBe(400);
    expect((await post('model=aura-2-thalia-en')).status).toBe(400);
    expect((await post('model=aura-2-thalia-en&encoding=mulaw&sample_rate=8000&container=none', 'bad')).status).toBe(401);
  });

  it('speak WS: Metadata on open, audio then Flushed per flush, Cleared on clear, warning past the flush limit', async () => {
    fake.configure({ speak: { flushLimit: 2 } });
    const c = await connect('/v1/speak?model=aura-2-thalia-en&encoding=mulaw&sample_rate=8000');
    await waitFor(() => c.msgs.length === 1);
    expect(c.msgs[0]).toMatchObject({ type: 'Metadata', model_name: 'aura-2-thalia-en' });
    c.ws.send(JSON.stringify({ type: 'Speak', text: 'One.' }));
    c.ws.send(JSON.stringify({ type: 'Flush' }));
    await waitFor(() => c.msgs.some((m) => m.type === 'Flushed'));
    expect(Buffer.concat(c.binary).length).toBe(4 * 60 * 8);
    c.ws.send(JSON.stringify({ type: 'Speak', text: 'Two.' }));
    c.ws.send(JSON.stringify({ type: 'Clear' }));
    c.ws.send(JSON.stringify({ type: 'Flush' }));
    c.ws.send(JSON.stringify({ type: 'Flush' }));
    await waitFor(() => c.msgs.some((m) => m.type === 'Warning'));
    expect(c.msgs.slice(1).map((m) => `${String(m.type)}${m.sequence_id ?? ''}`)).toEqual(['Flushed0', 'Cleared1', 'Flushed2', 'Warning']);
    expect(Buffer.concat(c.binary).length).toBe(4 * 60 * 8);
    c.ws.send(JSON.stringify({ type: 'Close' }));
    expect(await c.closed).toBe(1000);
  });

  it('can refuse and drop one call\'s stream (by tag) while others carry on', async () => {
    const a = await connect('/v1/listen?model=nova-3&tag=CA-a');
    const b = await connect('/v1/listen?model=nova-3&tag=CA-b');
    fake.refuseConnections(true, 503, (r) => r.params.get('tag') === 'CA-a');
    fake.dropListens((c) => c.key === 'CA-a');
    expect(await a.closed).toBe(1006);
    await expect(connect('/v1/listen?model=nova-3&tag=CA-a')).rejects.toThrow(/503/);
    const c = await connect('/v1/listen?model=nova-3&tag=CA-c');
    expect(b.ws.readyState).toBe(WebSocket.OPEN);
    b.ws.close();
    c.ws.close();
  });

  it('kill() closes every socket and stops accepting', async () => {
    const c = await connect('/v1/listen?model=nova-3&encoding=mulaw&sample_rate=8000');
    await fake.kill();
    expect(await c.closed).toBe(1006);
    await expect(connect('/v1/listen?model=nova-3')).rejects.toThrow(/ECONNREFUSED/);
  });
});
