// Building blocks of the call-flow schema (schema.ts, schema-steps.ts): described per-language blocks, names, string
// enums. Every property the schema publishes carries a description, because editors show it on hover and in
// completion lists, and that is where a flow author learns the language (test/flows/schema.test.ts checks).
import { Type, type TSchema, type TUnsafe } from '@sinclair/typebox';

export const LANGUAGES = ['en', 'es'] as const;

/** `schema` with a description (what an editor shows on hover). */
export const doc = <T extends TSchema>(schema: T, description: string): T => ({ ...schema, description });

/**
 * A string that is one of `values`, published as JSON Schema `enum` (editors offer the values as completions and
 * name them in their error) rather than TypeBox's anyOf of consts, which editors report as "must match a schema in anyOf".
 */
export const StringEnum = <const T extends readonly string[]>(values: T, description: string): TUnsafe<T[number]> =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], description });

export const Id = Type.String({ pattern: '^[a-z][a-z0-9_]*$', description: 'lower_snake_case name' });
export const Language = StringEnum(LANGUAGES, 'Language code: en (English) or es (Spanish)');

/** A prompt in every language the flow speaks, e.g. {en: "Hello", es: "Hola"}. Mustache templates over slots and firm. */
export const Text = doc(
  Type.Object(
    {
      en: Type.Optional(doc(Type.String(), 'English text; {{slot}} and {{firm.name}} are filled in')),
      es: Type.Optional(doc(Type.String(), 'Spanish text; {{slot}} and {{firm.name}} are filled in')),
    },
    { additionalProperties: false },
  ),
  'Text per language: {en: "...", es: "..."}. {{slot}} and {{firm.name}} are filled in.',
);

/** Phrases per language; `what` says what the phrases are for. */
export const PhraseList = (what: string) =>
  doc(
    Type.Object(
      {
        en: Type.Optional(doc(Type.Array(Type.String()), `English phrases: ${what}`)),
        es: Type.Optional(doc(Type.Array(Type.String()), `Spanish phrases: ${what}`)),
      },
      { additionalProperties: false },
    ),
    `Phrases per language: ${what}`,
  );

export const Next = doc(Type.String(), 'Name of the next step (`return` inside a subflow goes back to the caller)');
export const StepRef = (when: string) => doc(Type.String(), `Name of the step to go to ${when}`);
export const ConfirmMode = StringEnum(['never', 'always', 'when_unsure'] as const, 'When HERMES reads the value back for a yes/no: never, always, or when_unsure (recognition confidence below the threshold)');
