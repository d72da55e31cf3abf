// Settings of the admin tokens and of the key that encrypts integration tokens at rest.
import { optionalText, type SettingsOf, text } from './setting.js';

export interface AuthConfig {
  /** Secret for signing admin JWTs (HS256); generated per process when absent (tokens then die with the process). */
  jwtSecret: string | null;
  jwtIssuer: string;
  jwtAudience: string;
  /** 32-byte key (hex or base64) that encrypts integration tokens at rest (AES-256-GCM). */
  encryptionKey: string | null;
}

function encryptionKey(raw: string): string | null {
  const v = raw.trim();
  if (v === '') return null;
  const bytes = /^[0-9a-f]{64}$/i.test(v) ? Buffer.from(v, 'hex') : Buffer.from(v, 'base64');
  if (bytes.length !== 32) throw new Error('expected 32 bytes as 64 hex characters or base64');
  return v;
}

export const AUTH_SETTINGS = [
  { env: 'JWT_SECRET', key: 'jwtSecret', doc: 'Secret (>= 32 chars) that signs admin tokens', default: null, parse: optionalText },
  { env: 'JWT_ISSUER', key: 'jwtIssuer', doc: 'iss claim of admin tokens', default: 'hermes', parse: text },
  { env: 'JWT_AUDIENCE', key: 'jwtAudience', doc: 'aud claim of admin tokens', default: 'hermes-admin', parse: text },
  { env: 'ENCRYPTION_KEY', key: 'encryptionKey', doc: '32-byte key (hex/base64) encrypting integration tokens at rest', default: null, parse: encryptionKey },
] as const satisfies SettingsOf<AuthConfig>;
