// AES-256-GCM for integration secrets at rest (integration_credentials.secret_enc). The tenant and provider are bound
// in as associated data, so a ciphertext copied onto another firm's row does not decrypt. Format: v1.iv.tag.data
// (base64url parts). The key never leaves this module's callers' memory; nothing here logs.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';

export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

/** The 32-byte key from ENCRYPTION_KEY (64 hex characters or base64). */
export function parseKey(key: string): Buffer {
  const bytes = /^[0-9a-f]{64}$/i.test(key.trim()) ? Buffer.from(key.trim(), 'hex') : Buffer.from(key.trim(), 'base64');
  if (bytes.length !== 32) throw new SecretBoxError('ENCRYPTION_KEY must be 32 bytes (64 hex characters or base64)');
  return bytes;
}

export function encryptSecret(key: Buffer, plaintext: string, aad: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, iv.toString('base64url'), tag.toString('base64url'), data.toString('base64url')].join('.');
}

export function decryptSecret(key: Buffer, box: string, aad: string): string {
  const parts = box.split('.');
  if (parts.length !== 4 || parts[0] !== VERSION) throw new SecretBoxError('not a HERMES secret (expected v1.iv.tag.data)');
  const [, iv, tag, data] = parts as [string, string, string, string];
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    // GCM gives no detail on purpose; the usual cause is a changed ENCRYPTION_KEY.
    throw new SecretBoxError('cannot decrypt the stored secret: wrong ENCRYPTION_KEY or tampered data; reconnect the integration');
  }
}
