// Turn-taking defaults for phone calls, in one place with their reasons. A flow's timing() overrides the silence
// values; everything else is tuned here. Milliseconds everywhere, unit in the name.

export interface TurnSettings {
  /** Caller words (not counting backchannels) heard over HERMES before it stops talking. */
  bargeInMinWords: number;
  /** A final transcript with at least one non-backchannel word interrupts even below bargeInMinWords ("stop"). */
  bargeInOnFinalWord: boolean;
  /** Short acknowledgements that never interrupt and, while HERMES speaks, never reach the conversation. */
  backchannels: readonly string[];
  /** A key press while HERMES speaks an interruptible prompt interrupts it (the caller knows what they want). */
  bargeInOnDtmf: boolean;
  /** Reprompt after this much caller silence once HERMES has finished speaking (flow timing overrides). */
  silenceRepromptMs: number;
  /** End the call politely after this much total silence (flow timing overrides). */
  silenceEndMs: number;
  /** Twilio echoes a mark when the audio before it has played; if it never does, the say ends anyway after this
   * margin past the audio's length (so a lost mark cannot freeze the turn), its sentence not counted as heard. */
  markGraceMs: number;
  /** Audio released ahead of real time into Twilio's buffer. Small, so `clear` leaves little unheard audio queued. */
  playbackLeadMs: number;
  /** A reply the LLM has not started within this time is replaced by the command's fallbackText. */
  generateFirstTokenTimeoutMs: number;
  /** A reply whose first audio has not come (from the stream or REST) within this time counts as a provider failure;
   * the caller then hears the cached apology. */
  ttsFirstByteTimeoutMs: number;
  /** Watchdog on a reply in progress: no next audio chunk for this long (stream and REST raced) abandons the reply and
   * the caller hears the cached apology. Config TTS_STALL_TIMEOUT_MS. */
  ttsStallTimeoutMs: number;
  /** While audio is owed, this much quiet from the stream starts a REST request for the same sentence that races the
   * stream (first to speak keeps the reply), so the socket and REST deadlines run side by side, not one after another. */
  ttsRestHedgeMs: number;
  /** The caller waiting for HERMES (a reply in production and nothing playing) this long abandons that reply and the
   * conversation moves on: the safety net under every provider deadline (LLM first token, TTS), so it is longer than
   * generateFirstTokenTimeoutMs + ttsFirstByteTimeoutMs. */
  callerWaitMaxMs: number;
  /** Inbound audio is forwarded to STT in chunks of this many 20 ms frames. Deepgram takes 20-100 ms chunks; socket
   * writes to it are the largest CPU cost of a call. 5 (100 ms) makes a fifth of the writes of 1 frame for at most
   * 80 ms later recognition, well inside the 300 ms endpointing budget (measured in docs/benchmarks.md). */
  sttChunkFrames: number;
  /** While the caller has been quiet for over a second (they listen to a prompt: most of a call), inbound audio goes
   * to STT in chunks of this many frames instead; their first voiced frame is sent at once with what is held, so
   * speech onset, endpointing and utterance end are not delayed. 12 (240 ms) halves the writes of a listening caller;
   * <= sttChunkFrames turns it off. */
  sttIdleChunkFrames: number;
  /** Outbound frames are sent to Twilio in chunks of this many frames after the first frame of each reply, which goes
   * at once; Twilio buffers and plays any chunk size in order. 3 (60 ms) cuts the writes to a third; 1 sends every
   * frame alone. */
  outboundChunkFrames: number;
  /** Fixed (cached) prompts are sent up to this far ahead of playback: their audio is all there, Twilio buffers it and
   * `clear` flushes it at a barge-in, so a long prompt never runs dry when the server is busy, and costs a wake-up and
   * a message per second instead of one per 60 ms. Marks still prove what was heard. 0 = paced like live audio. */
  promptLeadMs: number;
  /** Frames per media message for audio sent ahead (50 = 1 s, 8 KB of mu-law). */
  promptChunkFrames: number;
  /** Longest wait for the last prompt to finish playing before a transfer or hang-up proceeds anyway. */
  drainBeforeHangupMaxMs: number;
}

export const DEFAULT_TURN_SETTINGS = {
  bargeInMinWords: 2,
  bargeInOnFinalWord: true,
  backchannels: ['mhm', 'mm', 'hmm', 'uh huh', 'uh-huh', 'mm-hmm', 'okay', 'ok', 'right', 'alright', 'i see', 'got it'],
  bargeInOnDtmf: true,
  silenceRepromptMs: 7000,
  silenceEndMs: 20000,
  markGraceMs: 1500,
  playbackLeadMs: 60,
  generateFirstTokenTimeoutMs: 2500,
  ttsFirstByteTimeoutMs: 1500,
  ttsStallTimeoutMs: 1500,
  ttsRestHedgeMs: 600,
  callerWaitMaxMs: 5000,
  drainBeforeHangupMaxMs: 15000,
  sttChunkFrames: 5,
  sttIdleChunkFrames: 12,
  outboundChunkFrames: 3,
  promptLeadMs: 10_000,
  promptChunkFrames: 50,
} as const satisfies TurnSettings;

export function turnSettings(overrides: Partial<TurnSettings> = {}): TurnSettings {
  return { ...DEFAULT_TURN_SETTINGS, ...overrides };
}
