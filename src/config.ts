// All settings HERMES reads, in one table: name, default, parser and a one-line doc.
// This is the only module that reads process.env; everything else receives a typed Config.
// `hermes serve --help` prints the same table, so the docs cannot drift from the parser.
import { relative } from 'node:path';
import { packagePath } from './paths.js';

/**
 * The bundled intake flow, from wherever `hermes` runs: `flows/intake.yaml` in the checkout, a relative path to the
 * installed package elsewhere (a bare `flows/intake.yaml` made `hermes chat` fail with ENOENT outside the checkout).
 */
const BUNDLED_FLOW = relative(process.cwd(), packagePath('flows', 'intake.yaml')) || packagePath('flows', 'intake.yaml');

export type SpeechProviderName = 'deepgram' | 'openai-compatible';
/** How a call's speech travels: our own STT/TTS over Media Streams, or Twilio's over ConversationRelay (text). */
export type ChannelName = 'media-streams' | 'conversation-relay' | 'gather';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
export type LogFormat = 'auto' | 'pretty' | 'json';

export interface Config {
  port: number;
  host: string;
  /** https base that Twilio sees (used for signatures and the stream URL); null until set. */
  publicUrl: string | null;
  twilioAccountSid: string | null;
  twilioAuthToken: string | null;
  /** Key of the stream tokens the TwiML hands to each media stream; null derives one from twilioAuthToken. */
  streamTokenSecret: string | null;
  /** Base URL of the Twilio REST API; only tests and proxies change it. */
  twilioApiBaseUrl: string | null;
  /** Number (E.164) or Messaging Service SID that SMS are sent from. */
  twilioSmsFrom: string | null;
  deepgramApiKey: string | null;
  deepgramBaseUrl: string | null;
  deepgramSttModel: string;
  deepgramTtsModel: string;
  /** A reply whose next audio chunk is this late is abandoned; REST (raced in parallel), then the cached apology. */
  ttsStallTimeoutMs: number;
  /** Who recognises and who speaks: Deepgram's cloud, or an OpenAI-compatible audio server (on-premises Whisper/Kokoro). */
  sttProvider: SpeechProviderName;
  ttsProvider: SpeechProviderName;
  /** OpenAI-compatible /v1/audio/transcriptions server (speaches, whisper.cpp, OpenAI), base ending in /v1. */
  openaiSttBaseUrl: string | null;
  openaiSttApiKey: string;
  openaiSttModel: string;
  /** Model per language code, overriding openaiSttModel (e.g. an English-only distil model for en). */
  openaiSttModels: Record<string, string>;
  openaiSttSampleRate: 8000 | 16000;
  openaiSttResponseFormat: 'json' | 'verbose_json';
  openaiSttStream: boolean;
  /** Silence that ends an utterance for the local endpointing, ms. */
  openaiSttEndpointingMs: number;
  /** OpenAI-compatible /v1/audio/speech server (Kokoro-FastAPI, speaches, OpenAI), base ending in /v1. */
  openaiTtsBaseUrl: string | null;
  openaiTtsApiKey: string;
  /** Channel of a number whose phone_numbers row names none (phone_numbers.channel overrides it per number). */
  channel: ChannelName;
  /** ConversationRelay: Twilio's voice provider and recognition provider (passed explicitly: Twilio's defaults changed). */
  relayTtsProvider: string;
  relayTranscriptionProvider: string;
  /** ConversationRelay voice per language code (en, es); empty = the provider's default voice. */
  relayVoices: Record<string, string>;
  /** ConversationRelay sends no end of speech: its length is estimated at this pace (silence timers, last line before `end`). */
  relaySpeechMsPerChar: number;
  openaiTtsModel: string;
  /** Voice per language code; used where a flow names a Deepgram Aura voice. */
  openaiTtsVoices: Record<string, string>;
  openaiTtsFormat: 'pcm' | 'wav';
  openaiApiKey: string | null;
  openaiBaseUrl: string | null;
  openaiModel: string;
  databaseUrl: string;
  logLevel: LogLevel;
  /** auto: pretty on a terminal, JSON lines otherwise. */
  logFormat: LogFormat;
  /** Flow run for numbers that have no mapping yet. */
  defaultFlow: string;
  /** Directory where synthesized prompts are kept between restarts. */
  promptCacheDir: string;
  /** Apply pending migrations when `serve` starts. */
  autoMigrate: boolean;
  /** Deliver outbox rows from inside the server process. */
  inProcessWorker: boolean;
  /** How often each instance marks its live calls as seen (calls.last_seen_at), ms. */
  callHeartbeatMs: number;
  /** A call in progress whose session has not been seen for this long is ended as interrupted, ms. */
  interruptedAfterMs: number;
  /** How often each instance looks for interrupted calls (also once at start), ms. */
  interruptedSweepMs: number;
  /** SIGTERM: how long live calls may go on before the rest are handed to other instances (resume path), ms. */
  drainGraceMs: number;
  /** Secret for signing admin JWTs (HS256); generated per process when absent (tokens then die with the process). */
  jwtSecret: string | null;
  jwtIssuer: string;
  jwtAudience: string;
  /** 32-byte key (hex or base64) that encrypts integration tokens at rest (AES-256-GCM). */
  encryptionKey: string | null;
  clioClientId: string | null;
  clioClientSecret: string | null;
  /** Clio region base, e.g. https://app.clio.com or https://eu.app.clio.com. */
  clioBaseUrl: string;
  lawpaySecretKey: string | null;
  lawpayBaseUrl: string;
  /** Hosted payment page template; {amount}, {reference}, {name} are filled in. */
  lawpayPaymentUrlTemplate: string | null;
  /** Stripe secret key for a server-wide account (one firm per server); firms may connect their own instead. */
  stripeSecretKey: string | null;
  /** Signing secret (whsec_) of the server-wide Stripe webhook endpoint. */
  stripeWebhookSecret: string | null;
  /** Stripe API base; a local fake in tests. */
  stripeApiUrl: string;
  /** Consultation-fee provider for firms that connected neither (a firm's connected Stripe account always wins). */
  paymentProvider: 'lawpay' | 'stripe';
  zapierHookUrl: string | null;
  /** SMTP server staff e-mail goes through: smtp://user:pass@host:587 (STARTTLS when offered) or smtps://...:465. */
  smtpUrl: string | null;
  /** From address of staff e-mail, e.g. "HERMES <hermes@firm.com>". */
  smtpFrom: string | null;
  /** Comma-separated origins allowed by CORS on the admin API; empty means CORS off. */
  corsOrigins: string[];
}

interface Setting<K extends keyof Config> {
  env: string;
  key: K;
  doc: string;
  default: Config[K];
  parse: (raw: string) => Config[K];
}

const text = (raw: string): string => raw.trim();
const optionalText = (raw: string): string | null => (raw.trim() === '' ? null : raw.trim());

function port(raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`expected a port number 0-65535, got "${raw}"`);
  return n;
}

/** A watchdog delay: long enough for a real provider's first byte, short enough that the caller is not left in silence. */
function stallMs(raw: string): number {
  const n = Number(raw.trim());
  if (!Number.isInteger(n) || n < 300 || n > 10_000) throw new Error(`expected milliseconds 300-10000, got "${raw}"`);
  return n;
}

function bool(raw: string): boolean {
  const v = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  throw new Error(`expected true or false, got "${raw}"`);
}

function httpUrl(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    throw new Error(`expected a URL like https://example.com, got "${raw}"`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`expected http:// or https://, got "${u.protocol}"`);
  return u.toString().replace(/\/$/, '');
}

const optionalUrl = (raw: string): string | null => (raw.trim() === '' ? null : httpUrl(raw));

/** Hosts where plain http is accepted for PUBLIC_URL: a developer's own machine, which Twilio cannot reach anyway. */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

function publicUrl(raw: string): string | null {
  if (raw.trim() === '') return null;
  const u = httpUrl(raw);
  const url = new URL(u);
  if (url.search) throw new Error('must not carry a query string');
  // Twilio signs the https URL it calls and opens the media stream as wss:// on the same host; over http the
  // signatures never match and the stream never opens, so a typo here would only show on the first call.
  if (url.protocol !== 'https:' && !LOOPBACK_HOSTS.has(url.hostname)) {
    throw new Error(`must be https:// (Twilio calls webhooks over https and opens the media stream over wss), got "${raw.trim()}"; plain http is accepted only for localhost, for local development`);
  }
  return u;
}

function databaseUrl(raw: string): string {
  const v = raw.trim();
  if (!/^(sqlite|postgres|postgresql):\/\//.test(v)) {
    throw new Error(`expected sqlite://<path> or postgres://user@host/db, got "${v}"`);
  }
  return v;
}

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
function logLevel(raw: string): LogLevel {
  const v = raw.trim().toLowerCase() as LogLevel;
  if (!LOG_LEVELS.includes(v)) throw new Error(`expected one of ${LOG_LEVELS.join(', ')}, got "${raw}"`);
  return v;
}

const LOG_FORMATS: readonly LogFormat[] = ['auto', 'pretty', 'json'];
function logFormat(raw: string): LogFormat {
  const v = raw.trim().toLowerCase() as LogFormat;
  if (!LOG_FORMATS.includes(v)) throw new Error(`expected one of ${LOG_FORMATS.join(', ')}, got "${raw}"`);
  return v;
}

function encryptionKey(raw: string): string | null {
  const v = raw.trim();
  if (v === '') return null;
  const bytes = /^[0-9a-f]{64}$/i.test(v) ? Buffer.from(v, 'hex') : Buffer.from(v, 'base64');
  if (bytes.length !== 32) throw new Error('expected 32 bytes as 64 hex characters or base64');
  return v;
}

function ms(raw: string): number {
  const n = Number(raw.trim());
  if (!Number.isInteger(n) || n < 100 || n > 86_400_000) throw new Error(`expected milliseconds (an integer from 100 to 86400000), got "${raw}"`);
  return n;
}

function smtpUrl(raw: string): string | null {
  const v = raw.trim();
  if (v === '') return null;
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    throw new Error(`expected smtp://user:pass@host:587 or smtps://host:465, got a value that is not a URL`);
  }
  if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:') throw new Error(`expected smtp:// or smtps://, got "${u.protocol}"`);
  return v;
}

function oneOf<T extends string>(...values: T[]): (raw: string) => T {
  return (raw) => {
    const v = raw.trim().toLowerCase() as T;
    if (!values.includes(v)) throw new Error(`expected one of ${values.join(', ')}, got "${raw}"`);
    return v;
  };
}

function msPerChar(raw: string): number {
  const n = Number(raw.trim());
  if (!Number.isInteger(n) || n < 0 || n > 1000) throw new Error(`expected milliseconds per character (an integer from 0 to 1000), got "${raw}"`);
  return n;
}

function sampleRate(raw: string): 8000 | 16000 {
  const n = Number(raw.trim());
  if (n !== 8000 && n !== 16000) throw new Error(`expected 8000 or 16000, got "${raw}"`);
  return n;
}

function endpointingMs(raw: string): number {
  const n = Number(raw.trim());
  if (!Number.isInteger(n) || n < 100 || n > 5000) throw new Error(`expected milliseconds from 100 to 5000, got "${raw}"`);
  return n;
}

/** `en=af_heart,es=ef_dora` -> {en: 'af_heart', es: 'ef_dora'}. */
function perLanguage(raw: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of raw.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^([a-z]{2})\s*=\s*(\S.*)$/i.exec(part);
    if (!m) throw new Error(`expected language=value pairs like en=af_heart,es=ef_dora, got "${part}"`);
    out[m[1]!.toLowerCase()] = m[2]!.trim();
  }
  return out;
}

const list = (raw: string): string[] => raw.split(',').map((s) => s.trim()).filter(Boolean);

// The `satisfies` keeps each row's default and parser typed against its Config key.
export const SETTINGS = [
  { env: 'PORT', key: 'port', doc: 'HTTP port to listen on', default: 3000, parse: port },
  { env: 'HOST', key: 'host', doc: 'Interface to bind', default: '0.0.0.0', parse: text },
  { env: 'PUBLIC_URL', key: 'publicUrl', doc: 'https base URL Twilio uses to reach HERMES (signatures, stream URL); http only for localhost', default: null, parse: publicUrl },
  { env: 'TWILIO_ACCOUNT_SID', key: 'twilioAccountSid', doc: 'Twilio account SID (AC...)', default: null, parse: optionalText },
  { env: 'TWILIO_AUTH_TOKEN', key: 'twilioAuthToken', doc: 'Twilio auth token; signs webhooks and the media WebSocket', default: null, parse: optionalText },
  { env: 'STREAM_TOKEN_SECRET', key: 'streamTokenSecret', doc: 'Key (>= 32 chars) of the per-call media stream tokens; default: derived from TWILIO_AUTH_TOKEN', default: null, parse: optionalText },
  { env: 'TWILIO_API_BASE_URL', key: 'twilioApiBaseUrl', doc: 'Override of https://api.twilio.com (tests, proxies)', default: null, parse: optionalUrl },
  { env: 'TWILIO_SMS_FROM', key: 'twilioSmsFrom', doc: 'E.164 number or MG... Messaging Service SID that SMS come from', default: null, parse: optionalText },
  { env: 'DEEPGRAM_API_KEY', key: 'deepgramApiKey', doc: 'Deepgram key for speech-to-text and Aura text-to-speech', default: null, parse: optionalText },
  { env: 'DEEPGRAM_BASE_URL', key: 'deepgramBaseUrl', doc: 'Deepgram base URL (self-hosted Deepgram, tests)', default: null, parse: optionalUrl },
  { env: 'DEEPGRAM_STT_MODEL', key: 'deepgramSttModel', doc: 'Deepgram live model', default: 'nova-3', parse: text },
  { env: 'DEEPGRAM_TTS_MODEL', key: 'deepgramTtsModel', doc: 'Deepgram Aura voice', default: 'aura-2-thalia-en', parse: text },
  { env: 'TTS_STALL_TIMEOUT_MS', key: 'ttsStallTimeoutMs', doc: 'A reply whose next audio chunk is this late (ms) is abandoned: REST, then the cached apology', default: 1500, parse: stallMs },
  { env: 'STT_PROVIDER', key: 'sttProvider', doc: 'Speech recognition: deepgram or openai-compatible (Whisper server at OPENAI_STT_BASE_URL)', default: 'deepgram', parse: oneOf<SpeechProviderName>('deepgram', 'openai-compatible') },
  { env: 'TTS_PROVIDER', key: 'ttsProvider', doc: 'Synthesized voice: deepgram or openai-compatible (Kokoro/OpenAI server at OPENAI_TTS_BASE_URL)', default: 'deepgram', parse: oneOf<SpeechProviderName>('deepgram', 'openai-compatible') },
  { env: 'OPENAI_STT_BASE_URL', key: 'openaiSttBaseUrl', doc: 'OpenAI-compatible transcription server, base ending in /v1 (e.g. http://whisper:8000/v1)', default: null, parse: optionalUrl },
  { env: 'OPENAI_STT_API_KEY', key: 'openaiSttApiKey', doc: 'Key sent to the transcription server (local servers ignore it)', default: 'local', parse: text },
  { env: 'OPENAI_STT_MODEL', key: 'openaiSttModel', doc: 'Transcription model (whisper-1, Systran/faster-whisper-small, ...)', default: 'whisper-1', parse: text },
  { env: 'OPENAI_STT_MODELS', key: 'openaiSttModels', doc: 'Model per language overriding OPENAI_STT_MODEL, e.g. en=Systran/faster-distil-whisper-small.en', default: {}, parse: perLanguage },
  { env: 'OPENAI_STT_SAMPLE_RATE', key: 'openaiSttSampleRate', doc: 'WAV rate sent: 8000 (phone audio as is; OpenAI, speaches, faster-whisper) or 16000 (whisper.cpp without --convert)', default: 8000, parse: sampleRate },
  { env: 'OPENAI_STT_RESPONSE_FORMAT', key: 'openaiSttResponseFormat', doc: 'verbose_json (gives confidence) or json (gpt-4o models)', default: 'verbose_json', parse: oneOf<'json' | 'verbose_json'>('json', 'verbose_json') },
  { env: 'OPENAI_STT_STREAM', key: 'openaiSttStream', doc: 'Ask for streamed partial text (gpt-4o-transcribe, speaches); whisper-1 cannot', default: false, parse: bool },
  { env: 'OPENAI_STT_ENDPOINTING_MS', key: 'openaiSttEndpointingMs', doc: 'Silence that ends an utterance (local voice activity detection)', default: 500, parse: endpointingMs },
  { env: 'OPENAI_TTS_BASE_URL', key: 'openaiTtsBaseUrl', doc: 'OpenAI-compatible speech server, base ending in /v1 (e.g. http://kokoro:8880/v1)', default: null, parse: optionalUrl },
  { env: 'OPENAI_TTS_API_KEY', key: 'openaiTtsApiKey', doc: 'Key sent to the speech server (local servers ignore it)', default: 'local', parse: text },
  { env: 'CHANNEL', key: 'channel', doc: 'Default call channel: media-streams (our STT/TTS), conversation-relay (Twilio speaks) or gather (one TwiML <Gather> round trip per turn); phone_numbers.channel overrides per number', default: 'media-streams', parse: oneOf<ChannelName>('media-streams', 'conversation-relay', 'gather') },
  { env: 'RELAY_TTS_PROVIDER', key: 'relayTtsProvider', doc: 'ConversationRelay ttsProvider (ElevenLabs, Google, Amazon)', default: 'ElevenLabs', parse: text },
  { env: 'RELAY_TRANSCRIPTION_PROVIDER', key: 'relayTranscriptionProvider', doc: 'ConversationRelay transcriptionProvider (Deepgram, Google)', default: 'Deepgram', parse: text },
  { env: 'RELAY_SPEECH_MS_PER_CHAR', key: 'relaySpeechMsPerChar', doc: "ConversationRelay: estimated ms per character of Twilio's speech (silence timers start, and `end` waits, after it)", default: 75, parse: msPerChar },
  { env: 'RELAY_VOICES', key: 'relayVoices', doc: 'ConversationRelay voice per language, e.g. en=UgBBYS2sOqTuMpoF3BR0,es=...', default: {}, parse: perLanguage },
  { env: 'OPENAI_TTS_MODEL', key: 'openaiTtsModel', doc: 'Speech model (kokoro, tts-1, gpt-4o-mini-tts)', default: 'kokoro', parse: text },
  { env: 'OPENAI_TTS_VOICES', key: 'openaiTtsVoices', doc: 'Voice per language for flows that name Aura voices', default: { en: 'af_heart', es: 'ef_dora' }, parse: perLanguage },
  { env: 'OPENAI_TTS_FORMAT', key: 'openaiTtsFormat', doc: 'Streamed body format: pcm (raw 24 kHz) or wav', default: 'pcm', parse: oneOf<'pcm' | 'wav'>('pcm', 'wav') },
  { env: 'OPENAI_API_KEY', key: 'openaiApiKey', doc: 'Key for the OpenAI-compatible LLM; absent means offline reasoning', default: null, parse: optionalText },
  { env: 'OPENAI_BASE_URL', key: 'openaiBaseUrl', doc: 'OpenAI-compatible base URL (vLLM, Ollama, tests)', default: null, parse: optionalUrl },
  { env: 'OPENAI_MODEL', key: 'openaiModel', doc: 'Chat model name', default: 'gpt-4o-mini', parse: text },
  { env: 'DATABASE_URL', key: 'databaseUrl', doc: 'sqlite://<path> (embedded) or postgres://user@host/db', default: 'sqlite://./data/hermes.sqlite', parse: databaseUrl },
  { env: 'LOG_LEVEL', key: 'logLevel', doc: 'fatal, error, warn, info, debug, trace or silent', default: 'info', parse: logLevel },
  { env: 'LOG_FORMAT', key: 'logFormat', doc: 'auto (pretty on a terminal, JSON lines otherwise), pretty or json', default: 'auto', parse: logFormat },
  { env: 'DEFAULT_FLOW', key: 'defaultFlow', doc: 'Flow file for numbers with no mapping', default: BUNDLED_FLOW, parse: text },
  { env: 'PROMPT_CACHE_DIR', key: 'promptCacheDir', doc: 'Where synthesized fixed prompts are kept on disk', default: './data/prompt-cache', parse: text },
  { env: 'AUTO_MIGRATE', key: 'autoMigrate', doc: 'Apply pending migrations when serve starts', default: true, parse: bool },
  { env: 'IN_PROCESS_WORKER', key: 'inProcessWorker', doc: 'Deliver outbox rows inside the server (false when running `hermes worker`)', default: true, parse: bool },
  { env: 'CALL_HEARTBEAT_MS', key: 'callHeartbeatMs', doc: 'How often each instance marks its live calls as seen (one UPDATE per tick)', default: 15_000, parse: ms },
  { env: 'INTERRUPTED_AFTER_MS', key: 'interruptedAfterMs', doc: 'A call whose session was not seen for this long is ended as interrupted and its intake settled (>= 2 heartbeats)', default: 60_000, parse: ms },
  { env: 'INTERRUPTED_SWEEP_MS', key: 'interruptedSweepMs', doc: 'How often each instance settles interrupted calls (also once at start)', default: 15_000, parse: ms },
  { env: 'DRAIN_GRACE_MS', key: 'drainGraceMs', doc: 'On SIGTERM, live calls get this long to finish before the rest are handed to another instance (resumed there)', default: 20_000, parse: ms },
  { env: 'JWT_SECRET', key: 'jwtSecret', doc: 'Secret (>= 32 chars) that signs admin tokens', default: null, parse: optionalText },
  { env: 'JWT_ISSUER', key: 'jwtIssuer', doc: 'iss claim of admin tokens', default: 'hermes', parse: text },
  { env: 'JWT_AUDIENCE', key: 'jwtAudience', doc: 'aud claim of admin tokens', default: 'hermes-admin', parse: text },
  { env: 'ENCRYPTION_KEY', key: 'encryptionKey', doc: '32-byte key (hex/base64) encrypting integration tokens at rest', default: null, parse: encryptionKey },
  { env: 'CLIO_CLIENT_ID', key: 'clioClientId', doc: 'Clio OAuth client id', default: null, parse: optionalText },
  { env: 'CLIO_CLIENT_SECRET', key: 'clioClientSecret', doc: 'Clio OAuth client secret', default: null, parse: optionalText },
  { env: 'CLIO_BASE_URL', key: 'clioBaseUrl', doc: 'Clio region: app, eu.app, ca.app or au.app .clio.com', default: 'https://app.clio.com', parse: httpUrl },
  { env: 'LAWPAY_SECRET_KEY', key: 'lawpaySecretKey', doc: 'LawPay/AffiniPay secret key', default: null, parse: optionalText },
  { env: 'LAWPAY_BASE_URL', key: 'lawpayBaseUrl', doc: 'AffiniPay gateway base', default: 'https://api.affinipay.com', parse: httpUrl },
  { env: 'LAWPAY_PAYMENT_URL_TEMPLATE', key: 'lawpayPaymentUrlTemplate', doc: 'Hosted payment page URL with {amount} {reference} {name}', default: null, parse: optionalText },
  { env: 'STRIPE_SECRET_KEY', key: 'stripeSecretKey', doc: 'Stripe secret key (sk_ or rk_) of a server-wide account', default: null, parse: optionalText },
  { env: 'STRIPE_WEBHOOK_SECRET', key: 'stripeWebhookSecret', doc: 'Signing secret (whsec_) of /integrations/stripe/webhook', default: null, parse: optionalText },
  { env: 'STRIPE_API_URL', key: 'stripeApiUrl', doc: 'Stripe API base', default: 'https://api.stripe.com', parse: httpUrl },
  { env: 'PAYMENT_PROVIDER', key: 'paymentProvider', doc: 'Consultation-fee links: lawpay or stripe (a firm that connected Stripe uses it)', default: 'lawpay', parse: oneOf<'lawpay' | 'stripe'>('lawpay', 'stripe') },
  { env: 'ZAPIER_HOOK_URL', key: 'zapierHookUrl', doc: 'Zapier catch hook that receives each intake', default: null, parse: optionalUrl },
  { env: 'SMTP_URL', key: 'smtpUrl', doc: 'SMTP server for staff e-mail: smtp://user:pass@host:587 or smtps://host:465', default: null, parse: smtpUrl },
  { env: 'SMTP_FROM', key: 'smtpFrom', doc: 'From address of staff e-mail, e.g. "HERMES <hermes@firm.com>"', default: null, parse: optionalText },
  { env: 'CORS_ORIGINS', key: 'corsOrigins', doc: 'Comma-separated origins for the admin API; empty = CORS off', default: [], parse: list },
] as const satisfies readonly Setting<keyof Config>[];

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
  for (const s of SETTINGS as readonly Setting<keyof Config>[]) {
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
