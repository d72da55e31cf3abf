import { describe, expect, it } from 'vitest';
import { createOfflineReasoner } from '../../src/reasoning/index.js';
import { detectLanguage } from '../../src/reasoning/understand/language.js';
import { ctxFor, said } from './understand-fixtures.js';

const r = createOfflineReasoner();

describe('offline understand: corrections of held values', () => {
  it('a spelled last name changes the last name only', async () => {
    const c = ctxFor('email', { slots: { caller_name: 'Ann Kowalsky' } });
    const i = await r.understand(said('my last name is spelled K O W A L S K I'), c);
    expect(i.corrections).toMatchObject([{ slot: 'caller_name', value: 'Ann Kowalski', part: 'last' }]);
    expect(i.fills.some((f) => f.slot === 'caller_name')).toBe(false);
  });
  it('"no, my name is Ann" corrects the name and is not the answer to the question asked', async () => {
    const c = ctxFor('description', { slots: { caller_name: 'Dan Lee' } });
    const i = await r.understand(said('no, my name is Ann Lee'), c);
    expect(i.corrections).toMatchObject([{ slot: 'caller_name', value: 'Ann Lee' }]);
    expect(i.fills.some((f) => f.slot === 'description')).toBe(false);
  });
  it('"actually it was the 28th" keeps the month held', async () => {
    const c = ctxFor('description', { slots: { incident_date: '2026-10-29' } });
    const i = await r.understand(said('actually it was the 28th'), c);
    expect(i.corrections).toMatchObject([{ slot: 'incident_date', value: '2026-10-28' }]);
  });
  it('a read-back answered with a partial spelling keeps the first name', async () => {
    const c = ctxFor('caller_name', { asked: { slot: 'caller_name', purpose: 'confirm', pendingValue: 'Ann Kowalsky' } });
    const i = await r.understand(said('no, my last name is K O W A L S K I'), c);
    expect(i.affirm).toBe(false);
    expect(i.fills).toMatchObject([{ slot: 'caller_name', value: 'Ann Kowalski', confirm: true }]);
  });
  it('finds no correction where nothing was held or nothing changed', async () => {
    expect((await r.understand(said('no, my name is Ann Lee'), ctxFor('description'))).corrections).toEqual([]);
    expect((await r.understand(said('no, my name is Ann Lee'), ctxFor('description', { slots: { caller_name: 'Ann Lee' } }))).corrections).toEqual([]);
    expect((await r.understand(said('no, he was not hurt'), ctxFor('description', { slots: { incident_date: '2026-10-29' } }))).corrections).toEqual([]);
  });
});

describe('language of an utterance', () => {
  it('is reported when function words and trigrams agree, and not for a bare name', () => {
    expect(detectLanguage('necesito ayuda con un divorcio')).toBe('es');
    expect(detectLanguage('mi hijo fue arrestado anoche')).toBe('es');
    expect(detectLanguage('sí')).toBe('es');
    expect(detectLanguage('my son was arrested last night')).toBe('en');
    expect(detectLanguage('yes')).toBe('en');
    expect(detectLanguage('Ana Torres')).toBeUndefined();
    expect(detectLanguage('three one two five five five')).toBeUndefined();
  });
});
