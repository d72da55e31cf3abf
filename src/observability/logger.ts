// pino logger with PII redaction. Caller numbers, emails, tokens and audio payloads never reach a log line:
// paths below are censored, and helpers here mask phone numbers that end up in free text.
import { pino, type Logger } from 'pino';
import type { LogLevel } from '../config.js';

export type { Logger };

const REDACT_PATHS = [
  'from', 'to', 'caller', 'phone', 'email', 'password', 'token', 'accessToken', 'refreshToken', 'authorization',
  'payload', 'audio', '*.from', '*.to', '*.phone', '*.email', '*.password', '*.token', '*.payload',
  'req.headers.authorization', 'req.headers["x-twilio-signature"]', 'req.headers.cookie',
];

export function createLogger(level: LogLevel, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: { service: 'hermes' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination as pino.DestinationStream | undefined,
  );
}

/** Keeps the last 2 digits of a phone number so support can still tell calls apart: +1312***42. */
export function maskPhone(e164: string | null | undefined): string {
  if (!e164) return '';
  const digits = e164.replace(/[^\d+]/g, '');
  if (digits.length <= 6) return '***';
  return `${digits.slice(0, 5)}***${digits.slice(-2)}`;
}

/** A logger that drops everything, for tests and tools that print their own output. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
