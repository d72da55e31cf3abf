// A local HTTP server speaking the OpenAI audio wire format (as served by OpenAI, speaches/faster-whisper-server,
// whisper.cpp with --inference-path, Kokoro-FastAPI), so tests drive the real `openai` SDK:
//   POST /v1/audio/transcriptions  multipart/form-data (file, model, language, prompt, response_format, extra fields)
//                                  -> json {"text"} | verbose_json {text, segments[...]} | text | SSE when stream=true
//   POST /v1/audio/speech          JSON {model, input, voice, response_format, speed} -> binary audio sent in chunks:
//                                  pcm = raw 24 kHz s16le mono (Content-Type audio/pcm), wav = the same behind a RIFF
//                                  header whose sizes are 0xFFFFFFFF (unknown length while streaming).
// Facts the shared reference lacks, with their public source:
// - Errors are JSON `{"error":{"message","type","param","code"}}` with the HTTP status (OpenAI API reference, "Error
//   codes"); the SDK raises APIError subclasses from them.
// - Kokoro-FastAPI streams pcm with `Content-Type: audio/pcm` and chunked transfer (its README, "Streaming support").
// - A WAV file's `fmt ` chunk carries the sample rate at byte 24 and the bits per sample at byte 34 (RIFF WAVE spec).
// The transcript is scripted (the fake cannot recognise speech); the audio it is given is parsed and recorded so
// tests can assert what the client really sent.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface WavInfo {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  /** PCM samples (one channel). */
  samples: Int16Array;
  durationMs: number;
}

export interface TranscriptionRequest {
  model: string;
  language: string | null;
  prompt: string | null;
  responseFormat: string;
  stream: boolean;
  fileName: string;
  fileType: string;
  wav: WavInfo;
  /** Every form field other than `file`, as sent. */
  fields: Record<string, string>;
  authorization: string | undefined;
  at: number;
}

export interface SpeechRequest {
  model: string;
  input: string;
  voice: string;
  responseFormat: string;
  speed: number;
  authorization: string | undefined;
  at: number;
}

/** A scripted failure for one request: an HTTP error, no answer at all (a hung server), or the TCP connection cut. */
export type FakeFailure = { status: number; message?: string } | { hang: true } | { reset: true };

export interface FakeAudioOptions {
  /** Transcripts returned in order; the last one repeats. A function decides per request (0-based). */
  transcripts?: string[] | ((req: TranscriptionRequest, n: number) => string);
  /** Wall-clock delay before a transcription answer: fixed part plus a part per second of audio (realistic Whisper). */
  transcribeDelayMs?: number;
  transcribeMsPerAudioSecond?: number;
  /** Delay before the first speech byte (a Kokoro model's time to first chunk). */
  speechFirstByteMs?: number;
  /** Milliseconds of speech per character of input. */
  speechMsPerChar?: number;
  /** Bytes per body chunk of /v1/audio/speech (9600 = 200 ms of 24 kHz s16le). */
  speechChunkBytes?: number;
  /** Wall-clock pause between chunks (a server producing faster than real time). */
  speechChunkIntervalMs?: number;
  /** Failure for transcription request n, or null to answer normally. */
  failTranscription?: (n: number) => FakeFailure | null;
  /** Failure for speech request n, or null. */
  failSpeech?: (n: number) => FakeFailure | null;
}

export interface FakeAudioServer {
  /** Base URL as the SDK wants it, ending in /v1. */
  url: string;
  transcriptions: TranscriptionRequest[];
  speeches: SpeechRequest[];
  close(): Promise<void>;
}

const PCM_RATE = 24_000;

export async function startFakeOpenAIAudio(opts: FakeAudioOptions = {}): Promise<FakeAudioServer> {
  const transcriptions: TranscriptionRequest[] = [];
  const speeches: SpeechRequest[] = [];
  let tCount = 0;
  let sCount = 0;
  const hung = new Set<ServerResponse>();

  const server: Server = createServer((req, res) => {
    void route(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendError(res, 500, (err as Error).message, 'server_error');
      else res.destroy();
    });
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    if (!req.headers.authorization?.startsWith('Bearer ') || req.headers.authorization.length <= 7) {
      return sendError(res, 401, 'Missing bearer authentication in header', 'invalid_request_error');
    }
    if (req.method === 'POST' && req.url === '/v1/audio/transcriptions') return transcribe(req, res, body);
    if (req.method === 'POST' && req.url === '/v1/audio/speech') return speak(req, res, body);
    return sendError(res, 404, `Unknown request URL: ${req.method} ${req.url}`, 'invalid_request_error');
  }

  async function transcribe(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    const n = tCount++;
    const ct = req.headers['content-type'] ?? '';
    if (!ct.startsWith('multipart/form-data')) return sendError(res, 400, 'Expected multipart/form-data', 'invalid_request_error');
    // Node's own fetch Request parses multipart exactly as a browser would.
    const form = await new Request('http://fake/', { method: 'POST', headers: { 'content-type': ct }, body }).formData();
    const file = form.get('file');
    if (!(file instanceof Blob)) return sendError(res, 400, "'file' is a required property", 'invalid_request_error', 'file');
    const model = form.get('model');
    if (typeof model !== 'string' || model === '') return sendError(res, 400, "'model' is a required property", 'invalid_request_error', 'model');
    let wav: WavInfo;
    try {
      wav = parseWav(Buffer.from(await file.arrayBuffer()));
    } catch (err) {
      return sendError(res, 400, `Invalid file format: ${(err as Error).message}`, 'invalid_request_error', 'file');
    }
    const fields: Record<string, string> = {};
    for (const [k, v] of form.entries()) if (typeof v === 'string') fields[k] = v;
    const r: TranscriptionRequest = {
      model, language: fields.language ?? null, prompt: fields.prompt ?? null, responseFormat: fields.response_format ?? 'json',
      stream: fields.stream === 'true', fileName: (file as File).name ?? '', fileType: file.type, wav, fields,
      authorization: req.headers.authorization, at: Date.now(),
    };
    transcriptions.push(r);
    const failure = opts.failTranscription?.(n) ?? null;
    if (failure && silenced(req, res, failure)) return;
    const delay = (opts.transcribeDelayMs ?? 0) + ((opts.transcribeMsPerAudioSecond ?? 0) * wav.durationMs) / 1000;
    if (delay > 0) await sleep(delay);
    if (failure && 'status' in failure) return sendScriptedError(res, failure);
    const script = opts.transcripts ?? ['hello'];
    const text = typeof script === 'function' ? script(r, n) : script[Math.min(n, script.length - 1)] ?? '';
    if (r.stream) {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      for (const word of text.split(/(?<= )/)) res.write(`data: ${JSON.stringify({ type: 'transcript.text.delta', delta: word })}\n\n`);
      res.end(`data: ${JSON.stringify({ type: 'transcript.text.done', text })}\n\n`);
      return;
    }
    const seconds = wav.durationMs / 1000;
    switch (r.responseFormat) {
      case 'text':
        res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(`${text}\n`);
        return;
      case 'verbose_json':
        return sendJson(res, 200, {
          task: 'transcribe', language: r.language ?? 'english', duration: seconds, text,
          segments: text ? [{ id: 0, seek: 0, start: 0, end: seconds, text: ` ${text}`, tokens: [], temperature: 0, avg_logprob: -0.15, compression_ratio: 1.1, no_speech_prob: 0.02 }] : [],
        });
      case 'json':
        return sendJson(res, 200, { text });
      default:
        return sendError(res, 400, `Unsupported response_format: ${r.responseFormat}`, 'invalid_request_error', 'response_format');
    }
  }

  /** A scripted reset or hang: the connection is cut, or the request is kept open with no answer. */
  function silenced(req: IncomingMessage, res: ServerResponse, failure: FakeFailure): boolean {
    if ('reset' in failure) {
      req.socket.destroy();
      return true;
    }
    if ('hang' in failure) {
      hung.add(res);
      res.on('close', () => hung.delete(res));
      return true;
    }
    return false;
  }

  async function speak(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    const n = sCount++;
    let j: Record<string, unknown>;
    try {
      j = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    } catch {
      return sendError(res, 400, 'We could not parse the JSON body of your request.', 'invalid_request_error');
    }
    const { model, input, voice } = j;
    const responseFormat = typeof j.response_format === 'string' ? j.response_format : 'mp3';
    if (typeof model !== 'string' || !model) return sendError(res, 400, "'model' is a required property", 'invalid_request_error', 'model');
    if (typeof input !== 'string' || !input) return sendError(res, 400, "'input' is a required property", 'invalid_request_error', 'input');
    if (input.length > 4096) return sendError(res, 400, 'input is longer than 4096 characters', 'invalid_request_error', 'input');
    if (typeof voice !== 'string' || !voice) return sendError(res, 400, "'voice' is a required property", 'invalid_request_error', 'voice');
    if (responseFormat !== 'pcm' && responseFormat !== 'wav') return sendError(res, 400, `fake serves pcm and wav only, not ${responseFormat}`, 'invalid_request_error', 'response_format');
    speeches.push({ model, input, voice, responseFormat, speed: typeof j.speed === 'number' ? j.speed : 1, authorization: req.headers.authorization, at: Date.now() });
    const failure = opts.failSpeech?.(n) ?? null;
    if (failure && silenced(req, res, failure)) return;
    if (failure && 'status' in failure) return sendScriptedError(res, failure);
    const pcm = speechPcm(input, opts.speechMsPerChar ?? 60);
    if (opts.speechFirstByteMs) await sleep(opts.speechFirstByteMs);
    res.writeHead(200, { 'content-type': responseFormat === 'pcm' ? 'audio/pcm' : 'audio/wav', 'transfer-encoding': 'chunked' });
    const payload = responseFormat === 'wav' ? Buffer.concat([streamingWavHeader(PCM_RATE), pcm]) : pcm;
    const step = opts.speechChunkBytes ?? 9600;
    // Odd chunk boundaries on purpose (a sample split across chunks), as real chunked bodies have.
    for (let i = 0; i < payload.length && !res.destroyed; i += step) {
      res.write(payload.subarray(i, Math.min(payload.length, i + step + (i === 0 ? 1 : 0))));
      if (i === 0) i += 1;
      if (opts.speechChunkIntervalMs) await sleep(opts.speechChunkIntervalMs);
    }
    res.end();
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    transcriptions,
    speeches,
    async close() {
      for (const r of hung) r.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const pcmCache = new Map<string, Buffer>();

/**
 * 24 kHz s16le speech-like audio (harmonics under a syllable envelope), length proportional to the text. Memoised,
 * so the fake's own CPU time does not count as the client's latency when a benchmark repeats sentences.
 */
export function speechPcm(text: string, msPerChar: number): Buffer {
  const key = `${msPerChar}:${text.length}`;
  const hit = pcmCache.get(key);
  if (hit) return hit;
  const out = renderPcm(text, msPerChar);
  if (pcmCache.size >= 200) pcmCache.delete(pcmCache.keys().next().value!);
  pcmCache.set(key, out);
  return out;
}

function renderPcm(text: string, msPerChar: number): Buffer {
  const n = Math.round((text.length * msPerChar * PCM_RATE) / 1000);
  const out = Buffer.alloc(n * 2);
  for (let i = 0; i < n; i++) {
    const t = i / PCM_RATE;
    const env = 0.65 + 0.35 * Math.sin(2 * Math.PI * 4 * t);
    const v = (Math.sin(2 * Math.PI * 140 * t) * 0.6 + Math.sin(2 * Math.PI * 280 * t) * 0.3) * env * 0.3;
    out.writeInt16LE(Math.round(v * 32767), i * 2);
  }
  return out;
}

export function streamingWavHeader(rate: number): Buffer {
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(0xffffffff, 4);
  h.write('WAVE', 8, 'ascii');
  h.write('fmt ', 12, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(rate, 24);
  h.writeUInt32LE(rate * 2, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(0xffffffff, 40);
  return h;
}

/** Parses a PCM WAV (any chunk order); throws on anything else, as a real server's decoder would. */
export function parseWav(buf: Buffer): WavInfo {
  if (buf.length < 12 || buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') throw new Error('not a RIFF/WAVE file');
  let off = 12;
  let fmt: { format: number; channels: number; sampleRate: number; bits: number } | null = null;
  while (off + 8 <= buf.length) {
    const id = buf.toString('ascii', off, off + 4);
    const size = buf.readUInt32LE(off + 4);
    const start = off + 8;
    if (id === 'fmt ') {
      fmt = { format: buf.readUInt16LE(start), channels: buf.readUInt16LE(start + 2), sampleRate: buf.readUInt32LE(start + 4), bits: buf.readUInt16LE(start + 14) };
    } else if (id === 'data') {
      if (!fmt) throw new Error('data before fmt');
      if (fmt.format !== 1 || fmt.bits !== 16) throw new Error(`unsupported WAV encoding ${fmt.format}/${fmt.bits}`);
      const end = Math.min(buf.length, start + size);
      const bytes = buf.subarray(start, end - ((end - start) % 2));
      const samples = new Int16Array(bytes.length / 2);
      for (let i = 0; i < samples.length; i++) samples[i] = bytes.readInt16LE(i * 2);
      return { sampleRate: fmt.sampleRate, channels: fmt.channels, bitsPerSample: fmt.bits, samples, durationMs: (samples.length / fmt.channels / fmt.sampleRate) * 1000 };
    }
    off = start + size + (size % 2);
  }
  throw new Error('no data chunk');
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => resolve(Buffer.concat(parts)));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const s = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(s) });
  res.end(s);
}

function sendScriptedError(res: ServerResponse, failure: Extract<FakeFailure, { status: number }>): void {
  sendError(res, failure.status, failure.message ?? 'scripted failure', failure.status >= 500 ? 'server_error' : 'invalid_request_error');
}

function sendError(res: ServerResponse, status: number, message: string, type: string, param: string | null = null): void {
  sendJson(res, status, { error: { message, type, param, code: null } });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
