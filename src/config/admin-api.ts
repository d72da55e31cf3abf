// Settings of the admin API as seen from a browser on another origin.
import type { SettingsOf } from './setting.js';

export interface AdminApiConfig {
  /** Comma-separated origins allowed by CORS on the admin API; empty means CORS off. */
  corsOrigins: string[];
}

const list = (raw: string): string[] => raw.split(',').map((s) => s.trim()).filter(Boolean);

export const ADMIN_API_SETTINGS = [
  { env: 'CORS_ORIGINS', key: 'corsOrigins', doc: 'Comma-separated origins for the admin API; empty = CORS off', default: [], parse: list },
] as const satisfies SettingsOf<AdminApiConfig>;
