// Opens a call's speech recognition (when the runtime has a provider) with the session's handlers, and does the
// bookkeeping every call shares: reconnects counted and logged, a language switch logged, a failure to open reported
// as the provider failing (the session apologises), never thrown.
import type { Language } from '../flows/commands.js';
import type { Logger } from '../observability/logger.js';
import { Recognition, type RecognitionHandlers } from './recognition.js';
import type { Metrics } from '../observability/metrics.js';
import type { SessionDeps } from './ports.js';
import type { TurnSettings } from './turn-settings.js';

export type ListeningHandlers = Omit<RecognitionHandlers, 'reconnecting' | 'switched'> & { switched(): void };

export function openRecognition(d: Pick<SessionDeps, 'stt' | 'flow' | 'facts'>, ctx: { metrics: Metrics; settings: TurnSettings }, language: Language, log: Logger, h: ListeningHandlers): Recognition | null {
  if (!d.stt) return null;
  const recognition = new Recognition(d.stt, language, { keyterms: d.flow.keyterms(), tag: d.facts.callSid, chunkFrames: ctx.settings.sttChunkFrames, idleChunkFrames: ctx.settings.sttIdleChunkFrames }, {
    ...h,
    reconnecting: (attempt) => {
      ctx.metrics.providerErrors.inc({ provider: 'stt', kind: 'reconnect' });
      log.warn({ attempt }, 'speech recognition reconnecting');
    },
    switched: (from, to) => {
      h.switched();
      log.info({ from, to }, 'speech recognition follows the conversation language');
    },
  });
  try {
    recognition.open();
  } catch (err) {
    // Released here: the session does not hold this recognition yet when it hears of the failure.
    recognition.drop();
    h.failed(err as Error);
  }
  return recognition;
}
