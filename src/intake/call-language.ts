// The language a call was last spoken in, kept on its row: what the caller is texted after the call is in it.
import type { Knex } from 'knex';
import type { Language } from '../primitives.js';

export async function setCallLanguage(db: Knex, callSid: string, language: Language): Promise<void> {
  await db('calls').where({ call_sid: callSid }).update({ language });
}

export async function callLanguage(db: Knex | Knex.Transaction, callSid: string): Promise<Language> {
  const row = (await db('calls').where({ call_sid: callSid }).first('language')) as { language: unknown } | undefined;
  return row?.language === 'es' ? 'es' : 'en';
}
