// What a call leaves behind besides its transcript: the recording, started only once the caller has heard the
// disclosure that says the call may be recorded (the first line of the call, proven played by Twilio's mark), and the
// language the caller was last spoken to in (their text after the call is written in it). A failure here is logged
// and never reaches the caller: the conversation goes on unrecorded.
import type { Language } from '../primitives.js';
import type { Logger } from '../observability/logger.js';

/** The call-side port services.ts supplies (Twilio REST and the calls table). */
export interface CallRecordkeeping {
  /** Starts Twilio's dual-channel recording of a live call. */
  startRecording(callSid: string, tenantId: number | null): Promise<void>;
  /** The conversation now speaks `language` (stored on the call row). */
  spokeIn(callSid: string, language: Language): Promise<void>;
}

export class RecordingHook {
  /** The call's first line: the disclosure (the greeting of every bundled flow). */
  private disclosure: { id: string; text: string | null } | null = null;
  private started = false;
  private language: Language | null = null;

  constructor(
    private readonly port: CallRecordkeeping | null | undefined,
    private readonly call: { callSid: string; tenantId: number | null; log: Logger },
    /** The firm records its calls (and the disclosure said so). False for a call resumed after a transfer: its recording already runs. */
    private readonly record: boolean,
  ) {}

  /** A line is about to be spoken, in `language` (`text` null for a line the model writes). */
  said(sayId: string, text: string | null, language: Language): void {
    this.disclosure ??= { id: sayId, text };
    if (language === this.language || !this.port) return;
    this.language = language;
    this.port.spokeIn(this.call.callSid, language).catch((err: Error) => this.call.log.warn({ err: err.message }, 'call language not stored'));
  }

  /** A line finished playing; `heard` is what Twilio's marks prove the caller heard of it. */
  played(sayId: string, heard: string): void {
    const d = this.disclosure;
    if (!this.record || this.started || !this.port || !d || sayId !== d.id || d.text === null) return;
    // Every sentence of it, not only its start: a disclosure cut short (the caller hung up) starts nothing.
    if (squash(heard) !== squash(d.text) || !squash(heard)) return;
    this.started = true;
    this.port
      .startRecording(this.call.callSid, this.call.tenantId)
      .then(() => this.call.log.info('recording started after the disclosure'))
      .catch((err: Error) => this.call.log.error({ err: err.message }, 'recording not started'));
  }
}

const squash = (s: string) => s.replace(/\s+/g, '');
