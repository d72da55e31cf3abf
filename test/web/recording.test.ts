// What the call screen shows for a recording: a player only for a finished one, a reason otherwise, nothing when the
// firm does not record.
import { describe, expect, it } from 'vitest';
import { isApiMediaPath } from '../../web/src/media-path.js';
import { duration, recordingView } from '../../web/src/recording.js';

describe('recording view', () => {
  const path = '/api/calls/CA1/recording';
  it('shows nothing when the firm does not record (recording null or absent)', () => {
    expect(recordingView(null)).toEqual({ kind: 'none' });
    expect(recordingView(undefined)).toEqual({ kind: 'none' });
  });
  it('plays a completed recording from its API path, with its length', () => {
    expect(recordingView({ status: 'completed', durationSeconds: 125, mediaPath: path })).toEqual({ kind: 'play', mediaPath: path, length: '2:05' });
    expect(recordingView({ status: 'completed', durationSeconds: null, mediaPath: path })).toMatchObject({ kind: 'play', length: '' });
  });
  it('explains an unfinished, failed or deleted recording instead of a player', () => {
    for (const status of ['in-progress', 'failed', 'deleted'] as const) {
      const v = recordingView({ status, durationSeconds: null, mediaPath: path });
      expect(v.kind, status).toBe('note');
    }
    expect(recordingView({ status: 'deleted', durationSeconds: 3, mediaPath: path })).toMatchObject({ text: expect.stringContaining('deleted') });
  });
  it('writes lengths as m:ss', () => {
    expect(duration(0)).toBe('0:00');
    expect(duration(59.6)).toBe('1:00');
    expect(duration(3601)).toBe('60:01');
    expect(duration(-1)).toBe('');
  });

  it('sends the bearer token only with a same-origin admin API media path', () => {
    expect(isApiMediaPath('/api/calls/CA1/recording')).toBe(true);
    for (const p of ['https://evil.example/api/rec', '//evil.example/api/rec', '/api/../auth/login', '/app/x.wav', 'api/calls/CA1/recording', '/api/calls/CA1/recording?x=1']) {
      expect(isApiMediaPath(p), p).toBe(false);
    }
  });
});
