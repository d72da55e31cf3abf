// Robustness sweep beyond the corpus: short utterances of the kinds real calls bring (ASR lower case without
// punctuation, numbers as words, Spanish, hedges), written for these tests and not taken from any caller script.
import { describe, expect, it } from 'vitest';
import { createOfflineReasoner } from '../../src/reasoning/index.js';
import type { Interpretation } from '../../src/reasoning/interpretation.js';
import { ctxFor, said } from './understand-fixtures.js';

const r = createOfflineReasoner();
const ask = (slot: string, text: string, language: 'en' | 'es' = 'en') => r.understand(said(text), ctxFor(slot, { language }));
const got = (i: Interpretation, slot: string) => i.fills.find((f) => f.slot === slot)?.value;
const kinds = (i: Interpretation) => i.requests.map((q) => q.kind);

const PHONES: [string, string][] = [
  ['three one two five five five zero one four two', '+13125550142'],
  ['312 555 0199', '+13125550199'],
  ['its seven seven three five five five one two one two', '+17735551212'],
  ['my cell is 847-555-0123', '+18475550123'],
  ['you can reach me at six three zero, five five five, oh nine eight seven', '+16305550987'],
  ['area code 708 then 555 4433', '+17085554433'],
  ['double seven three five five five one two three four', '+17735551234'],
  ['two two four five five five six seven eight nine', '+12245556789'],
  ['uh 312 555 0100 thats my work phone', '+13125550100'],
  ['tres uno dos cinco cinco cinco cero uno cuatro dos', '+13125550142'],
  ['mi numero es siete siete tres cinco cinco cinco uno dos tres cuatro', '+17735551234'],
  ['call me back at 872 555 0001', '+18725550001'],
];
const CALLER_ID = ['this number is fine', 'the one im calling from', 'same number', 'use this one', 'whatever shows up on your screen', 'the number you see there', 'el mismo', 'este mismo numero', 'al mismo de donde llamo', 'a este telefono'];
const EMAILS: [string, string][] = [
  ['john dot smith at gmail dot com', 'john.smith@gmail.com'],
  ['jsmith123 at yahoo dot com', 'jsmith123@yahoo.com'],
  ['maria underscore lopez at outlook dot com', 'maria_lopez@outlook.com'],
  ['m a r i a at gmail dot com', 'maria@gmail.com'],
  ['maria punto lopez arroba gmail punto com', 'maria.lopez@gmail.com'],
  ['its dave at comcast dot net', 'dave@comcast.net'],
];
const SKIPS: [string, string][] = [
  ['email', 'skip'], ['email', 'skip that'], ['email', 'pass'], ['email', "i don't have email"], ['email', 'no email'],
  ['email', "i'd rather not give it"], ['email', 'next question'], ['email', 'no tengo correo', ], ['email', 'prefiero no darlo'],
  ['email', 'omitir'], ['opposing_party', 'nobody'], ['opposing_party', 'there isnt one'], ['opposing_party', 'ninguna'],
];
const UNKNOWN: [string, string][] = [
  ['insurance_company', "i don't know"], ['insurance_company', 'no idea'], ['insurance_company', 'not sure'],
  ['insurance_company', "i can't remember"], ['insurance_company', 'no se'], ['insurance_company', 'no me acuerdo'],
];
const YES: string[] = ['yes', 'yeah', 'yep', 'uh huh', 'sure', 'correct', 'that is right', 'si', 'sí claro', 'claro que si', 'of course', 'absolutely', 'i think so'];
const NO: string[] = ['no', 'nope', 'nah', 'not really', 'no he is not', "he's not", 'not at all', 'para nada', 'no señor', 'never', "i don't think so", 'no no no'];
const AREAS: [string, string][] = [
  ['i was in a car accident', 'personal_injury'], ['got rear ended on the highway', 'personal_injury'], ['i slipped at the store', 'personal_injury'],
  ['a dog bit my son', 'personal_injury'], ['tuve un choque', 'personal_injury'], ['me atropellaron', 'personal_injury'],
  ['i want a divorce', 'family'], ['its about custody of my kids', 'family'], ['child support', 'family'], ['quiero divorciarme', 'family'],
  ['my son got a dui', 'criminal'], ['i was charged with theft', 'criminal'], ['there is a warrant for me', 'criminal'],
  ['i need help with my green card', 'immigration'], ['my visa is expiring', 'immigration'], ['asilo', 'immigration'],
  ['my father passed away and there is a will', 'estate'], ['i want to make a will', 'estate'], ['probate', 'estate'], ['testamento', 'estate'],
];

describe('robustness sweep: phone numbers', () => {
  it.each(PHONES)('"%s" -> %s', async (text, want) => {
    expect(got(await ask('callback_phone', text, /tres|siete|numero/.test(text) ? 'es' : 'en'), 'callback_phone')).toBe(want);
  });
  it.each(CALLER_ID)('"%s" is the caller ID', async (text) => {
    expect(kinds(await ask('callback_phone', text, /mismo|este|llamo|telefono/.test(text) ? 'es' : 'en'))).toContain('use_caller_id');
  });
});

describe('robustness sweep: emails', () => {
  it.each(EMAILS)('"%s" -> %s', async (text, want) => {
    expect(got(await ask('email', text, /punto/.test(text) ? 'es' : 'en'), 'email')).toBe(want);
  });
});

describe('robustness sweep: skip and "I don\'t know"', () => {
  it.each(SKIPS)('at %s, "%s" skips', async (slot, text) => {
    expect(kinds(await ask(slot, text, /tengo|prefiero|omitir|ninguna/.test(text) ? 'es' : 'en'))).toContain('skip');
  });
  it.each(UNKNOWN)('at %s, "%s" is "I don\'t know"', async (slot, text) => {
    const i = await ask(slot, text, /no se|acuerdo/.test(text) ? 'es' : 'en');
    expect(kinds(i)).toContain('unknown');
    expect(got(i, slot)).toBeUndefined();
  });
});

describe('robustness sweep: yes and no', () => {
  it.each(YES)('"%s" is yes', async (text) => {
    expect(got(await ask('in_custody', text, /^s[ií]|claro/.test(text) ? 'es' : 'en'), 'in_custody')).toBe(true);
  });
  it.each(NO)('"%s" is no', async (text) => {
    expect(got(await ask('in_custody', text, /para nada|señor/.test(text) ? 'es' : 'en'), 'in_custody')).toBe(false);
  });
});

describe('robustness sweep: practice area at its question', () => {
  it.each(AREAS)('"%s" -> %s', async (text, want) => {
    expect(got(await ask('practice_area', text), 'practice_area')).toBe(want);
  });
});

describe('robustness sweep: recognition without apostrophes', () => {
  it.each([['email', 'i dont have one'], ['opposing_party', 'there isnt anybody'], ['email', 'i dont have an email']])('at %s, "%s" skips', async (slot, text) => {
    expect(kinds(await ask(slot, text))).toContain('skip');
  });
  it('"i dont know" and "im not sure" are unknown', async () => {
    expect(kinds(await ask('insurance_company', 'i dont know'))).toContain('unknown');
    expect(kinds(await ask('insurance_company', 'im not sure'))).toContain('unknown');
  });
});
