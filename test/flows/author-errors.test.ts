// What a flow author sees when a flow is wrong: expression errors with their column, one error per typo (its knock-on
// problems folded in), and a published schema that editors can use (every property described, enums as `enum`,
// step kinds chosen by their key so an unknown key is named as such).
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { afterAll, describe, expect, it } from 'vitest';
import { FlowLoadError } from '../../src/flows/index.js';
import { loadProgram } from '../../src/flows/load.js';
import { expressionProblem } from '../../src/flows/expressions.js';
import { EXPRESSION_HELPERS } from '../../src/flows/helpers.js';
import { flowJsonSchema } from '../../src/flows/schema.js';

async function issuesOf(file: string) {
  try {
    await loadProgram(file);
  } catch (err) {
    if (err instanceof FlowLoadError) return err.issues;
    throw err;
  }
  return [];
}

describe('expression errors', () => {
  it('point at the column inside the expression, in the file and in the message, with the expression shown', async () => {
    const [issue, ...rest] = await issuesOf('test/flows/broken/bad-condition.yaml');
    expect(rest).toEqual([]);
    // `      - if: caller_name ==`: the value starts at column 13, and the missing value is after its 14 characters.
    expect(issue).toMatchObject({ line: 19, col: 27 });
    expect(issue!.message).toContain('a value (a name, a number, "text", not, -, or a parenthesis) is needed here, but the expression ends (column 15 of the expression)');
    expect(issue!.message).toContain('\n    caller_name ==\n                  ^');
  });

  it('name the token that came instead, and the column, past filtrex\'s 20-character excerpt', () => {
    const expr = 'practice_area == "family" and and after_hours';
    expect(expressionProblem(expr, EXPRESSION_HELPERS)).toMatchObject({ offset: 30, message: expect.stringMatching(/but "and" comes \(column 31 of the expression\)/) });
    expect(expressionProblem('caller_name == "Ann', EXPRESSION_HELPERS)?.message).toMatch(/text that starts here with " is never closed/);
    expect(expressionProblem('a = 1', EXPRESSION_HELPERS)).toMatchObject({ offset: 2, message: expect.stringMatching(/"=" is not part of the expression language/) });
    expect(expressionProblem('practice_area == "family"', EXPRESSION_HELPERS)).toBeNull();
  });

  it('keep the position right when the expression spans lines (filtrex drops the newlines from its excerpt)', () => {
    // `a ==` then, on the next line, `b or or c`: the second `or` starts at offset 10.
    expect(expressionProblem('a ==\nb or or c', EXPRESSION_HELPERS)).toMatchObject({ offset: 10, message: expect.stringMatching(/but "or" comes/) });
    // An excerpt filtrex cut short at the front ("...") still maps to the right place.
    const long = 'practice_area == "family" or practice_area == "criminal" or or x';
    expect(expressionProblem(long, EXPRESSION_HELPERS)?.offset).toBe(long.lastIndexOf('or x'));
  });
});

describe('one typo, one error', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hermes-cascade-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  cpSync('flows', dir, { recursive: true });
  const file = join(dir, 'intake.yaml');
  const original = readFileSync(file, 'utf8');

  it('folds the steps a misspelt `next:` cuts off into the typo\'s own issue', async () => {
    writeFileSync(file, original.replace('next: hours_check', 'next: hours_chek'));
    const issues = await issuesOf(file);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.message).toMatch(/goes to "hours_chek".*did you mean "hours_check"\?\); and 6 more problems caused by it/);
  });

  it('still reports a problem the typo does not explain', async () => {
    const orphan = '\n  orphan_step:\n    end: completed\n    say: { en: "Bye.", es: "Adiós." }\n';
    writeFileSync(file, original.replace('next: hours_check', 'next: hours_chek') + orphan);
    const messages = (await issuesOf(file)).map((i) => i.message);
    expect(messages).toHaveLength(2);
    expect(messages[1]).toMatch(/step "orphan_step" can never be reached/);
  });
});

describe('published flow schema', () => {
  const schema = flowJsonSchema();
  const text = JSON.stringify(schema);

  it('describes every property', () => {
    const missing: string[] = [];
    const walk = (node: unknown, path: string): void => {
      if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${path}[${i}]`));
      if (!node || typeof node !== 'object') return;
      for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
        if (k === 'properties') {
          for (const [name, prop] of Object.entries(v as Record<string, { description?: string }>)) {
            if (!prop.description) missing.push(`${path}.${name}`);
            walk(prop, `${path}.${name}`);
          }
        } else walk(v, `${path}/${k}`);
      }
    };
    walk(schema, '');
    expect(missing).toEqual([]);
    expect(text.match(/"description"/g)!.length).toBeGreaterThan(140);
  });

  it('writes closed sets of words as enum, never as an anyOf of consts', () => {
    expect(text).not.toContain('"const"');
    const slot = (schema.properties as { slots: { patternProperties: Record<string, { properties: { type: { enum: string[] } } }> } }).slots;
    expect(Object.values(slot.patternProperties)[0]!.properties.type.enum).toContain('person_name');
  });

  it('picks a step\'s kind by its key, so an editor names the unknown key rather than another kind\'s requirements', () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(schema);
    const flow = (step: Record<string, unknown>) => ({
      id: 'x', version: 1, start: 'a', firm: { name: 'F', timezone: 'UTC', business_hours: { days: ['mon'], open: '09:00', close: '17:00' } },
      steps: { a: step },
    });
    const errorsOf = (step: Record<string, unknown>): ErrorObject[] => (validate(flow(step)) ? [] : (validate.errors ?? []));

    const unknownKey = errorsOf({ ask: 'name', prompt: { en: 'Name?' }, next: 'a', retries: 3 }).filter((e) => e.keyword !== 'if');
    expect(unknownKey.map((e) => [e.keyword, e.params])).toEqual([['additionalProperties', { additionalProperty: 'retries' }]]);

    const wrongEnd = errorsOf({ end: 'finished' }).filter((e) => e.keyword !== 'if');
    expect(wrongEnd.map((e) => e.keyword)).toEqual(['enum']);
    expect(wrongEnd[0]!.instancePath).toBe('/steps/a/end');

    // The same with the old anyOf would have listed the required keys of all nine kinds.
    expect(errorsOf({ say: { en: 'Hi' }, next: 'a' })).toEqual([]);
  });
});
