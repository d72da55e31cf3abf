// The flow tools as a user runs them: `hermes flows validate|graph`, `hermes simulate`, `hermes chat` with piped stdin.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { registerFlows } from '../../src/commands/flows.js';
import { registerSimulate } from '../../src/commands/simulate.js';

const run = promisify(execFile);
async function hermes(args: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = run('node', ['bin/hermes.js', ...args], { env: { ...process.env, LOG_LEVEL: 'silent', OPENAI_API_KEY: '' }, maxBuffer: 8 << 20 });
  if (input !== undefined) {
    child.child.stdin!.write(input);
    child.child.stdin!.end();
  }
  try {
    const { stdout, stderr } = await child;
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Runs a command in this process (spawning tsx costs seconds per run); real spawns are kept for exit codes and stdin. */
async function inProcess(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const program = new Command().exitOverride();
  registerFlows(program);
  registerSimulate(program);
  let stdout = '';
  let stderr = '';
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void (stdout += `${a.join(' ')}\n`));
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void (stderr += `${a.join(' ')}\n`));
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  process.exitCode = undefined;
  await program.parseAsync(['node', 'hermes', ...args]);
  const code = Number(process.exitCode ?? 0);
  process.exitCode = undefined;
  vi.restoreAllMocks();
  return { code, stdout, stderr };
}
afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

const tmp = mkdtempSync(path.join(tmpdir(), 'hermes-flows-'));

describe('hermes flows and simulate CLI', () => {
  it('validate passes the bundled flows and fails broken ones with file:line:col and exit 1', async () => {
    const ok = await inProcess(['flows', 'validate', 'flows/intake.yaml', 'flows/practice/family.yaml']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('ok flows/intake.yaml');
    const bad = await hermes(['flows', 'validate', 'test/flows/broken/effect-without-failure.yaml', 'flows/intake.yaml']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('test/flows/broken/effect-without-failure.yaml:17:3: step "save" runs clio.create_intake but says nothing about failure');
  });

  it('simulate --json prints transcript, intake, outcome and effects for a script it has never seen', async () => {
    const script = path.join(tmp, 'new-caller.yaml');
    writeFileSync(
      script,
      [
        'caller: { from: "+12125550142", to: "+13125550100", at: "2026-11-25T09:30:00-05:00" }',
        'opening: "Hello, this is Daniel Okafor, my mother passed away and I need help with her will"',
        'answers:',
        '  caller_name: "Daniel Okafor"',
        '  is_emergency: "no"',
        '  existing_client: "no"',
        '  practice_area: "my mother passed away and I need help with her will"',
        '  opposing_party: "none"',
        '  callback_phone: "(212) 555-0142"',
        '  decedent_name: "Grace Okafor"',
        '  date_of_death: "September 30, 2026"',
        '  has_will: "yes"',
        'default: "I\'m not sure"',
        'expect:',
        '  outcome: completed',
        '  slots: { caller_name: Daniel Okafor, practice_area: estate, callback_phone: "+12125550142", has_will: true, date_of_death: "2026-09-30" }',
      ].join('\n'),
    );
    const r = await inProcess(['simulate', 'flows/intake.yaml', '--script', script, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out).sort()).toEqual(['effects', 'intake', 'outcome', 'transcript']);
    expect(out.outcome).toBe('completed');
    expect(out.intake).toMatchObject({ caller_name: 'Daniel Okafor', decedent_name: 'Grace Okafor', has_will: true });
    expect(out.transcript[0]).toEqual({ speaker: 'agent', text: expect.stringContaining("I'm an AI assistant") });
    expect(out.effects.map((e: { action: string }) => e.action)).toEqual(['clio.conflict_check', 'payment.link_sms', 'clio.create_intake']);
    expect(out.effects[0].args).toEqual({ caller_name: 'Daniel Okafor', opposing_party: null, phone: '+12125550142' });
  });

  it('simulate exits 1 and says which expectation failed', async () => {
    const script = path.join(tmp, 'wrong.yaml');
    writeFileSync(script, 'caller: { from: "+12125550142", at: "2026-11-25T09:30:00-05:00" }\nevents: [{ at: caller_name, hangup: true }]\nexpect: { outcome: completed }\n');
    const r = await inProcess(['simulate', 'flows/intake.yaml', '--script', script, '--json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('outcome: expected completed, got abandoned');
  });

  it('simulate reports a malformed script with its position', async () => {
    const script = path.join(tmp, 'typo.yaml');
    writeFileSync(script, 'caller: { from: "+12125550142", at: "2026-11-25T09:30:00-05:00" }\nanswer: { caller_name: Ann }\n');
    const r = await inProcess(['simulate', 'flows/intake.yaml', '--script', script]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/typo\.yaml:2:1: .*unknown setting "answer"/);
  });

  it('graph draws mermaid text and a laid-out SVG with readable step labels', async () => {
    const mm = await inProcess(['flows', 'graph', 'flows/intake.yaml']);
    expect(mm.stdout.startsWith('flowchart TD')).toBe(true);
    expect(mm.stdout).toContain('intake__conflict_check -->|"ok"| intake__conflict_branch');
    expect(mm.stdout).toContain('intake__personal_injury -.->|"calls"| personal_injury__ask_date');
    expect(mm.stdout).toContain('global__emergency');
    const svg = await inProcess(['flows', 'graph', 'flows/intake.yaml', '--format', 'svg']);
    expect(svg.stdout).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="\d+" height="\d+"/);
    expect(svg.stdout).toContain('>ask practice_area</text>');
    expect(svg.stdout).toContain('>clio.conflict_check</text>');
    expect(svg.stdout).toContain('>subflow personal_injury</text>');
    // Boxes laid out by dagre do not overlap.
    const boxes = [...svg.stdout.matchAll(/<g><rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"/g)].map((m) => m.slice(1).map(Number) as [number, number, number, number]);
    expect(boxes.length).toBeGreaterThan(80);
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const [ax, ay, aw, ah] = boxes[i]!;
        const [bx, by, bw, bh] = boxes[j]!;
        expect(ax + aw <= bx || bx + bw <= ax || ay + ah <= by || by + bh <= ay, `boxes ${i} and ${j} overlap`).toBe(true);
      }
  });
});

describe('hermes chat', () => {
  it('completes a personal-injury intake offline from piped stdin and prints the record', async () => {
    // The opening statement places the matter (the practice-area question is skipped with an acknowledgement).
    const lines = ['I was in a car accident', 'Hi, my name is John Smith', 'no', 'no', 'Big Truck Company', '312 555 0199', 'yes', 'skip',
      'Cook County', 'no', 'a phone call', 'yesterday', 'whiplash and a broken wrist', 'yes', 'yes', "I don't know", 'I was rear ended at a light', 'Google'];
    const r = await hermes(['chat', 'flows/intake.yaml', '--at', '2026-11-24T10:00:00-05:00'], `${lines.join('\n')}\n`);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('hermes: When did the accident happen?');
    expect(r.stdout).toContain('hermes: I understand this is about injuries and accidents.');
    expect(r.stdout).not.toContain('What kind of legal matter is this?');
    expect(r.stdout).toContain('--- outcome: completed');
    const record = JSON.parse(r.stdout.split('--- intake:\n')[1]!.split('\n---')[0]!);
    expect(record).toMatchObject({ caller_name: 'John Smith', practice_area: 'personal_injury', callback_phone: '+13125550199', incident_date: '2026-11-23', police_report: true, represented: false, preferred_contact: 'phone', injuries: 'whiplash and a broken wrist' });
  });

  it('answers a fee question at the name prompt, asks for the name again in other words, and notes a question it cannot answer', async () => {
    const lines = ['I need help with a divorce', 'how much is a consultation?', 'Maria Lopez', 'no', 'can my sister come to the meeting?', 'no'];
    const r = await hermes(['chat', 'flows/intake.yaml', '--at', '2026-11-24T10:00:00-05:00'], `${lines.join('\n')}\n`);
    const said = r.stdout.split('\n').filter((l) => l.startsWith('hermes: '));
    const fee = said.findIndex((l) => l.includes('150 dollars'));
    expect(fee, r.stdout).toBeGreaterThan(0);
    expect(said[fee + 1]).toMatch(/full name/);
    expect(said[fee + 1]).not.toBe(said[fee - 1]); // the re-ask is not the same sentence word for word
    expect(r.stdout).toContain("I'll note it for the attorney");
    const record = JSON.parse(r.stdout.split('--- intake:\n')[1]!.split('\n---')[0]!);
    expect(record).toMatchObject({ caller_name: 'Maria Lopez', is_emergency: false, caller_questions: 'can my sister come to the meeting?' });
  });

});
