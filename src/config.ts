// All settings HERMES reads, in one table: name, default, parser and a one-line doc. Each area keeps its rows in
// src/config/<area>.ts; this module composes them, in the order `hermes serve --help` prints them.
// This is the only module that reads process.env; everything else receives a typed Config.
// `hermes serve --help` prints the same table, so the docs cannot drift from the parser.
import { ADMIN_API_SETTINGS, type AdminApiConfig } from './config/admin-api.js';
import { AUTH_SETTINGS, type AuthConfig } from './config/auth.js';
import { INTEGRATIONS_SETTINGS, type IntegrationsConfig } from './config/integrations.js';
import { REASONING_SETTINGS, type ReasoningConfig } from './config/reasoning.js';
import { RUNTIME_SETTINGS, type RuntimeConfig } from './config/runtime.js';
import { SERVER_SETTINGS, type ServerConfig } from './config/server.js';
import type { Setting } from './config/setting.js';
import { SPEECH_SETTINGS, type SpeechConfig } from './config/speech.js';
import { TELEPHONY_SETTINGS, type TelephonyConfig } from './config/telephony.js';

export type { ChannelName, SpeechProviderName } from './config/speech.js';
export type { LogFormat, LogLevel } from './config/runtime.js';

export interface Config
  extends ServerConfig, TelephonyConfig, SpeechConfig, ReasoningConfig, RuntimeConfig, AuthConfig, IntegrationsConfig, AdminApiConfig {}

export const SETTINGS = [
  ...SERVER_SETTINGS,
  ...TELEPHONY_SETTINGS,
  ...SPEECH_SETTINGS,
  ...REASONING_SETTINGS,
  ...RUNTIME_SETTINGS,
  ...AUTH_SETTINGS,
  ...INTEGRATIONS_SETTINGS,
  ...ADMIN_API_SETTINGS,
] as const;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads every setting, collecting all problems before failing so that an operator fixes them in one go.
 * `overrides` (already typed values) win over the environment: the CLI and tests use them.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const problems: string[] = [];
  const out: Record<string, unknown> = {};
  for (const s of SETTINGS as readonly Setting<Config>[]) {
    const raw = env[s.env];
    if (s.key in overrides) {
      out[s.key] = overrides[s.key];
    } else if (raw === undefined || raw === '') {
      out[s.key] = s.default;
    } else {
      try {
        out[s.key] = s.parse(raw);
      } catch (err) {
        problems.push(`${s.env}: ${(err as Error).message}`);
      }
    }
  }
  const cfg = out as unknown as Config;
  if (problems.length === 0) {
    if (cfg.jwtSecret !== null && cfg.jwtSecret.length < 32) problems.push('JWT_SECRET: must be at least 32 characters');
    if (cfg.streamTokenSecret !== null && cfg.streamTokenSecret.length < 32) problems.push('STREAM_TOKEN_SECRET: must be at least 32 characters');
    if (cfg.interruptedAfterMs < 2 * cfg.callHeartbeatMs) {
      problems.push('INTERRUPTED_AFTER_MS: must be at least twice CALL_HEARTBEAT_MS, or live calls would be ended as interrupted');
    }
    if (cfg.sttProvider === 'openai-compatible' && cfg.openaiSttBaseUrl === null) {
      problems.push('OPENAI_STT_BASE_URL: required with STT_PROVIDER=openai-compatible');
    }
    if (cfg.ttsProvider === 'openai-compatible' && cfg.openaiTtsBaseUrl === null) {
      problems.push('OPENAI_TTS_BASE_URL: required with TTS_PROVIDER=openai-compatible');
    }
    if (cfg.twilioAuthToken !== null && cfg.publicUrl === null) {
      problems.push('PUBLIC_URL: required with TWILIO_AUTH_TOKEN, because signatures are checked against the public URL');
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return cfg;
}

/** What a call will lack with this configuration; logged at start so an operator knows before the first call. */
export function configWarnings(cfg: Config): string[] {
  const w: string[] = [];
  if (!cfg.twilioAuthToken) w.push('TWILIO_AUTH_TOKEN is not set: every Twilio webhook and media stream will be refused (403)');
  const usesDeepgram = cfg.sttProvider === 'deepgram' || cfg.ttsProvider === 'deepgram';
  if (!cfg.deepgramApiKey && usesDeepgram) {
    const lacks = cfg.sttProvider === cfg.ttsProvider ? 'speech recognition or synthesized voice' : cfg.sttProvider === 'deepgram' ? 'speech recognition' : 'synthesized voice';
    // With ConversationRelay as the default channel Twilio speaks; only numbers set to media-streams need Deepgram.
    const which = cfg.channel === 'conversation-relay' ? 'Media Streams calls (numbers whose channel is media-streams)' : 'calls';
    w.push(`DEEPGRAM_API_KEY is not set: ${which} will have no ${lacks}; callers hear an apology and the fallback`);
  }
  if (!cfg.openaiApiKey) w.push('OPENAI_API_KEY is not set: reasoning runs offline (deterministic extractors and rules)');
  if (!cfg.jwtSecret) w.push('JWT_SECRET is not set: admin tokens are signed with a per-process key and die on restart');
  if (!cfg.encryptionKey) w.push('ENCRYPTION_KEY is not set: integrations (Clio tokens) cannot be connected');
  return w;
}

/** Help text for `hermes serve --help`, generated from the same table as the parser. */
export function settingsHelp(): string {
  const width = Math.max(...SETTINGS.map((s) => s.env.length));
  return SETTINGS.map((s) => {
    const def = Array.isArray(s.default)
      ? s.default.join(',')
      : s.default !== null && typeof s.default === 'object'
        ? Object.entries(s.default).map(([k, v]) => `${k}=${v}`).join(',')
        : s.default;
    return `  ${s.env.padEnd(width)}  ${s.doc}${def === null || def === '' ? '' : ` (default: ${String(def)})`}`;
  }).join('\n');
}
