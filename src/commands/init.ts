// `hermes init`: writes a first .env for `hermes serve` with freshly generated secrets (JWT_SECRET signs admin
// tokens, ENCRYPTION_KEY encrypts integration tokens at rest) and the settings a first call needs, commented out.
// It never replaces an existing file without --force: losing those secrets logs every admin out and makes the stored
// Clio tokens unreadable.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import type { Command } from 'commander';

/** The .env text: generated secrets first, then the settings to fill in, each with the line `serve --help` gives. */
export function envTemplate(random: (bytes: number) => Buffer = randomBytes): string {
  return [
    '# HERMES settings, read by every `hermes` command run from this folder (variables set in the environment win).',
    '# Written by `hermes init`. Keep this file private: it holds secrets. All settings: `hermes serve --help`.',
    '',
    '# Signs admin tokens; changing it logs every admin out.',
    `JWT_SECRET=${random(48).toString('base64url')}`,
    '# Encrypts integration tokens (Clio) at rest; changing it makes the stored tokens unreadable.',
    `ENCRYPTION_KEY=${random(32).toString('hex')}`,
    '',
    '# Where the records live: an embedded SQLite file, or postgres://user:password@host:5432/hermes',
    '# DATABASE_URL=sqlite://./data/hermes.sqlite',
    '',
    '# Phone calls. PUBLIC_URL is the https address Twilio reaches (http only for localhost).',
    '# PUBLIC_URL=https://hermes.your-firm.example',
    '# TWILIO_ACCOUNT_SID=AC...',
    '# TWILIO_AUTH_TOKEN=',
    '# DEEPGRAM_API_KEY=',
    '',
    '# Optional: an OpenAI-compatible model; without it reasoning runs offline.',
    '# OPENAI_API_KEY=',
    '# OPENAI_BASE_URL=',
    '',
  ].join('\n');
}

export function registerInit(program: Command): void {
  program
    .command('init')
    .description('Write a .env with generated secrets (JWT_SECRET, ENCRYPTION_KEY) for a first start')
    .option('--file <path>', 'file to write', '.env')
    .option('--force', 'replace an existing file (its secrets are lost: admins are logged out, stored integration tokens become unreadable)')
    .action((o: { file: string; force?: boolean }) => {
      const path = resolve(o.file);
      const shown = relative(process.cwd(), path) || path;
      if (existsSync(path) && !o.force) {
        console.error(`hermes init: ${shown} already exists, left as it is (--force replaces it and discards its secrets)`);
        process.exit(1);
      }
      // 'wx' fails if the file appeared meanwhile; mode 0600 because the file holds secrets.
      writeFileSync(path, envTemplate(), { flag: o.force ? 'w' : 'wx', mode: 0o600 });
      chmodSync(path, 0o600);
      console.log(`wrote ${shown} with a new JWT_SECRET and ENCRYPTION_KEY`);
      console.log('next: `npx hermes chat` to try the intake flow, `npx hermes serve` to start the server (it reads .env)');
    });
}
