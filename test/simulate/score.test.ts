// The scorer behind `hermes simulate --score`: run on tiny scripts through a tiny flow (one designed to be wrong
// without a read-back), and on hand-made results for what a real flow rarely shows on demand (re-asks, repeats, loops).
import { Command } from 'commander';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerSimulate } from '../../src/commands/simulate.js';
import { loadFlow, type LoadedFlow } from '../../src/flows/index.js';
import { createOfflineReasoner } from '../../src/reasoning/index.js';
import { simulate, STOPPED, type SimulationResult } from '../../src/simulate/run.js';
import { formatScore, scoreResult, totals } from '../../src/simulate/score.js';
import { readScript, type CallerScriptT } from '../../src/simulate/script.js';

const dir = 'test/simulate/fixtures';
let flow: LoadedFlow;
beforeAll(async () => {
  flow = await loadFlow(`${dir}/score-flow.yaml`);
});
afterEach(() => {
  vi.restoreAllMocks();
});

async function scoreFile(name: string) {
  const script = await readScript(`${dir}/${name}`);
  const result = await simulate(flow, script, createOfflineReasoner());
  return { result, score: scoreResult(name, script, result) };
}

describe('scoring scripted calls', () => {
  it('a caller who says what they mean scores every field, with the phone read back and confirmed', async () => {
    const { result, score } = await scoreFile('right.yaml');
    expect(result.readBacks).toEqual([{ slot: 'callback_phone', value: '+13125550111', confirmed: true }]);
    expect(score.fields).toEqual({ right: 2, expected: 2 });
    expect(score.wrongUnconfirmed).toEqual([]);
    expect(score.outcome).toEqual({ expected: 'completed', got: 'completed', ok: true });
    expect(score.failures).toEqual([]);
  });

  it('a value stored without any read-back that differs from what the caller meant counts as wrong-without-read-back', async () => {
    const { result, score } = await scoreFile('wrong-no-readback.yaml');
    expect(result.readBacks.map((r) => r.slot)).toEqual(['callback_phone']);
    expect(score.fields).toEqual({ right: 1, expected: 2 });
    expect(score.wrongUnconfirmed).toEqual([{ slot: 'caller_name', expected: 'Mario Lopez', got: 'Maria Lopez' }]);
    expect(score.failures).toEqual(['caller_name: expected "Mario Lopez", got "Maria Lopez"']);
  });

  const script: CallerScriptT = {
    caller: { from: '+13125550133', at: '2026-12-01T10:00:00-06:00' },
    expect: { outcome: 'completed', slots: { caller_name: 'Ana Ruiz', email: null, callback_phone: '+13125550133', county: { any_of: ['Cook', 'Cook County'] } } },
  };
  const made = (over: Partial<SimulationResult>): SimulationResult => ({
    transcript: [],
    intake: {},
    outcome: 'completed',
    effects: [],
    failures: [],
    readBacks: [],
    reasks: [],
    questions: [],
    ...over,
  });

  it('missing values are not right but not wrong; a wrong value the caller confirmed is not counted as unconfirmed', () => {
    const s = scoreResult('x', script, made({ intake: { caller_name: 'Ana Ruiz', email: 'skip', callback_phone: '+13125550199', county: 'Cook County' }, readBacks: [{ slot: 'callback_phone', value: '+13125550199', confirmed: true }] }));
    expect(s.fields).toEqual({ right: 2, expected: 4 });
    expect(s.wrongUnconfirmed).toEqual([{ slot: 'email', expected: null, got: 'skip' }]);
    const missing = scoreResult('x', script, made({ intake: { caller_name: 'Ana Ruiz' } }));
    expect(missing.fields).toEqual({ right: 2, expected: 4 });
    expect(missing.wrongUnconfirmed).toEqual([]);
  });

  it('repeated agent sentences are counted once per distinct sentence, short acknowledgements aside; loops are flagged', () => {
    const transcript: SimulationResult['transcript'] = [
      { speaker: 'agent', text: 'Got it. What is the best number to reach you?' },
      { speaker: 'caller', text: 'this number' },
      { speaker: 'agent', text: 'Got it. What is the best number to reach you?' },
      { speaker: 'agent', text: 'Sorry. What is the best number to reach you? Thank you for calling us today.' },
      { speaker: 'agent', text: '[transfers the call to +13125550199 (warm)]' },
      { speaker: 'agent', text: '[transfers the call to +13125550199 (warm)]' },
      { speaker: 'agent', text: STOPPED },
    ];
    const s = scoreResult('x', script, made({ transcript, outcome: 'abandoned', reasks: [{ slot: 'caller_name', value: 'Ana Ruiz' }] }));
    expect(s.repeats).toEqual([{ sentence: 'What is the best number to reach you?', times: 3 }]);
    expect(s.stuck).toBe(true);
    expect(s.reasks).toEqual([{ slot: 'caller_name', value: 'Ana Ruiz' }]);
    expect(s.outcome.ok).toBe(false);
    const t = totals([s, scoreResult('y', script, made({ intake: { caller_name: 'Ana Ruiz', callback_phone: '+13125550133', county: 'Cook' } }))]);
    expect(t).toMatchObject({ scripts: 2, fields: { right: 5, expected: 8, percent: 62.5 }, reasks: 1, repeats: 1, stuck: 1, outcomes: { matched: 1, expected: 2 } });
    expect(formatScore([s])).toContain('said 3 times: "What is the best number to reach you?"');
  });

  it('a question for a name the caller already said in an earlier sentence counts as asked for what was said', () => {
    const withOpposing: CallerScriptT = { ...script, expect: { slots: { opposing_party: 'Kevin Walsh', incident_date: '2026-11-27', injuries: { contains: ['arm'] } } } };
    const transcript: SimulationResult['transcript'] = [
      { speaker: 'agent', text: 'What kind of legal matter is this?' },
      { speaker: 'caller', text: 'A car accident last Friday, the other driver was Kevin Walsh and I broke my arm.' },
      { speaker: 'agent', text: 'Who is the other party?' },
      { speaker: 'caller', text: 'Kevin Walsh' },
      { speaker: 'agent', text: 'When did it happen?' },
      { speaker: 'caller', text: 'last Friday' },
      { speaker: 'agent', text: 'What injuries did you have?' },
    ];
    const questions = [{ slot: 'opposing_party', at: 2 }, { slot: 'incident_date', at: 4 }, { slot: 'injuries', at: 6 }];
    expect(scoreResult('x', withOpposing, made({ transcript, questions })).alreadySaid).toEqual(['opposing_party', 'injuries']);
    // The same questions with nothing volunteered before them are fair questions.
    const fair = [{ slot: 'opposing_party', at: 0 }, { slot: 'injuries', at: 0 }];
    expect(scoreResult('x', withOpposing, made({ transcript, questions: fair })).alreadySaid).toEqual([]);
  });
});

describe('per-field figures (names, parties, dates) per language', () => {
  const made = (over: Partial<SimulationResult>): SimulationResult => ({ transcript: [], intake: {}, outcome: 'completed', effects: [], failures: [], readBacks: [], reasks: [], questions: [], ...over });
  const kinds = { caller_name: 'names', opposing_party: 'parties', incident_date: 'dates' } as const;
  const caller = { from: '+13125550133', at: '2026-12-01T10:00:00-06:00' };
  const en: CallerScriptT = { caller, expect: { slots: { caller_name: 'Ana Ruiz', opposing_party: 'Kevin Walsh', incident_date: '2026-11-03', callback_phone: '+13125550133' } } };
  const es: CallerScriptT = { caller: { ...caller, language: 'es' }, expect: { slots: { caller_name: 'Ana Torres García', opposing_party: 'Luis Romero', incident_date: '2026-03' } } };

  it('counts right, total and wrong-without-read-back per kind and language; a party among several stored is right', () => {
    const a = scoreResult('a', en, made({ intake: { caller_name: 'Ana Ruiz', opposing_party: 'the other driver was Kevin Walsh', incident_date: '2026-11-03', callback_phone: '+13125550133' } }), kinds);
    const b = scoreResult('b', es, made({ intake: { caller_name: 'Ana Torres', opposing_party: 'Luis Romero; Marta Díaz', incident_date: '2026-03-01' }, readBacks: [{ slot: 'incident_date', value: '2026-03-01', confirmed: true }] }), kinds);
    expect(a.byField.map((f) => [f.slot, f.right, f.wrongUnconfirmed])).toEqual([['caller_name', true, false], ['opposing_party', false, true], ['incident_date', true, false]]);
    const t = totals([a, b]).byField;
    expect(t.names).toEqual({ right: 1, total: 2, percent: 50, wrongUnconfirmed: 1, byLanguage: { en: { right: 1, total: 1, percent: 100, wrongUnconfirmed: 0 }, es: { right: 0, total: 1, percent: 0, wrongUnconfirmed: 1 } } });
    expect(t.parties).toMatchObject({ right: 1, total: 2, wrongUnconfirmed: 1, byLanguage: { es: { right: 1, total: 1 } } });
    // The wrong date the caller confirmed in a read-back is wrong, but not stored without one.
    expect(t.dates).toMatchObject({ right: 1, total: 2, wrongUnconfirmed: 0 });
    const report = formatScore([a, b]);
    expect(report).toContain('fields right: 4/7 (57.1%)');
    expect(report).toContain('person names: 1/2 (50.0%), wrong without read-back 1; en 1/1 (100.0%, wrong 0), es 0/1 (0.0%, wrong 1)');
    expect(report).toContain('party names: 1/2 (50.0%)');
    expect(report).toContain('dates: 1/2 (50.0%), wrong without read-back 0');
  });
});

describe('hermes simulate --score', () => {
  async function cli(args: string[]) {
    const program = new Command().exitOverride();
    registerSimulate(program);
    let stdout = '';
    let stderr = '';
    vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void (stdout += `${a.join(' ')}\n`));
    vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void (stderr += `${a.join(' ')}\n`));
    process.exitCode = undefined;
    await program.parseAsync(['node', 'hermes', 'simulate', `${dir}/score-flow.yaml`, ...args]);
    const code = Number(process.exitCode ?? 0);
    process.exitCode = undefined;
    return { code, stdout, stderr };
  }

  it('scores every script a glob gives, as JSON, and exits 1 when one fails its expectations', async () => {
    const r = await cli(['--script', `${dir}/right.yaml`, `${dir}/wrong-no-readback.yaml`, '--score', '--json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.totals).toMatchObject({ scripts: 2, fields: { right: 3, expected: 4, percent: 75 }, wrongUnconfirmed: 1, outcomes: { matched: 2, expected: 2 }, failedScripts: 1 });
    expect(out.scripts.map((s: { file: string }) => s.file)).toEqual([`${dir}/right.yaml`, `${dir}/wrong-no-readback.yaml`]);
  });

  it('keeps single-script mode as it was and refuses several scripts without --score', async () => {
    const one = await cli(['--script', `${dir}/right.yaml`, '--json']);
    expect(one.code).toBe(0);
    expect(Object.keys(JSON.parse(one.stdout)).sort()).toEqual(['effects', 'intake', 'outcome', 'transcript']);
    const many = await cli(['--script', `${dir}/right.yaml`, `${dir}/wrong-no-readback.yaml`]);
    expect(many.code).toBe(2);
    expect(many.stderr).toContain('add --score');
  });
});
