// The firm-facts form's state and its two translations: from what GET /api/firm answers to what the inputs hold, and
// from the inputs to a PUT /api/firm body. Empty clearable facts are sent as "" or [] so the flow's default applies
// again; the API cannot clear the fee, hours or region (its schema takes only real values), so empty ones are left out.
import type { paths } from '../../api/schema';

export type Facts = paths['/api/firm']['get']['responses']['200']['content']['application/json'];
export type FactsPatch = NonNullable<paths['/api/firm']['put']['requestBody']>['content']['application/json'];
export type Day = NonNullable<Facts['business_hours']>['days'][number];
export const DAYS: readonly { day: Day; text: string }[] = [
  { day: 'mon', text: 'Monday' }, { day: 'tue', text: 'Tuesday' }, { day: 'wed', text: 'Wednesday' }, { day: 'thu', text: 'Thursday' },
  { day: 'fri', text: 'Friday' }, { day: 'sat', text: 'Saturday' }, { day: 'sun', text: 'Sunday' },
];

export interface FirmForm {
  name: string; timezone: string; main_number: string; address: string; consultation_fee: string; default_region: string;
  on_call: string[]; days: Day[]; open: string; close: string; holidays: string[];
}

export function formOf(f: Facts): FirmForm {
  return {
    name: f.name, timezone: f.timezone, main_number: f.main_number ?? '', address: f.address ?? '',
    consultation_fee: f.consultation_fee === null ? '' : String(f.consultation_fee), default_region: f.default_region ?? '',
    on_call: [...f.on_call], days: [...(f.business_hours?.days ?? [])], open: f.business_hours?.open ?? '', close: f.business_hours?.close ?? '',
    holidays: [...f.holidays],
  };
}

export function patchOf(f: FirmForm): FactsPatch {
  const fee = f.consultation_fee.trim();
  const region = f.default_region.trim();
  return {
    name: f.name.trim(), timezone: f.timezone.trim(), main_number: f.main_number.trim(), address: f.address.trim(),
    on_call: f.on_call.map((n) => n.trim()).filter(Boolean), holidays: f.holidays.filter(Boolean),
    ...(fee ? { consultation_fee: Number(fee) } : {}),
    ...(region ? { default_region: region } : {}),
    // Hours are sent only whole: days without both times (or times without days) are the server's to refuse.
    ...(f.days.length || f.open || f.close ? { business_hours: { days: DAYS.map((d) => d.day).filter((d) => f.days.includes(d)), open: f.open, close: f.close } } : {}),
  };
}

/** The form field a problem's path names: "/on_call" (the firm route), "body.on_call[1]" (schema validation). */
export function fieldOf(path: string): string {
  return path.replace(/^body\.?/, '').replace(/^\//, '').split(/[./[]/)[0] || 'form';
}

/** Problems of a 400 answer by field; a problem with no field goes under "form". */
export function problemsOf(err: unknown): Record<string, string> {
  const body = (err ?? {}) as { message?: string; details?: { path: string; message: string }[] };
  const out: Record<string, string> = {};
  for (const d of body.details ?? []) {
    const field = fieldOf(d.path);
    out[field] = out[field] ? `${out[field]}; ${d.message}` : d.message;
  }
  if (!Object.keys(out).length) out.form = body.message ?? 'The facts were not saved.';
  return out;
}

/** A flow default as a person reads it: lists joined, hours as "mon–fri 09:00–17:00", money in dollars. */
export function shownDefault(key: string, v: unknown): string | null {
  if (v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)) return null;
  if (key === 'consultation_fee' && typeof v === 'number') return v === 0 ? 'free' : `$${v}`;
  if (Array.isArray(v)) return v.map(String).join(', ');
  if (typeof v === 'object') {
    const h = v as { days?: unknown; open?: unknown; close?: unknown };
    return Array.isArray(h.days) ? `${h.days.join(', ')} ${String(h.open)}–${String(h.close)}` : JSON.stringify(v);
  }
  return String(v as string | number | boolean);
}
