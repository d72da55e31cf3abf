import { describe, expect, it } from 'vitest';
import { SentenceSplitter, splitSentences } from '../../src/speech/sentence-splitter.js';

/** Feeds text as the LLM would, a few characters per token, and records when each sentence came out. */
function stream(text: string, tokenSize = 3) {
  const s = new SentenceSplitter();
  const out: { sentence: string; afterChars: number }[] = [];
  for (let i = 0; i < text.length; i += tokenSize) {
    for (const sentence of s.push(text.slice(i, i + tokenSize))) out.push({ sentence, afterChars: i + tokenSize });
  }
  const rest = s.flush();
  if (rest) out.push({ sentence: rest, afterChars: text.length });
  return out;
}

describe('sentence splitter', () => {
  it('releases the first sentence as soon as the next one begins, before the reply is finished', () => {
    const text = 'Thank you, Ada. I have noted the accident date. Is there anything else?';
    const out = stream(text);
    expect(out.map((o) => o.sentence)).toEqual(['Thank you, Ada.', 'I have noted the accident date.', 'Is there anything else?']);
    expect(out[0]!.afterChars).toBeLessThanOrEqual('Thank you, Ada. I'.length + 2);
  });

  it('does not split after titles, e.g./i.e., initials or inside numbers', () => {
    expect(splitSentences('Mr. Smith and Dr. Jones met Ms. Lee. They settled for $3.5 million, i.e. a record. Then J. R. Tolkien called.')).toEqual([
      'Mr. Smith and Dr. Jones met Ms. Lee.',
      'They settled for $3.5 million, i.e. a record.',
      'Then J. R. Tolkien called.',
    ]);
    expect(splitSentences('Bring documents, e.g. the police report. Call us at 9 a.m. tomorrow.')).toEqual([
      'Bring documents, e.g. the police report.',
      'Call us at 9 a.m. tomorrow.',
    ]);
  });

  it('ends sentences at ! and ? at once, and keeps closing quotes with their sentence', () => {
    expect(stream('Really? Yes! She said "Stop." Then she left.').map((o) => o.sentence)).toEqual([
      'Really?', 'Yes!', 'She said "Stop."', 'Then she left.',
    ]);
  });

  it('waits for the next word before cutting at a period, since "No. 5" or "St. Louis" may follow', () => {
    const s = new SentenceSplitter();
    expect(s.push('We are at Suite No.')).toEqual([]);
    expect(s.push(' 5 on Main St.')).toEqual([]);
    expect(s.push(' Louis office. ')).toEqual([]);
    expect(s.push('Come')).toEqual(['We are at Suite No. 5 on Main St. Louis office.']);
    expect(s.flush()).toBe('Come');
  });

  it('splits Spanish with inverted marks and treats line breaks as boundaries', () => {
    expect(splitSentences('Gracias, Sr. García. ¿Cuándo ocurrió el accidente?\nEstoy aquí para ayudarle')).toEqual([
      'Gracias, Sr. García.', '¿Cuándo ocurrió el accidente?', 'Estoy aquí para ayudarle',
    ]);
  });

  it('cuts a run-on sentence at a comma so speech is not held back', () => {
    const s = new SentenceSplitter({ maxChars: 80 });
    const out = s.push('I understand that this has been a very difficult week for you, and I want to make sure we get everything right');
    expect(out).toHaveLength(1);
    expect(out[0]!.endsWith(',')).toBe(true);
    expect(out[0]!.length).toBeLessThanOrEqual(80);
  });

  it('reset() forgets a cancelled reply', () => {
    const s = new SentenceSplitter();
    s.push('This reply was interrupted');
    s.reset();
    expect(s.push('New reply. ')).toEqual([]);
    expect(s.flush()).toBe('New reply.');
  });
});
