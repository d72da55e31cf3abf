// The settle settings: defaults, parsing, and the rule that keeps live calls safe (settle only after two heartbeats).
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, settingsHelp } from '../../src/config.js';

describe('settle settings', () => {
  it('default to a 15 s heartbeat, 60 s unseen before a call counts as interrupted, and a sweep every 15 s', () => {
    expect(loadConfig({})).toMatchObject({ callHeartbeatMs: 15_000, interruptedAfterMs: 60_000, interruptedSweepMs: 15_000 });
    expect(loadConfig({ CALL_HEARTBEAT_MS: '1000', INTERRUPTED_AFTER_MS: '4000', INTERRUPTED_SWEEP_MS: '500' })).toMatchObject({ callHeartbeatMs: 1000, interruptedAfterMs: 4000, interruptedSweepMs: 500 });
    for (const name of ['CALL_HEARTBEAT_MS', 'INTERRUPTED_AFTER_MS', 'INTERRUPTED_SWEEP_MS']) expect(settingsHelp()).toContain(name);
  });

  it('refuse a settle window shorter than two heartbeats, and values that are not milliseconds', () => {
    expect(() => loadConfig({ CALL_HEARTBEAT_MS: '30000', INTERRUPTED_AFTER_MS: '45000' })).toThrow(/INTERRUPTED_AFTER_MS: must be at least twice CALL_HEARTBEAT_MS/);
    expect(() => loadConfig({ INTERRUPTED_SWEEP_MS: 'soon' })).toThrow(ConfigError);
    expect(() => loadConfig({ CALL_HEARTBEAT_MS: '5' })).toThrow(/CALL_HEARTBEAT_MS: expected milliseconds/);
  });
});
