// One firm identity: the facts callers hear (name, time zone, hours and holidays, main number, on-call list, fee,
// address) belong to the firm (the tenant record), and a flow's `firm:` block is only the default for a firm that has
// none. A flow shared by several firms is compiled once; each firm's call gets the same program with that firm's
// facts laid over `firm:` (templates, FAQ answers, business hours, transfers and fee links all read program.firm).
import { Type, type Static } from '@sinclair/typebox';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { DateTime, IANAZone } from 'luxon';
import type { LoadedFlow } from './core.js';
import { CompiledFlow } from './loaded.js';
import { Firm } from './schema.js';

/** What a firm may set. sol_years stays in the flow: it is a rule of the jurisdiction the flow is written for. */
export const FirmFacts = Type.Partial(Type.Omit(Firm, ['sol_years']), { additionalProperties: false });
export type FirmFactsT = Static<typeof FirmFacts>;

/** Facts that say something: an empty string or list means "not set", so the flow's default stays. */
export function presentFacts(facts: FirmFactsT): FirmFactsT {
  return Object.fromEntries(
    Object.entries(facts).filter(([, v]) => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0)),
  ) as FirmFactsT;
}

/** The flow as this firm's callers hear it; the same object when the firm sets nothing the flow does not already say. */
export function withFirmFacts(flow: LoadedFlow, facts: FirmFactsT): LoadedFlow {
  if (!(flow instanceof CompiledFlow)) return flow; // a benchmark or test double: it has no firm facts to overlay
  const set = presentFacts(facts);
  const firm = { ...flow.program.firm, ...set };
  if (JSON.stringify(firm) === JSON.stringify(flow.program.firm)) return flow;
  return new CompiledFlow({ ...flow.program, firm });
}

/** A firm's facts as typed by a person (CLI, admin API): checked and normalised, or the problems, one per field. */
export function checkFirmFacts(input: Record<string, unknown>, region = 'US'): { facts: FirmFactsT; problems: string[] } {
  const problems: string[] = [];
  const facts: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(input)) {
    if (raw === undefined) continue;
    const check = FACT_CHECKS[key];
    if (!check) {
      problems.push(`${key}: not a firm fact (known: ${Object.keys(FACT_CHECKS).join(', ')})`);
      continue;
    }
    const r = check(raw, region);
    if (typeof r === 'object' && r !== null && 'problem' in r) problems.push(`${key}: ${String(r.problem)}`);
    else facts[key] = r;
  }
  return { facts: facts as FirmFactsT, problems };
}

type FactCheck = (raw: unknown, region: string) => unknown;
const problem = (text: string) => ({ problem: text });

const phone: FactCheck = (raw, region) => {
  if (raw === '') return '';
  const p = typeof raw === 'string' ? parsePhoneNumberFromString(raw, region as CountryCode) : undefined;
  return p?.isValid() ? p.number : problem(`"${String(raw)}" is not a phone number (use E.164, e.g. +13125550100)`);
};

const FACT_CHECKS: Record<string, FactCheck> = {
  name: (raw) => (typeof raw === 'string' && raw.trim() ? raw.trim() : problem('must not be empty')),
  timezone: (raw) => (typeof raw === 'string' && IANAZone.isValidZone(raw) ? raw : problem(`unknown IANA time zone "${String(raw)}"`)),
  default_region: (raw) => (typeof raw === 'string' && /^[A-Z]{2}$/.test(raw.toUpperCase()) ? raw.toUpperCase() : problem('a two-letter country code, e.g. US')),
  main_number: phone,
  on_call: (raw, region) => {
    const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',').map((s) => s.trim()).filter(Boolean) : null;
    if (!list) return problem('a list of phone numbers, first tried first');
    const out: string[] = [];
    for (const item of list) {
      const n = phone(item, region);
      if (typeof n !== 'string') return n;
      if (n && !out.includes(n)) out.push(n);
    }
    return out;
  },
  consultation_fee: (raw) => {
    const n = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw.replace(/[$,\s]/g, '')) : NaN;
    return Number.isFinite(n) && n >= 0 ? Math.round(n * 100) / 100 : problem('dollars, 0 for a free consultation');
  },
  address: (raw) => (typeof raw === 'string' ? raw.trim() : problem('the office address as callers should hear it')),
  business_hours: (raw) => {
    const h = typeof raw === 'string' ? parseHours(raw) : raw;
    const o = h as { days?: unknown; open?: unknown; close?: unknown } | null;
    const days = Array.isArray(o?.days) ? o.days : null;
    if (!days || days.length === 0 || !days.every((d) => DAY_NAMES.includes(String(d)))) return problem('like "mon-fri 09:00-17:30" (days mon..sun, 24-hour times)');
    if (typeof o!.open !== 'string' || typeof o!.close !== 'string' || !HHMM.test(o!.open) || !HHMM.test(o!.close)) return problem('times as HH:MM, e.g. 09:00-17:30');
    if (o!.open >= o!.close) return problem(`opens (${o!.open}) after it closes (${o!.close})`);
    return { days, open: o!.open, close: o!.close };
  },
  holidays: (raw) => {
    const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',').map((s) => s.trim()).filter(Boolean) : null;
    if (!list || !list.every((d) => typeof d === 'string' && DateTime.fromISO(d).isValid && /^\d{4}-\d{2}-\d{2}$/.test(d))) return problem('dates as YYYY-MM-DD, comma-separated');
    return [...new Set(list as string[])].sort();
  },
};

const DAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** "mon-fri 09:00-17:30" or "mon,wed,fri 08:30-16:00" -> {days, open, close}; null when it does not read. */
export function parseHours(text: string): { days: string[]; open: string; close: string } | null {
  const m = /^\s*([a-z,\-\s]+?)\s+(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})\s*$/i.exec(text);
  if (!m) return null;
  const days: string[] = [];
  for (const part of m[1]!.toLowerCase().split(',').map((s) => s.trim())) {
    const [a, b] = part.split('-').map((s) => s.trim().slice(0, 3));
    const i = DAY_NAMES.indexOf(a ?? ''), j = b === undefined ? i : DAY_NAMES.indexOf(b);
    if (i < 0 || j < 0 || j < i) return null;
    days.push(...DAY_NAMES.slice(i, j + 1));
  }
  const pad = (t: string) => t.padStart(5, '0');
  return { days: [...new Set(days)], open: pad(m[2]!), close: pad(m[3]!) };
}
