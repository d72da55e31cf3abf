// Runs the repo's nginx configuration for real: derives a test copy (same server blocks; loopback ports, temp paths,
// a self-signed certificate made here, the two upstream servers pointed at HERMES instances on loopback), checks it
// with `nginx -t` and starts nginx in the foreground. Every rewrite must match, so a config change that would make
// this copy drift from the repo's files fails the test instead of silently testing something else.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../helpers/serve.js';

const REPO = resolve(import.meta.dirname, '../..');

export function findNginx(): string | null {
  for (const p of ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/local/nginx/sbin/nginx']) if (existsSync(p)) return p;
  try {
    return execFileSync('sh', ['-c', 'command -v nginx'], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

function rewrite(text: string, from: RegExp, to: string, what: string): string {
  if (!from.test(text)) throw new Error(`nginx test: the repo config no longer has ${what} (${from}); update test/nginx/harness.ts`);
  return text.replace(new RegExp(from.source, from.flags.includes('g') ? from.flags : `${from.flags}g`), to);
}

export interface NginxPorts {
  http: number;
  https: number;
  upstreams: [number, number];
}

/** Writes the derived config into `dir` and returns the path of its nginx.conf. */
export function deriveConfig(dir: string, ports: NginxPorts): string {
  mkdirSync(join(dir, 'conf.d'), { recursive: true });
  mkdirSync(join(dir, 'acme/.well-known/acme-challenge'), { recursive: true });
  for (const t of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(dir, 'tmp', t), { recursive: true });
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', '/CN=hermes.test', '-keyout', join(dir, 'privkey.pem'), '-out', join(dir, 'fullchain.pem')], { stdio: 'ignore' });

  let main = readFileSync(join(REPO, 'nginx/nginx.conf'), 'utf8');
  // As root the workers would drop to "nginx", who may not exist here; as anyone else the directive is meaningless.
  main = rewrite(main, /^user \S+;$/m, process.getuid?.() === 0 ? 'user root;' : '', 'a user directive');
  main = rewrite(main, /^worker_processes \S+;$/m, 'worker_processes 1;', 'worker_processes');
  main = rewrite(main, /^pid \S+;$/m, `pid ${join(dir, 'nginx.pid')};`, 'a pid path');
  main = rewrite(main, /^error_log \S+/m, `error_log ${join(dir, 'error.log')}`, 'an error_log path');
  main = rewrite(main, /access_log \S+ hermes;/, `access_log ${join(dir, 'access.log')} hermes;`, 'the access_log');
  if (!existsSync('/etc/nginx/mime.types')) main = rewrite(main, /include \/etc\/nginx\/mime\.types;/, '', 'mime.types');
  main = rewrite(main, /include \/etc\/nginx\/conf\.d\/\*\.conf;/, [
    `client_body_temp_path ${join(dir, 'tmp/body')};`, `proxy_temp_path ${join(dir, 'tmp/proxy')};`,
    `fastcgi_temp_path ${join(dir, 'tmp/fastcgi')};`, `uwsgi_temp_path ${join(dir, 'tmp/uwsgi')};`, `scgi_temp_path ${join(dir, 'tmp/scgi')};`,
    `include ${join(dir, 'conf.d')}/*.conf;`,
  ].join('\n  '), 'the conf.d include');
  writeFileSync(join(dir, 'nginx.conf'), main);

  let site = readFileSync(join(REPO, 'nginx/conf.d/hermes.conf'), 'utf8');
  site = rewrite(site, /server hermes-1:3000/, `server 127.0.0.1:${ports.upstreams[0]}`, 'upstream hermes-1');
  site = rewrite(site, /server hermes-2:3000/, `server 127.0.0.1:${ports.upstreams[1]}`, 'upstream hermes-2');
  site = rewrite(site, /^\s*listen \[::\]:\d+[^;]*;$/m, '', 'IPv6 listeners');
  site = rewrite(site, /listen 80;/, `listen 127.0.0.1:${ports.http};`, 'the port 80 listener');
  site = rewrite(site, /listen 443 ssl/, `listen 127.0.0.1:${ports.https} ssl`, 'the port 443 listener');
  site = rewrite(site, /ssl_certificate \S+;/, `ssl_certificate ${join(dir, 'fullchain.pem')};`, 'ssl_certificate');
  site = rewrite(site, /ssl_certificate_key \S+;/, `ssl_certificate_key ${join(dir, 'privkey.pem')};`, 'ssl_certificate_key');
  site = rewrite(site, /root \/var\/www\/certbot;/, `root ${join(dir, 'acme')};`, 'the ACME webroot');
  writeFileSync(join(dir, 'conf.d/hermes.conf'), site);
  return join(dir, 'nginx.conf');
}

export interface RunningNginx {
  dir: string;
  ports: NginxPorts;
  stop(): Promise<void>;
  errorLog(): string;
}

/** `nginx -t` output (throws with it when the test fails). */
export function nginxTest(bin: string, conf: string, dir: string): string {
  try {
    return execFileSync(bin, ['-t', '-p', dir, '-c', conf], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { stderr?: string; stdout?: string };
    throw new Error(`nginx -t failed:\n${e.stderr ?? ''}${e.stdout ?? ''}`);
  }
}

export async function startNginx(bin: string, upstreams: [number, number]): Promise<RunningNginx> {
  const dir = mkdtempSync(join(tmpdir(), 'hermes-nginx-'));
  const ports: NginxPorts = { http: await freePort(), https: await freePort(), upstreams };
  const conf = deriveConfig(dir, ports);
  nginxTest(bin, conf, dir);
  const proc: ChildProcess = spawn(bin, ['-p', dir, '-c', conf, '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr?.on('data', (d: Buffer) => { stderr += String(d); });
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  // Ready when the HTTPS port accepts connections.
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`nginx exited at start: ${stderr}`);
    const up = await new Promise<boolean>((r) => {
      const s = createServer();
      s.once('error', () => r(true)); // port taken: nginx is listening
      s.listen(ports.https, '127.0.0.1', () => s.close(() => r(false)));
    });
    if (up) break;
    if (Date.now() > deadline) throw new Error(`nginx did not listen within 10 s: ${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    dir,
    ports,
    errorLog: () => (existsSync(join(dir, 'error.log')) ? readFileSync(join(dir, 'error.log'), 'utf8') : '') + stderr,
    async stop() {
      if (proc.exitCode === null) {
        proc.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (proc.exitCode === null) proc.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
