// Timestamps come back differently per engine: PostgreSQL gives Date, SQLite gives epoch milliseconds for values knex
// bound as Date, and 'YYYY-MM-DD HH:MM:SS' text (UTC) for columns filled by CURRENT_TIMESTAMP defaults.
export function toDate(v: unknown): Date | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v;
  if (typeof v === 'number') return new Date(v);
  if (typeof v === 'string') {
    if (/^\d+$/.test(v)) return new Date(Number(v));
    // SQLite CURRENT_TIMESTAMP is UTC without a zone marker.
    const iso = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)?$/.test(v) ? `${v.replace(' ', 'T')}Z` : v;
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? null : d;
  }
  return null;
}

export function toIso(v: unknown): string | null {
  return toDate(v)?.toISOString() ?? null;
}
