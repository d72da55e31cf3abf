// The benchmark's fake providers in a process of their own (forked by run.ts): the fake Deepgram (fixed provider
// delays, the intake answers per call) and, for on-premises speech, the fake OpenAI-compatible audio server. They
// used to share the load generator's process, where 1,000 callers' 20 ms ticks starved their accept loop (Deepgram
// connect timeouts counted against the server). Each speech_final is reported to the parent with its wall-clock time,
// so that the callers (other processes) can time the reply from it. Never imported: fork() runs this file.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startFakeDeepgram, type FakeDeepgram } from './fakes/deepgram-server.js';
import { startFakeOpenAIAudio, type FakeAudioServer, type TranscriptionRequest } from './fakes/openai-audio-server.js';
import { startCpuProfile } from './profile.js';
import { LOOP_RESOLUTION_MS, loopDelay } from './stats.js';

/** What callers say: `minimal` talks to the benchmark's minimal core; `intake` answers the bundled intake flow. */
export type CallerScript = 'minimal' | 'intake';

export type FakesRequest =
  | { type: 'configure'; sttDelayMs: number; ttsDelayMs: number; ttsMsPerChar: number; script: CallerScript; openaiAudio?: boolean }
  | { type: 'begin'; profileDir?: string }
  | { type: 'stats' }
  | { type: 'exit' };

export type FakesReply =
  | { type: 'hello' }
  | { type: 'ready'; deepgramUrl: string; apiKey: string; openaiAudioUrl: string | null }
  /** A speech_final left for the server: the call, and when (ms since the epoch, sub-millisecond: comparable across processes). */
  | { type: 'final'; callSid: string; at: number }
  | { type: 'stats'; cpuMs: number; openListens: number; speakOpen: number; loopDelayMs: { p50: number; p99: number; max: number } };

/** Wall-clock time with performance.now()'s resolution, on the same scale in every process of the machine. */
export const wallNow = (): number => performance.timeOrigin + performance.now();

/**
 * A new personal-injury caller's answers to the bundled intake flow (flows/intake.yaml, office hours or not), in the
 * order it asks them in the benchmark: the opening statement ("How can I help you today?", which also places the
 * practice area), name, emergency (no), existing client (no), opposing party; the
 * benchmark's calls belong to no firm, so the Clio conflict check is unavailable and the flow takes a message: phone
 * number, "yes" to its read-back, message taken, goodbye. The fake Deepgram walks the list per call (its `tag` is the
 * CallSid), so every call gives the same sensible answers; past the end the caller just says "okay".
 */
const INTAKE_ANSWERS = [
  'I was in a car accident', 'Hi, my name is Maria Lopez', 'no', 'no', 'Acme Trucking', '312 555 1234', 'yes',
];
const intakeAnswer = ({ utteranceIndex }: { utteranceIndex: number }): string => INTAKE_ANSWERS[utteranceIndex] ?? 'okay';

/** Utterances transcribed per call (the upload is named <CallSid>-<n>.wav), to walk the intake answers per call. */
const utterancesByCall = new Map<string, number>();
const openaiAnswer = (script: CallerScript) => (req: TranscriptionRequest): string => {
  if (script !== 'intake') return 'I was in a car accident last week';
  const call = req.fileName.replace(/-\d+\.wav$/, '');
  const n = utterancesByCall.get(call) ?? 0;
  utterancesByCall.set(call, n + 1);
  return intakeAnswer({ utteranceIndex: n });
};

let deepgram: FakeDeepgram | null = null;
let openaiAudio: FakeAudioServer | null = null;
const loop = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
let cpu0 = process.cpuUsage();
let profile: (() => Promise<string>) | null = null;
const send = (m: FakesReply) => process.send?.(m);

process.on('message', (msg: FakesRequest) => {
  void (async () => {
    if (msg.type === 'configure') {
      deepgram = await startFakeDeepgram({
        script: msg.script === 'intake' ? intakeAnswer : () => 'I was in a car accident last week',
        listen: { resultDelayMs: msg.sttDelayMs, idleTimeoutMs: 600_000 },
        speak: { firstByteDelayMs: msg.ttsDelayMs, msPerChar: msg.ttsMsPerChar },
        onSpeechFinal: (callSid) => send({ type: 'final', callSid, at: wallNow() }),
      });
      if (msg.openaiAudio) {
        // The same delays as the fake Deepgram's, so the two paths can be compared turn for turn.
        openaiAudio = await startFakeOpenAIAudio({
          transcripts: openaiAnswer(msg.script), transcribeDelayMs: msg.sttDelayMs,
          speechFirstByteMs: msg.ttsDelayMs, speechMsPerChar: msg.ttsMsPerChar,
        });
      }
      send({ type: 'ready', deepgramUrl: deepgram.url, apiKey: deepgram.apiKey, openaiAudioUrl: openaiAudio?.url ?? null });
    } else if (msg.type === 'begin') {
      if (msg.profileDir) profile = await startCpuProfile(msg.profileDir, `fakes-${process.pid}`);
      loop.reset();
      loop.enable();
      cpu0 = process.cpuUsage();
    } else if (msg.type === 'stats') {
      loop.disable();
      await profile?.();
      profile = null;
      const cpu = process.cpuUsage(cpu0);
      send({ type: 'stats', cpuMs: (cpu.user + cpu.system) / 1000, openListens: deepgram?.openListens() ?? 0, speakOpen: deepgram?.speak.wsOpen ?? 0, loopDelayMs: loopDelay(loop) });
    } else if (msg.type === 'exit') {
      await deepgram?.close();
      await openaiAudio?.close();
      process.exit(0);
    }
  })();
});
// Handlers are in place: the parent may talk now (a message sent earlier could be lost).
send({ type: 'hello' });
