// Words and dates as staff read them: every time in the firm's time zone (not the browser's), labels for codes.

let zone = 'America/New_York';
export const setFirmTimeZone = (tz: string) => { zone = tz; };
export const firmTimeZone = () => zone;

export function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat('en-US', { timeZone: zone, month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'short' }).format(new Date(iso));
}

/** Time of day only (a transcript's turns are minutes apart on one date), in the firm's zone. */
export function clock(iso: string | null | undefined): string {
  if (!iso) return '';
  return new Intl.DateTimeFormat('en-US', { timeZone: zone, hour: 'numeric', minute: '2-digit', second: '2-digit' }).format(new Date(iso));
}

const LABELS: Record<string, string> = {
  new: 'New', called_back: 'Called back', consultation_booked: 'Consultation booked', declined: 'Declined', not_a_fit: 'Not a fit',
  personal_injury: 'Personal injury', family: 'Family', criminal: 'Criminal', immigration: 'Immigration', estate: 'Estate',
  'in-progress': 'On the call now', completed: 'Completed', message: 'Message', transferred: 'Transferred',
};
export const label = (code: string | null | undefined) => (code ? (LABELS[code] ?? code.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase())) : '—');

/** +13125550188 -> (312) 555-0188 for North American numbers; anything else as stored. */
export function phone(n: string | null | undefined): string {
  if (!n) return '—';
  const m = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(n);
  return m ? `(${m[1]}) ${m[2]}-${m[3]}` : n;
}
