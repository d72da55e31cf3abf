import { describe, expect, it } from 'vitest';
import { ConfigError, configWarnings, loadConfig, SETTINGS, settingsHelp } from '../src/config.js';

describe('config', () => {
  it('uses the documented defaults on an empty environment', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.host).toBe('0.0.0.0');
    expect(c.databaseUrl).toBe('sqlite://./data/hermes.sqlite');
    expect(c.deepgramApiKey).toBeNull();
  });

  it('reads the channel settings: CHANNEL, the ConversationRelay providers, voices and speech pace', () => {
    const d = loadConfig({});
    expect([d.channel, d.relayTtsProvider, d.relayTranscriptionProvider, d.relayVoices, d.relaySpeechMsPerChar]).toEqual(['media-streams', 'ElevenLabs', 'Deepgram', {}, 75]);
    const c = loadConfig({ CHANNEL: 'conversation-relay', RELAY_TTS_PROVIDER: 'Google', RELAY_VOICES: 'en=en-US-Journey-O,es=es-US-Neural2-A', RELAY_SPEECH_MS_PER_CHAR: '60' });
    expect([c.channel, c.relayTtsProvider, c.relayVoices, c.relaySpeechMsPerChar]).toEqual(['conversation-relay', 'Google', { en: 'en-US-Journey-O', es: 'es-US-Neural2-A' }, 60]);
    expect(loadConfig({ CHANNEL: 'gather' }).channel).toBe('gather');
    expect(() => loadConfig({ CHANNEL: 'sip' })).toThrow(/CHANNEL/);
    expect(() => loadConfig({ RELAY_SPEECH_MS_PER_CHAR: '-1' })).toThrow(/RELAY_SPEECH_MS_PER_CHAR/);
    // Without Deepgram, a relay-first server warns only about its Media Streams numbers.
    expect(configWarnings(c).join('\n')).toMatch(/DEEPGRAM_API_KEY is not set: Media Streams calls \(numbers whose channel is media-streams\)/);
  });

  it('reports every problem at once, each by its variable name', () => {
    try {
      loadConfig({ PORT: 'abc', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud', PUBLIC_URL: 'ftp://x' });
      expect.fail('should throw');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const problems = (err as ConfigError).problems.join('\n');
      for (const name of ['PORT', 'DATABASE_URL', 'LOG_LEVEL', 'PUBLIC_URL']) expect(problems).toContain(name);
    }
  });

  it('requires an https PUBLIC_URL, except on localhost for development', () => {
    expect(() => loadConfig({ PUBLIC_URL: 'http://hermes.example.com' })).toThrow(/PUBLIC_URL: must be https:\/\/ .*got "http:\/\/hermes\.example\.com"/);
    expect(loadConfig({ PUBLIC_URL: 'https://hermes.example.com/' }).publicUrl).toBe('https://hermes.example.com');
    for (const dev of ['http://localhost:3000', 'http://127.0.0.1:3000', 'http://[::1]:3000']) expect(loadConfig({ PUBLIC_URL: dev }).publicUrl).toBe(dev);
    expect(() => loadConfig({ PUBLIC_URL: 'http://localhost.evil.example' })).toThrow(/must be https/);
  });

  it('requires PUBLIC_URL when Twilio signatures are checked', () => {
    expect(() => loadConfig({ TWILIO_AUTH_TOKEN: 'x' })).toThrow(/PUBLIC_URL/);
  });

  it('says what a call will lack without a Deepgram key', () => {
    expect(configWarnings(loadConfig({})).join('\n')).toMatch(/DEEPGRAM_API_KEY.*speech/);
  });

  it('documents every setting in the help text', () => {
    expect(settingsHelp()).toContain('DEEPGRAM_BASE_URL');
    expect(settingsHelp()).toContain('DATABASE_URL');
  });
});

describe('config areas', () => {
  it('compose one table where every setting has its own variable and its own key', () => {
    expect(new Set(SETTINGS.map((s) => s.env)).size).toBe(SETTINGS.length);
    expect(new Set(SETTINGS.map((s) => s.key)).size).toBe(SETTINGS.length);
    expect(Object.keys(loadConfig({})).sort()).toEqual(SETTINGS.map((s) => s.key).sort());
  });
});
