// The table of `hermes` commands: name, one-line summary, and a loader that imports the command's module only when it
// runs. `hermes --help` reads this table alone, so it starts without loading fastify, knex or any provider SDK; each
// command pays only for its own imports. test/scripts/cli.test.ts checks each summary against what its module registers.
import type { Command } from 'commander';

export interface CommandEntry {
  name: string;
  summary: string;
  load(): Promise<(program: Command) => void>;
}

export const COMMANDS: readonly CommandEntry[] = [
  { name: 'init', summary: 'Write a .env with generated secrets (JWT_SECRET, ENCRYPTION_KEY) for a first start', load: async () => (await import('./init.js')).registerInit },
  { name: 'serve', summary: 'Start HERMES: Twilio webhooks, media streams, admin API', load: async () => (await import('./serve.js')).registerServe },
  { name: 'tenants', summary: 'Manage firms (tenants)', load: async () => (await import('./tenants.js')).registerTenants },
  { name: 'users', summary: 'Manage admin users', load: async () => (await import('./users.js')).registerUsers },
  { name: 'flows', summary: 'Check, draw and describe call flows', load: async () => (await import('./flows.js')).registerFlows },
  { name: 'chat', summary: 'Talk to a call flow in the terminal (typed lines stand in for speech); shows the intake at the end', load: async () => (await import('./chat.js')).registerChat },
  { name: 'simulate', summary: 'Run a scripted caller (YAML) through a flow, offline; exit 1 when the script expectations fail', load: async () => (await import('./simulate.js')).registerSimulate },
  { name: 'migrate', summary: 'Apply pending database migrations (DATABASE_URL); also up, down, status', load: async () => (await import('./migrate.js')).registerMigrate },
  { name: 'worker', summary: 'Deliver outbox rows (Clio, LawPay links by SMS, SMS, Zapier) until stopped', load: async () => (await import('./worker.js')).registerWorker },
  { name: 'outbox', summary: 'Inspect and retry deliveries (Clio, LawPay, SMS, Zapier)', load: async () => (await import('./outbox.js')).registerOutbox },
  { name: 'accuracy', summary: 'Measure spoken-form extraction accuracy on the corpus and validator latency', load: async () => (await import('./accuracy.js')).registerAccuracy },
  { name: 'bench', summary: 'Benchmark the call path: N simulated Twilio callers against HERMES and fake providers on loopback', load: async () => (await import('./bench.js')).registerBench },
  { name: 'calls', summary: 'Calls as operators see them (across firms)', load: async () => (await import('./calls.js')).registerCalls },
  { name: 'staff', summary: 'Manage who receives taken messages (staff contacts of a firm)', load: async () => (await import('./staff.js')).registerStaff },
];

/**
 * The command a command line runs: its first word that is not an option, or the word after `help`
 * (`hermes help serve` shows serve's own options, so serve must be loaded for it too).
 */
export function commandFor(argv: readonly string[]): CommandEntry | undefined {
  const words = argv.filter((a) => !a.startsWith('-'));
  const name = words[0] === 'help' ? words[1] : words[0];
  return COMMANDS.find((c) => c.name === name);
}
