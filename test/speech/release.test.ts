import { describe, expect, it } from 'vitest';
import { startFakeDeepgram } from '../../src/bench/fakes/deepgram-server.js';
import { createDeepgramStt } from '../../src/speech/deepgram-stt.js';
import { createDeepgramTts } from '../../src/speech/deepgram-tts.js';
import { silentLogger } from '../../src/observability/logger.js';
import { makeSilence, makeSpeech } from '../../src/audio/tones.js';
import { play, waitFor } from './helpers.js';

const handles = () => process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap' && r !== 'PipeWrap');

describe('provider resources', () => {
  it('100 calls worth of STT and TTS streams, used and closed, leave no socket or timer behind', async () => {
    const fake = await startFakeDeepgram({ script: () => 'yes' });
    try {
      const stt = createDeepgramStt({ apiKey: fake.apiKey, baseUrl: fake.url, model: 'nova-3', log: silentLogger() });
      const tts = createDeepgramTts({ apiKey: fake.apiKey, baseUrl: fake.url, log: silentLogger() });
      // Warm the SDK's lazy imports and the fetch agent once, so the baseline includes what stays for the process.
      const warm = stt.open({ keyterms: [], language: 'en' });
      await fake.waitForListens(1);
      await warm.close();
      await tts.synthesize('warm', 'aura-2-thalia-en');
      await new Promise((r) => setTimeout(r, 50));
      const baseline = handles().length;

      const calls = Array.from({ length: 100 }, (_, i) => {
        const s = stt.open({ keyterms: ['Clio'], language: 'en', tag: `CA${i}` });
        const t = tts.stream('aura-2-thalia-en');
        let finals = 0;
        let flushed = 0;
        s.on('transcript', (x) => x.speechFinal && finals++);
        t.on('flushed', () => flushed++);
        return { s, t, finals: () => finals, flushed: () => flushed };
      });
      const audio = Buffer.concat([makeSpeech(300), makeSilence(400)]);
      await Promise.all(calls.map(async (c) => {
        await play(c.s, audio, 20);
        c.t.speak('Okay.');
        c.t.flush();
      }));
      await waitFor(() => calls.every((c) => c.finals() === 1 && c.flushed() === 1), 15_000, 'every call heard and spoke');
      expect(fake.openListens()).toBe(100);
      expect(fake.speak.wsOpen).toBe(100);

      await Promise.all(calls.map((c) => Promise.all([c.s.close(), c.t.close()])));
      await waitFor(() => fake.openListens() === 0 && fake.speak.wsOpen === 0, 5000, 'fake sees every socket closed');
      await waitFor(() => handles().length <= baseline, 3000, `handles back to ${baseline} (now ${handles().join(',')})`);
    } finally {
      await fake.close();
    }
  });
});
