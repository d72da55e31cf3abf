// Numbers that asked not to be texted, by Twilio's keywords: STOP and its synonyms opt out, START and its synonyms opt
// back in (https://help.twilio.com/articles/223134027). Twilio itself blocks a long code's opted-out pairs and answers
// the keyword; we keep our own list so HERMES does not queue a text that Twilio would refuse (error 21610), and
// nothing else (HELP, ordinary replies) changes it.
import type { Knex } from 'knex';

export const OPT_OUT_KEYWORDS = ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT'] as const;
export const OPT_IN_KEYWORDS = ['START', 'YES', 'UNSTOP'] as const;

type Trx = Knex | Knex.Transaction;

/**
 * What an inbound text means for opt-out: Twilio matches the whole message, trimmed and case-insensitive, against
 * its keywords ("stop" and " Stop " opt out; "please stop texting me" does not). Advanced Opt-Out's OptOutType wins.
 */
export function optOutIntent(body: string, optOutType?: string): 'out' | 'in' | null {
  const t = (optOutType ?? '').toUpperCase();
  if (t === 'STOP') return 'out';
  if (t === 'START') return 'in';
  const word = body.trim().replace(/[.!]+$/, '').toUpperCase();
  if ((OPT_OUT_KEYWORDS as readonly string[]).includes(word)) return 'out';
  if ((OPT_IN_KEYWORDS as readonly string[]).includes(word)) return 'in';
  return null;
}

export async function optOut(db: Trx, phone: string, keyword: string, at: Date): Promise<void> {
  await db('sms_opt_outs').insert({ phone, keyword: keyword.slice(0, 16), at }).onConflict('phone').merge({ keyword: keyword.slice(0, 16), at });
}

export async function optIn(db: Trx, phone: string): Promise<void> {
  await db('sms_opt_outs').where({ phone }).delete();
}

export async function isOptedOut(db: Trx, phone: string): Promise<boolean> {
  return (await db('sms_opt_outs').where({ phone }).first('phone')) !== undefined;
}
