// A real `hermes serve` (bin/hermes.js) in a child process, for the tests that kill, restart or drain it: spawned with
// its output kept (the last 20 kB, for failure messages), the signal it exited on, and a wait until it answers.
// Also the environment that points such a server at the loopback fakes (Twilio REST, Deepgram) and offline reasoning.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export interface ServeProcess {
  child: ChildProcess;
  port: number;
  /** stdout and stderr so far, the last 20 kB. */
  output: () => string;
  /** Resolves with the signal that ended the process (null: it exited by itself). */
  exited: Promise<NodeJS.Signals | null>;
  /** Resolves once `path` answers 2xx; throws with the output if the process exits first. */
  ready(path: '/health' | '/ready', timeoutMs: number, name?: string): Promise<void>;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A loopback port free right now (closed again before it is handed out). */
export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
  });
}

/** Polls `probe` every 50 ms until it gives a truthy value, which it returns; throws naming `what` after `timeoutMs`. */
export async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | null | undefined | false> | T | null | undefined | false): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

/** Starts `hermes serve` with `env` on `port` (extra CLI arguments in `args`); await `ready()` before using it. */
export function spawnServe(o: { env: NodeJS.ProcessEnv; port: number; args?: string[] }): ServeProcess {
  const child = spawn(process.execPath, ['bin/hermes.js', 'serve', ...(o.args ?? [])], { env: { ...o.env, PORT: String(o.port) }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (c) => (out = (out + String(c)).slice(-20_000)));
  child.stderr!.on('data', (c) => (out = (out + String(c)).slice(-20_000)));
  const exited = new Promise<NodeJS.Signals | null>((r) => child.once('exit', (_code, signal) => r(signal)));
  return {
    child, port: o.port, output: () => out, exited,
    async ready(path, timeoutMs, name = `the server on ${o.port}`) {
      await until(`${name} to answer ${path}`, timeoutMs, async () => {
        if (child.exitCode !== null) throw new Error(`hermes serve exited: ${out.slice(-2000)}`);
        return fetch(`http://127.0.0.1:${o.port}${path}`).then((r) => r.ok, () => false);
      });
    },
  };
}

/** Kills (SIGKILL) every server still running and waits for all of them to be gone (a suite's afterAll). */
export async function killAll(servers: readonly ServeProcess[]): Promise<void> {
  for (const s of servers) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
  await Promise.all(servers.map((s) => s.exited));
}

/** The settings that wire a spawned server to the loopback fakes, with offline reasoning; the test adds the rest. */
export function fakesEnv(o: {
  publicUrl: string; accountSid: string; authToken: string; restUrl: string;
  deepgram: { apiKey: string; url: string }; databaseUrl: string; defaultFlow: string; promptCacheDir: string;
}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    HOST: '127.0.0.1',
    PUBLIC_URL: o.publicUrl,
    TWILIO_ACCOUNT_SID: o.accountSid,
    TWILIO_AUTH_TOKEN: o.authToken,
    TWILIO_API_BASE_URL: o.restUrl,
    DEEPGRAM_API_KEY: o.deepgram.apiKey,
    DEEPGRAM_BASE_URL: o.deepgram.url,
    OPENAI_API_KEY: '',
    DATABASE_URL: o.databaseUrl,
    DEFAULT_FLOW: o.defaultFlow,
    PROMPT_CACHE_DIR: o.promptCacheDir,
  };
}
