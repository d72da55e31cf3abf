// ONE local fake of Deepgram (http + ws on 127.0.0.1, random port) that speaks the real wire format, so the real
// @deepgram/sdk connects to it through its baseUrl: /v1/listen (live STT) and /v1/speak (Aura REST and WebSocket).
// Both check `Authorization: Token <key>`. Tests and the benchmark control it: scripts for transcripts, fixed
// provider delays, dropping a connection mid-utterance, refusing new connections, or dying altogether.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  FakeListenConnection, type KeyProgress, type ListenConnectionInfo, type ListenSettings, type Script, type ScriptedUtterance,
} from './deepgram-listen.js';
import { handleSpeakRest, handleSpeakSocket, type SpeakSettings, type SpeakStats } from './deepgram-speak.js';

export type { ScriptedUtterance, Script, ListenConnectionInfo, SpeakStats };
export { fakeAudioFor } from './deepgram-speak.js';

export interface FakeDeepgramOptions {
  /** Key the fake accepts (`Authorization: Token <apiKey>`). */
  apiKey?: string;
  /**
   * What callers say. A list is walked per connection key (the `tag` query parameter, else the connection), and the
   * position survives reconnects; a function decides per utterance. Past the end of a list the transcript is ''.
   */
  script?: (string | ScriptedUtterance)[] | Script;
  listen?: Partial<ListenSettings>;
  speak?: Partial<SpeakSettings>;
  /** Called as a speech_final result leaves for the server, with the connection key (the `tag`: the benchmark's CallSid). */
  onSpeechFinal?: (key: string) => void;
}

export interface FakeDeepgram {
  /** http://127.0.0.1:<port>: give it to the SDK as baseUrl (DEEPGRAM_BASE_URL). */
  url: string;
  port: number;
  apiKey: string;
  /** Every listen connection accepted, in order (open or closed). */
  listens: ListenConnectionInfo[];
  /** Listen connections open right now. */
  openListens(): number;
  speak: SpeakStats;
  /** Upgrade/REST attempts refused (bad key, refusal mode). */
  refused: number;
  setScript(script: (string | ScriptedUtterance)[] | Script): void;
  /** Changes latency/timeouts for connections opened from now on (speak settings apply at once). */
  configure(opts: { listen?: Partial<ListenSettings>; speak?: Partial<SpeakSettings> }): void;
  /** Abruptly drops open listen connections (client sees 1006): all, or those `which` selects (e.g. by key/tag). */
  dropListens(which?: (c: ListenConnectionInfo) => boolean): void;
  /** Abruptly drops every open speak WebSocket. */
  dropSpeakSockets(): void;
  /** Drops the next listen connection that has heard `afterSpeechMs` of speech in an utterance (once). */
  dropNextMidUtterance(afterSpeechMs?: number): Promise<ListenConnectionInfo>;
  /**
   * While on, new connections (listen and speak, WS and REST) get HTTP `status` (503 = overloaded). `which` limits
   * the refusal to some requests, e.g. one call's listen stream: `(r) => r.params.get('tag') === callSid`.
   */
  refuseConnections(on: boolean, status?: number, which?: (r: { path: string; params: URLSearchParams }) => boolean): void;
  /** Simulates the service dying: every socket is destroyed and the port stops accepting. */
  kill(): Promise<void>;
  /** Waits until `n` listen connections have been accepted in total. */
  waitForListens(n: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

const DEFAULT_LISTEN: ListenSettings = { vad: {}, interimEveryMs: 250, segmentEveryMs: 0, resultDelayMs: 0, idleTimeoutMs: 10_000 };
const DEFAULT_SPEAK: SpeakSettings = { firstByteDelayMs: 0, msPerChar: 60, chunkBytes: 800, flushLimit: 20 };

function toScript(s: FakeDeepgramOptions['script']): Script {
  if (typeof s === 'function') return s;
  const list = s ?? [];
  return ({ utteranceIndex }) => list[utteranceIndex];
}

export async function startFakeDeepgram(opts: FakeDeepgramOptions = {}): Promise<FakeDeepgram> {
  const apiKey = opts.apiKey ?? 'test-deepgram-key';
  let script = toScript(opts.script);
  const listenSettings: ListenSettings = { ...DEFAULT_LISTEN, ...opts.listen };
  const speakSettings: SpeakSettings = { ...DEFAULT_SPEAK, ...opts.speak };
  const speak: SpeakStats = {
    restRequests: 0, restCharacters: 0, wsConnections: 0, wsOpen: 0, speaks: 0, flushes: 0, clears: 0, closes: 0, texts: [], received: [], queries: [],
  };
  const listens: ListenConnectionInfo[] = [];
  const conns = new Set<FakeListenConnection>();
  const speakSockets = new Set<WebSocket>();
  const counters = new Map<string, KeyProgress>();
  const sockets = new Set<Socket>();
  const restTimers = new Set<NodeJS.Timeout>();
  let refuseStatus: number | null = null;
  let refuseWhich: ((r: { path: string; params: URLSearchParams }) => boolean) | null = null;
  let refused = 0;
  let nextId = 1;
  let dropArm: { afterMs: number; resolve: (c: ListenConnectionInfo) => void } | null = null;
  const listenWaiters: { n: number; resolve: () => void }[] = [];

  const authorised = (req: IncomingMessage) => req.headers.authorization === `Token ${apiKey}`;
  const gate = (req: IncomingMessage): { status: number; body: string } | null => {
    const u = new URL(req.url ?? '/', 'http://x');
    if (refuseStatus !== null && (!refuseWhich || refuseWhich({ path: u.pathname, params: u.searchParams }))) return { status: refuseStatus, body: '{"err_code":"SERVICE_UNAVAILABLE","err_msg":"fake refusing connections"}' };
    if (!authorised(req)) {
      return { status: 401, body: '{"err_code":"INVALID_AUTH","err_msg":"Invalid credentials.","request_id":"00000000-0000-0000-0000-000000000000"}' };
    }
    return null;
  };

  const server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    const refusedWith = gate(req);
    if (refusedWith) {
      refused++;
      res.writeHead(refusedWith.status, { 'content-type': 'application/json' }).end(refusedWith.body);
      return;
    }
    if (req.method === 'POST' && u.pathname === '/v1/speak') {
      handleSpeakRest(req, res, u.searchParams, speakSettings, speak, restTimers);
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"err_code":"NOT_FOUND"}');
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    const u = new URL(req.url ?? '/', 'http://x');
    const refusedWith = gate(req) ?? (['/v1/listen', '/v1/speak'].includes(u.pathname) ? null : { status: 404, body: '{}' });
    if (refusedWith) {
      refused++;
      socket.end(`HTTP/1.1 ${refusedWith.status} Refused\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(refusedWith.body)}\r\nconnection: close\r\n\r\n${refusedWith.body}`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      if (u.pathname === '/v1/speak') {
        speakSockets.add(ws);
        ws.on('close', () => speakSockets.delete(ws));
        handleSpeakSocket(ws, u.searchParams, speakSettings, speak);
        return;
      }
      const conn = new FakeListenConnection(ws, nextId++, u.searchParams, req.headers.authorization, { ...listenSettings }, (ctx) => script(ctx), counters, {
        ...(opts.onSpeechFinal ? { onSpeechFinal: opts.onSpeechFinal } : {}),
        onSpeechMs: (c) => {
          if (dropArm && c.info.speechMs >= dropArm.afterMs) {
            const arm = dropArm;
            dropArm = null;
            c.drop();
            arm.resolve(c.info);
          }
        },
      });
      conns.add(conn);
      ws.on('close', () => conns.delete(conn));
      listens.push(conn.info);
      for (const w of [...listenWaiters]) {
        if (listens.length >= w.n) {
          listenWaiters.splice(listenWaiters.indexOf(w), 1);
          w.resolve();
        }
      }
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  let closed = false;

  const shutdown = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    for (const t of restTimers) clearTimeout(t);
    restTimers.clear();
    for (const c of conns) c.drop();
    for (const ws of wss.clients) ws.terminate();
    for (const s of sockets) s.destroy();
    wss.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    apiKey,
    listens,
    openListens: () => conns.size,
    speak,
    get refused() {
      return refused;
    },
    setScript(s) {
      script = toScript(s);
    },
    configure(o) {
      Object.assign(listenSettings, o.listen ?? {});
      Object.assign(speakSettings, o.speak ?? {});
    },
    dropListens(which) {
      for (const c of [...conns]) if (!which || which(c.info)) c.drop();
    },
    dropSpeakSockets() {
      for (const ws of speakSockets) ws.terminate();
    },
    dropNextMidUtterance(afterSpeechMs = 200) {
      return new Promise((resolve) => {
        dropArm = { afterMs: afterSpeechMs, resolve };
      });
    },
    refuseConnections(on, status = 503, which) {
      refuseStatus = on ? status : null;
      refuseWhich = on ? which ?? null : null;
    },
    kill: shutdown,
    waitForListens(n, timeoutMs = 5000) {
      if (listens.length >= n) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const w = { n, resolve: () => { clearTimeout(t); resolve(); } };
        const t = setTimeout(() => {
          listenWaiters.splice(listenWaiters.indexOf(w), 1);
          reject(new Error(`fake Deepgram: ${listens.length} listen connections, expected ${n}`));
        }, timeoutMs);
        listenWaiters.push(w);
      });
    },
    close: shutdown,
  };
}

/** Short name: `const dg = await start({ script: [...] })`. */
export const start = startFakeDeepgram;
