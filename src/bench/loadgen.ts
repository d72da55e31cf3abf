// Benchmark callers, run in one or more child processes (run.ts forks them; the fake providers have a process of their
// own, fakes-process.ts) so that the server's CPU can be measured on its own: N simulated Twilio callers on real
// WebSockets over loopback. Each caller posts a signed voice webhook, opens a signed media stream and then streams
// audio like Twilio does (a 20 ms frame every 20 ms, speech or silence), waits for the greeting, and loops: pause,
// speak, wait for the reply to finish. One shared 20 ms ticker drives every caller so the generator itself stays cheap.
// With several caller processes, process k of P dials calls k, k+P, k+2P... of the ramp-up, so the starts interleave.
import { randomBytes } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import twilio from 'twilio';
import WebSocket from 'ws';
import { makeSilence, makeSpeech } from '../audio/tones.js';
import { FRAME_BYTES } from '../audio/energy.js';
import { startCpuProfile } from './profile.js';
import { LOOP_RESOLUTION_MS, loopDelay } from './stats.js';

export interface LoadgenRun {
  serverUrl: string;
  publicUrl: string;
  authToken: string;
  accountSid: string;
  calls: number;
  seconds: number;
  rampUpMs: number;
  speechMs: number;
  thinkMs: number;
  /** A caller speaks only after this long without agent audio (real callers do not talk over a long prompt). */
  silenceBeforeSpeechMs: number;
  /** This process's share of the calls: call i of the run is dialled here when i % of === index. */
  part?: { index: number; of: number };
  /** Write a CPU profile of this caller process over the run into this folder (--profile-dir). */
  profileDir?: string;
}

export interface CallerStats {
  greetingMs: number[];
  replyMs: number[];
  /** Caller side, from the moment the fake STT sent the turn's speech_final to the first reply frame received: the
   * server's whole reply time seen from outside (endpointing excluded, queueing before the server's timers included). */
  replyAfterFinalMs: number[];
  turns: number;
  failed: number;
  /** Calls the server ended before the caller hung up (flow finished, or gave up after a provider failure). */
  serverClosed: string[];
  /** New calls dialled in place of calls the server ended, so N calls stay in progress. */
  redials: number;
  framesReceived: number;
  /** Per call: the longest gap in the greeting's audio at the caller (Twilio's buffer ran dry), ms. */
  greetingGapMs: number[];
  /** Times a caller began speaking while agent audio was still playing at its end (a real interruption). */
  spokeOverAudio: number;
  /** The generator's own event-loop delay (its timings are only as good as its loop), ms. */
  loopDelayMs: { p50: number; p99: number; max: number };
  errors: string[];
}

/** From the parent: a run, a speech_final the fake STT sent (wall-clock ms, see fakes-process.ts), or exit. */
export type LoadgenRequest = { type: 'run'; run: LoadgenRun } | { type: 'final'; callSid: string; at: number } | { type: 'exit' };

const SILENCE_B64 = makeSilence(20).toString('base64');

class BenchCaller {
  readonly callSid = `CA${randomBytes(16).toString('hex')}`;
  readonly streamSid = `MZ${randomBytes(16).toString('hex')}`;
  ws: WebSocket | null = null;
  state: 'connecting' | 'greeting' | 'think' | 'speaking' | 'waiting' | 'listening' | 'done' = 'connecting';
  private seq = 0;
  private chunk = 0;
  private startSentAt = 0;
  private stateSince = 0;
  private speechFrame = 0;
  private speechEndAt = 0;
  private heardReply = false;
  /** When the fake STT sent this call's last speech_final (performance.now()), 0 = none since the last reply. */
  private finalSentAt = 0;
  /** When the last reply's first frame arrived, while no speech_final was known for it yet (0 = none pending). */
  private unmatchedReplyAt = 0;
  /** Longest underrun seen since the greeting began (the greeting ends when the caller first speaks). */
  private greetingGap = 0;
  playEnd = 0;
  /** Mark echoes waiting for their audio to play (Twilio returns them at once on clear). */
  private readonly echoes = new Map<NodeJS.Timeout, () => void>();
  lastFrameAt = 0;
  private framesDue = 0;
  private readonly head: string;

  constructor(
    private readonly r: LoadgenRun,
    private readonly speech: string[],
    private readonly stats: CallerStats,
    /** Called when the server ended the call: the line is free, so the next caller dials (keeps N calls going). */
    private readonly onServerEnded: (c: BenchCaller) => void = () => undefined,
  ) {
    this.head = `{"event":"media","streamSid":"${this.streamSid}","sequenceNumber":"`;
  }

  async start(): Promise<void> {
    const params = { CallSid: this.callSid, AccountSid: this.r.accountSid, From: '+13125550123', To: '+13125550100', CallStatus: 'ringing', Direction: 'inbound' };
    const sig = twilio.getExpectedTwilioSignature(this.r.authToken, `${this.r.publicUrl}/twilio/voice`, params);
    const res = await fetch(`${this.r.serverUrl}/twilio/voice`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': sig }, body: new URLSearchParams(params).toString(),
    });
    const twiml = await res.text();
    if (res.status !== 200 || !twiml.includes('<Stream')) throw new Error(`voice webhook ${res.status}`);
    const custom: Record<string, string> = {};
    for (const m of twiml.matchAll(/<Parameter name="([^"]+)" value="([^"]*)"\/>/g)) custom[m[1]!] = m[2]!;
    const wsUrl = `${this.r.publicUrl.replace(/^http/, 'ws')}/twilio/media`;
    const ws = new WebSocket(`${this.r.serverUrl.replace(/^http/, 'ws')}/twilio/media`, {
      headers: { 'X-Twilio-Signature': twilio.getExpectedTwilioSignature(this.r.authToken, wsUrl, {}) },
      perMessageDeflate: false,
    });
    this.ws = ws;
    await new Promise<void>((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    ws.on('message', (d) => this.onMessage(d.toString()));
    ws.on('close', () => {
      // The server decides whether this was the flow's end or a failure (it knows how the conversation ended).
      if (this.state !== 'done') {
        this.stats.serverClosed.push(this.callSid);
        this.state = 'done';
        this.onServerEnded(this);
      }
    });
    ws.send('{"event":"connected","protocol":"Call","version":"1.0.0"}');
    this.startSentAt = performance.now();
    ws.send(JSON.stringify({
      event: 'start', sequenceNumber: String(++this.seq), streamSid: this.streamSid,
      start: { accountSid: this.r.accountSid, streamSid: this.streamSid, callSid: this.callSid, tracks: ['inbound'], customParameters: custom,
        mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 } },
    }));
    this.state = 'greeting';
    this.stateSince = this.startSentAt;
  }

  /** One tick: send the frames due (real time) and advance the script. */
  tick(now: number, elapsedFrames: number): void {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN || this.state === 'done' || this.state === 'connecting') return;
    this.framesDue = Math.min(5, elapsedFrames);
    for (let i = 0; i < this.framesDue; i++) {
      let payload = SILENCE_B64;
      if (this.state === 'speaking') {
        payload = this.speech[this.speechFrame++]!;
        if (this.speechFrame >= this.speech.length) {
          this.state = 'waiting';
          this.speechEndAt = now;
          this.heardReply = false;
          this.stateSince = now;
        }
      }
      this.chunk++;
      ws.send(`${this.head}${++this.seq}","media":{"track":"inbound","chunk":"${this.chunk}","timestamp":"${this.chunk * 20}","payload":"${payload}"}}`);
    }
    // Like a real caller: speak only once the agent has been silent for a while (no talking over a long prompt).
    const quiet = this.lastFrameAt > 0 && now > this.playEnd + this.r.silenceBeforeSpeechMs;
    if ((this.state === 'greeting' || this.state === 'waiting') && this.heardSomething() && quiet) {
      if (this.state === 'greeting') this.stats.greetingGapMs.push(this.greetingGap);
      this.state = 'think';
      this.stateSince = now;
    } else if (this.state === 'think' && now - this.stateSince >= this.r.thinkMs) {
      // Agent audio that began in the meantime (a reprompt) is talked over: a barge-in the server may rightly count.
      if (this.playEnd > now) this.stats.spokeOverAudio++;
      this.state = 'speaking';
      this.speechFrame = 0;
    }
  }

  /** Sends stop and, like Twilio, lets the server close the socket (frames already on the way still arrive). */
  hangup(): Promise<void> {
    const ws = this.ws;
    this.state = 'done';
    if (!ws || ws.readyState !== WebSocket.OPEN) return Promise.resolve();
    ws.send(JSON.stringify({ event: 'stop', sequenceNumber: String(++this.seq), streamSid: this.streamSid, stop: { accountSid: this.r.accountSid, callSid: this.callSid } }));
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        ws.terminate();
        resolve();
      }, 5000);
      ws.once('close', () => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  /**
   * The fake STT sent this call's speech_final at `at` (this process's performance.now() scale). The news comes over
   * IPC through the parent, which can be slower than the server's reply over loopback: a reply that already arrived
   * after `at` is that turn's reply; otherwise the next one will be.
   */
  speechFinal(at: number): void {
    if (this.unmatchedReplyAt >= at) {
      this.stats.replyAfterFinalMs.push(this.unmatchedReplyAt - at);
      this.unmatchedReplyAt = 0;
      return;
    }
    this.unmatchedReplyAt = 0;
    this.finalSentAt = at;
  }

  private heardSomething(): boolean {
    return this.state === 'greeting' ? this.lastFrameAt > 0 : this.heardReply;
  }

  private onMessage(text: string): void {
    const now = performance.now();
    if (text.startsWith('{"event":"media"')) {
      // payload length in base64 -> bytes -> 20 ms frames (a message may carry several)
      const at = text.indexOf('"payload":"') + 11;
      const b64 = text.indexOf('"', at) - at;
      const frames = Math.max(1, Math.round((b64 * 3) / 4 / FRAME_BYTES));
      this.stats.framesReceived += frames;
      if (this.lastFrameAt === 0) this.stats.greetingMs.push(now - this.startSentAt);
      // Twilio's buffer ran dry before this message: the caller heard a gap (stutter) in the greeting.
      else if (this.state === 'greeting' && now - this.playEnd > this.greetingGap) this.greetingGap = now - this.playEnd;
      if (this.state === 'waiting' && !this.heardReply) {
        this.heardReply = true;
        this.stats.turns++;
        this.stats.replyMs.push(now - this.speechEndAt);
        if (this.finalSentAt > 0) this.stats.replyAfterFinalMs.push(now - this.finalSentAt);
        else this.unmatchedReplyAt = now;
        this.finalSentAt = 0;
      }
      this.lastFrameAt = now;
      // Twilio plays its buffer at real time: each 160-byte frame ends 20 ms after the later of now and the last end.
      this.playEnd = Math.max(this.playEnd, now) + frames * 20;
      return;
    }
    let m: { event?: string; mark?: { name?: string } };
    try {
      m = JSON.parse(text);
    } catch {
      return;
    }
    if (m.event === 'mark') {
      const name = m.mark?.name ?? '';
      const echo = () => {
        if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(`{"event":"mark","streamSid":"${this.streamSid}","sequenceNumber":"${++this.seq}","mark":{"name":${JSON.stringify(name)}}}`);
      };
      const t = setTimeout(() => {
        this.echoes.delete(t);
        echo();
      }, Math.max(0, this.playEnd - now));
      this.echoes.set(t, echo);
    } else if (m.event === 'clear') {
      this.playEnd = now;
      // Like Twilio: the buffer is flushed and every pending mark comes back at once.
      for (const [t, echo] of this.echoes) {
        clearTimeout(t);
        echo();
      }
      this.echoes.clear();
    }
  }
}

/** Routes the fake STT's speech_final moments to the callers of the run in progress. */
let onSpeechFinal: (callSid: string, at: number) => void = () => undefined;

async function run(r: LoadgenRun): Promise<CallerStats> {
  const stats: CallerStats = {
    greetingMs: [], replyMs: [], replyAfterFinalMs: [], turns: 0, failed: 0, serverClosed: [], redials: 0, framesReceived: 0, greetingGapMs: [], spokeOverAudio: 0,
    loopDelayMs: { p50: 0, p99: 0, max: 0 }, errors: [],
  };
  const loop = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  loop.enable();
  const profile = r.profileDir ? await startCpuProfile(r.profileDir, `callers-${process.pid}`) : null;
  const speech: string[] = [];
  const audio = makeSpeech(r.speechMs, 11);
  for (let i = 0; i + FRAME_BYTES <= audio.length; i += FRAME_BYTES) speech.push(audio.subarray(i, i + FRAME_BYTES).toString('base64'));
  const callers: BenchCaller[] = [];
  const bySid = new Map<string, BenchCaller>();
  onSpeechFinal = (sid, at) => {
    const c = bySid.get(sid);
    // The fakes' clock is the wall clock; this process's performance.now() counts from its own start.
    if (c) c.speechFinal(at - performance.timeOrigin);
  };
  const t0 = performance.now();
  let lastTick = t0;
  let carry = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    const frames = (now - lastTick) / 20 + carry;
    const whole = Math.floor(frames);
    carry = frames - whole;
    lastTick = now;
    if (whole > 0) for (const c of callers) c.tick(now, whole);
  }, 20);
  let ending = false;
  const dial = (c: BenchCaller) => {
    bySid.set(c.callSid, c);
    return c.start().catch((err: Error) => {
      stats.failed++;
      stats.errors.push(`${c.callSid}: ${err.message}`);
      c.state = 'done';
    });
  };
  // Redials still connecting when the run ends must finish connecting before hang-up, or their calls stay up.
  const connecting = new Set<Promise<void>>();
  const redial = (old: BenchCaller) => {
    if (ending) return;
    const c = new BenchCaller(r, speech, stats, redial);
    callers[callers.indexOf(old)] = c;
    stats.redials++;
    const p = dial(c).finally(() => connecting.delete(p));
    connecting.add(p);
  };
  const starts: Promise<void>[] = [];
  const part = r.part ?? { index: 0, of: 1 };
  for (let i = part.index; i < r.calls; i += part.of) {
    const c = new BenchCaller(r, speech, stats, redial);
    callers.push(c);
    const delay = r.calls > 1 ? (r.rampUpMs * i) / (r.calls - 1) : 0;
    starts.push(
      new Promise<void>((resolve) => setTimeout(resolve, delay)).then(() => dial(c)),
    );
  }
  await Promise.all(starts);
  const endAt = t0 + r.rampUpMs + r.seconds * 1000;
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, endAt - performance.now())));
  ending = true;
  await Promise.all(connecting);
  clearInterval(ticker);
  await Promise.all(callers.map((c) => c.hangup()));
  await new Promise((resolve) => setTimeout(resolve, 200));
  loop.disable();
  await profile?.();
  stats.loopDelayMs = loopDelay(loop);
  stats.errors = stats.errors.slice(0, 20);
  return stats;
}

process.on('message', (msg: LoadgenRequest) => {
  void (async () => {
    if (msg.type === 'final') onSpeechFinal(msg.callSid, msg.at);
    else if (msg.type === 'run') {
      const cpu0 = process.cpuUsage();
      const stats = await run(msg.run);
      const cpu = process.cpuUsage(cpu0);
      process.send!({ type: 'result', stats, cpuMs: (cpu.user + cpu.system) / 1000 });
    } else if (msg.type === 'exit') process.exit(0);
  })();
});
// Handlers are in place: the parent may talk now.
process.send?.({ type: 'hello' });
