// Places signed calls on the ConversationRelay channel of a test harness: the voice webhook (whose TwiML must be
// <Connect><ConversationRelay>), then the fake ConversationRelay connecting with the TwiML's parameters.
import { expect } from 'vitest';
import { FakeRelayCaller, type RelayCallerOptions } from '../fakes/relay-caller.js';
import { AUTH_TOKEN, PUBLIC_URL, type Harness } from './harness.js';

export async function placeRelayCall(
  h: Harness,
  p: { callSid?: string; from?: string; to?: string } & Partial<Omit<RelayCallerOptions, 'serverUrl' | 'publicUrl' | 'authToken'>> = {},
): Promise<FakeRelayCaller> {
  const hook = await h.voiceWebhook(p);
  expect(hook.status).toBe(200);
  expect(hook.twiml).toContain('<ConversationRelay url="wss://hermes.example.com/twilio/relay"');
  const caller = new FakeRelayCaller({
    serverUrl: h.url.replace('http', 'ws'), publicUrl: PUBLIC_URL, authToken: AUTH_TOKEN, params: hook.params, action: '/twilio/after-stream',
    ...p, callSid: p.callSid ?? hook.callSid,
  });
  await caller.connect();
  return caller;
}

/** p50 and p95 of a list of milliseconds (nearest rank). */
export function percentiles(ms: number[]): { p50: number; p95: number; n: number } {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? NaN;
  return { p50: at(0.5), p95: at(0.95), n: s.length };
}
