// Settings of the HTTP listener.
import { type SettingsOf, text } from './setting.js';

export interface ServerConfig {
  port: number;
  host: string;
}

function port(raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`expected a port number 0-65535, got "${raw}"`);
  return n;
}

export const SERVER_SETTINGS = [
  { env: 'PORT', key: 'port', doc: 'HTTP port to listen on', default: 3000, parse: port },
  { env: 'HOST', key: 'host', doc: 'Interface to bind', default: '0.0.0.0', parse: text },
] as const satisfies SettingsOf<ServerConfig>;
