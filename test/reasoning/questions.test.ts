import { describe, expect, it } from 'vitest';
import type { FaqTopic } from '../../src/reasoning/interpretation.js';
import { detectQuestions, isOnlyQuestion } from '../../src/reasoning/understand/questions.js';

const FAQ: FaqTopic[] = [
  { id: 'hours', examples: { en: ['what time do you open', 'what are your hours'], es: ['a que hora abren'] } },
  { id: 'consultation_fee', examples: { en: ['how much is a consultation', 'how much do you charge'], es: ['cuanto cuesta la consulta'] } },
  { id: 'practice_areas', examples: { en: ['do you handle evictions'], es: ['llevan casos de desalojo'] } },
];

describe('caller questions', () => {
  it('matches a fee question phrased unlike any example by its content words', () => {
    expect(detectQuestions('How much would the consultation cost me?', FAQ, 'en')).toEqual([
      { topic: 'consultation_fee', text: 'How much would the consultation cost me?' },
    ]);
  });

  it('matches hours in Spanish and keeps the practice-area subject as said', () => {
    expect(detectQuestions('¿A qué hora abren mañana?', FAQ, 'es')[0]?.topic).toBe('hours');
    expect(detectQuestions('do you guys do wills', FAQ, 'en')).toEqual([{ topic: 'practice_areas', subject: 'wills', text: 'do you guys do wills' }]);
  });

  it('keeps an unmatched punctuated question as free text, and never turns an answer into a question', () => {
    expect(detectQuestions('Can my sister come to the meeting?', FAQ, 'en')).toEqual([{ topic: null, text: 'Can my sister come to the meeting?' }]);
    expect(detectQuestions('Maria Lopez', FAQ, 'en')).toEqual([]);
    expect(detectQuestions('I was rear-ended on the highway last Friday', FAQ, 'en')).toEqual([]);
    expect(isOnlyQuestion('how much is it')).toBe(true);
    expect(isOnlyQuestion('Maria Lopez')).toBe(false);
  });
});
