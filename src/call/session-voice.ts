// The outbound half of a Media Streams session built in one place: the playback pacer over Twilio's stream and the
// speaker that fills it (prompt cache, TTS, LLM replies), wired to the session's hooks. Also the silence timing a
// session of any channel uses (the flow's own, else the turn settings').
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { LoadedFlow } from '../flows/core.js';
import { Playback, type PlaybackHooks } from './playback.js';
import { Speaker, type SpeakerHooks } from './speaker.js';
import type { TurnSettings } from './turn-settings.js';
import type { SessionDeps } from './ports.js';

export interface VoiceHooks extends PlaybackHooks, Omit<SpeakerHooks, 'degraded'> {}

export function createVoice(d: SessionDeps, settings: TurnSettings, metrics: Metrics, log: Logger, hooks: VoiceHooks): { playback: Playback; speaker: Speaker } {
  const { firstFrame, sayPlayed, quiet, sounding, text, timing, failure } = hooks;
  const playback = new Playback(
    d.out,
    { firstFrame, sayPlayed, ...(quiet ? { quiet } : {}), ...(sounding ? { sounding } : {}) },
    {
      leadMs: settings.playbackLeadMs, markGraceMs: settings.markGraceMs, chunkFrames: settings.outboundChunkFrames,
      promptLeadMs: settings.promptLeadMs, promptChunkFrames: settings.promptChunkFrames,
    },
  );
  const speaker = new Speaker({
    tts: d.tts, prompts: d.prompts, reply: d.reply, splitter: d.splitter, playback, settings, facts: d.facts,
    hooks: {
      text, timing, failure,
      degraded: (provider, err) => {
        metrics.providerErrors.inc({ provider, kind: 'degraded' });
        log.warn({ provider, err: err.message }, 'provider degraded, fallback used');
      },
    },
  });
  return { playback, speaker };
}

/** The flow's silence timing where it sets one, else the turn settings'. */
export function silenceTiming(flow: LoadedFlow, settings: Pick<TurnSettings, 'silenceRepromptMs' | 'silenceEndMs'>): { silenceRepromptMs: number; silenceEndMs: number } {
  const t = flow.timing();
  return {
    silenceRepromptMs: t.silenceRepromptMs > 0 ? t.silenceRepromptMs : settings.silenceRepromptMs,
    silenceEndMs: t.silenceEndMs > 0 ? t.silenceEndMs : settings.silenceEndMs,
  };
}
