// The shape of one row of the settings table, and the parsers more than one area uses. Each area file
// (server.ts, telephony.ts, ...) holds its own rows; src/config.ts composes them into the one table.
// Nothing here reads process.env: only loadConfig in src/config.ts does.

/** One setting: its environment variable, the Config key it fills, a one-line doc, the default and the parser. */
export interface Setting<C, K extends keyof C = keyof C> {
  env: string;
  key: K;
  doc: string;
  default: C[K];
  parse: (raw: string) => C[K];
}

/** An area's rows, each typed against its own key (used with `satisfies`, so a default or parser of the wrong type fails). */
export type SettingsOf<C> = readonly { [K in keyof C]-?: Setting<C, K> }[keyof C][];

export const text = (raw: string): string => raw.trim();
export const optionalText = (raw: string): string | null => (raw.trim() === '' ? null : raw.trim());

export function bool(raw: string): boolean {
  const v = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  throw new Error(`expected true or false, got "${raw}"`);
}

export function httpUrl(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    throw new Error(`expected a URL like https://example.com, got "${raw}"`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`expected http:// or https://, got "${u.protocol}"`);
  return u.toString().replace(/\/$/, '');
}

export const optionalUrl = (raw: string): string | null => (raw.trim() === '' ? null : httpUrl(raw));

export function oneOf<T extends string>(...values: T[]): (raw: string) => T {
  return (raw) => {
    const v = raw.trim().toLowerCase() as T;
    if (!values.includes(v)) throw new Error(`expected one of ${values.join(', ')}, got "${raw}"`);
    return v;
  };
}
