// pino logger with PII redaction. Caller numbers, emails, tokens and audio payloads never reach a log line:
// paths below are censored, and helpers here mask phone numbers that end up in free text.
import { createRequire } from 'node:module';
import { pino, type Logger } from 'pino';
import type { LogFormat, LogLevel } from '../config.js';

export type { Logger };

const REDACT_PATHS = [
  'from', 'to', 'caller', 'phone', 'email', 'password', 'token', 'accessToken', 'refreshToken', 'authorization',
  'payload', 'audio', '*.from', '*.to', '*.phone', '*.email', '*.password', '*.token', '*.payload',
  'req.headers.authorization', 'req.headers["x-twilio-signature"]', 'req.headers.cookie',
];

/** `auto`: pretty when stdout is a terminal (a person reading), JSON lines otherwise (a collector reading). */
export function wantsPretty(format: LogFormat, stdoutIsTty = Boolean(process.stdout.isTTY)): boolean {
  return format === 'pretty' || (format === 'auto' && stdoutIsTty);
}

/**
 * A pretty-printing destination (pino-pretty, in this thread and synchronous, so the last lines before an exit are not
 * lost). Loaded only when wanted: a server writing JSON never pays for it.
 */
function prettyStream(destination?: NodeJS.WritableStream): pino.DestinationStream {
  const pretty = createRequire(import.meta.url)('pino-pretty') as (o: Record<string, unknown>) => pino.DestinationStream;
  return pretty({
    colorize: destination === undefined && Boolean(process.stdout.isTTY), sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service',
    ...(destination ? { destination } : {}),
  });
}

/**
 * The HERMES logger. `destination` defaults to stdout; `format` (LOG_FORMAT) picks pretty or JSON lines, `auto` by
 * whether stdout is a terminal (a given destination counts as not one).
 */
export function createLogger(level: LogLevel, destination?: NodeJS.WritableStream, format: LogFormat = 'json'): Logger {
  const pretty = format === 'pretty' || (format === 'auto' && destination === undefined && wantsPretty(format));
  const out = pretty ? prettyStream(destination) : destination;
  return pino(
    {
      level,
      base: { service: 'hermes' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    out as pino.DestinationStream | undefined,
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
