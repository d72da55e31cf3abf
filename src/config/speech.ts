// Settings of a call's speech: Deepgram, the OpenAI-compatible audio servers, and the channel that carries speech
// (our own STT/TTS over Media Streams, or Twilio's over ConversationRelay).
import { bool, oneOf, optionalText, optionalUrl, type SettingsOf, text } from './setting.js';

export type SpeechProviderName = 'deepgram' | 'openai-compatible';
/** How a call's speech travels: our own STT/TTS over Media Streams, or Twilio's over ConversationRelay (text). */
export type ChannelName = 'media-streams' | 'conversation-relay' | 'gather';

export interface SpeechConfig {
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
}

/** A watchdog delay: long enough for a real provider's first byte, short enough that the caller is not left in silence. */
function stallMs(raw: string): number {
  const n = Number(raw.trim());
  if (!Number.isInteger(n) || n < 300 || n > 10_000) throw new Error(`expected milliseconds 300-10000, got "${raw}"`);
  return n;
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

export const SPEECH_SETTINGS = [
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
] as const satisfies SettingsOf<SpeechConfig>;
