// What the call screen shows for a call's recording (GET /api/calls/{sid} `recording`): a player only for a finished
// recording; otherwise a sentence saying why there is none. Pure, so it is tested without a browser.

export type RecordingStatus = 'in-progress' | 'completed' | 'failed' | 'deleted';
export interface Recording {
  status: RecordingStatus;
  durationSeconds: number | null;
  /** API path of the audio (needs the bearer token), e.g. /api/calls/CA.../recording. */
  mediaPath: string;
}

export type RecordingView = { kind: 'none' } | { kind: 'play'; mediaPath: string; length: string } | { kind: 'note'; text: string };

export function duration(s: number | null): string {
  if (s === null || !Number.isFinite(s) || s < 0) return '';
  const whole = Math.round(s);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

export function recordingView(r: Recording | null | undefined): RecordingView {
  if (!r) return { kind: 'none' };
  switch (r.status) {
    case 'completed': return { kind: 'play', mediaPath: r.mediaPath, length: duration(r.durationSeconds) };
    case 'in-progress': return { kind: 'note', text: 'Recording: the call is still being recorded. The player appears when it ends.' };
    case 'failed': return { kind: 'note', text: 'Twilio could not record this call.' };
    case 'deleted': return { kind: 'note', text: 'The recording was deleted (the firm\'s retention rule or by hand).' };
  }
}
