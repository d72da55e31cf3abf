// Reading rows the same way on both engines: timestamps (PostgreSQL Date, SQLite epoch ms or CURRENT_TIMESTAMP text),
// booleans (SQLite 0/1), numbers (PostgreSQL bigint as text) and JSON text columns.

export function rowDate(v: unknown): Date | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v;
  if (typeof v === 'number') return new Date(v);
  if (typeof v === 'string') {
    if (/^\d+$/.test(v)) return new Date(Number(v));
    const iso = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)?$/.test(v) ? `${v.replace(' ', 'T')}Z` : v;
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? null : d;
  }
  return null;
}

/** A nullable numeric column (PostgreSQL returns bigint and numeric as strings). */
export function rowNumber(v: unknown): number | null {
  return v === null || v === undefined ? null : Number(v);
}

export function rowBool(v: unknown): boolean | null {
  if (v === null || v === undefined) return null;
  return v === true || v === 1 || v === '1' || v === 't' || v === 'true';
}

export function rowJson<T>(v: unknown, fallback: T): T {
  if (v === null || v === undefined) return fallback;
  if (typeof v !== 'string') return v as T;
  try {
    return JSON.parse(v) as T;
  } catch {
    return fallback;
  }
}
