// The call-flow language: one TypeBox definition gives both the TypeScript types the compiler and engine use and the
// JSON Schema published as flows/flow.schema.json (editors pick it up via `# yaml-language-server: $schema=...`).
// This file only describes shape; meaning (references, reachability, translations) is checked in compile.ts. The step
// kinds are in schema-steps.ts, the shared building blocks in schema-parts.ts.
import { Type, type Static } from '@sinclair/typebox';
import { doc, Id, Language, PhraseList, StepRef, StringEnum, Text, ConfirmMode } from './schema-parts.js';
import { AskStep, BranchStep, DecideStep, EffectStep, EndStep, SayStep, SetStep, SLOT_TYPES, Step, STEP_KINDS, SubflowStep, TransferStep } from './schema-steps.js';

export { LANGUAGES, Text } from './schema-parts.js';
export { AskStep, BranchCase, BranchStep, DecideStep, EFFECT_ACTIONS, EffectStep, EndStep, GLOBAL_INTENTS, OUTCOMES, SayStep, SetStep, SLOT_TYPES, Step, STEP_KINDS, SubflowStep, TransferStep, type StepT } from './schema-steps.js';

const WordList = PhraseList('say one anywhere in the call and this handler runs');
const HHMM = (what: string) => doc(Type.String({ pattern: '^[0-2][0-9]:[0-5][0-9]$' }), `${what}, as HH:MM (24-hour clock)`);

const BusinessHours = doc(
  Type.Object(
    {
      days: doc(Type.Array(StringEnum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const, 'A weekday')), 'Days the office is open'),
      open: HHMM('Opening time'),
      close: HHMM('Closing time'),
    },
    { additionalProperties: false },
  ),
  'Office hours in the firm timezone; outside them `after_hours` is true',
);

export const Firm = Type.Object(
  {
    name: doc(Type.String({ minLength: 1 }), 'The firm\'s name as callers should hear it'),
    timezone: doc(Type.String({ minLength: 1 }), 'IANA zone, e.g. America/New_York'),
    default_region: Type.Optional(doc(Type.String({ pattern: '^[A-Z]{2}$' }), 'Country for phone numbers without +code')),
    business_hours: BusinessHours,
    main_number: Type.Optional(doc(Type.String(), 'The firm\'s main phone number (E.164), given to callers who ask')),
    on_call: Type.Optional(doc(Type.Array(Type.String()), 'On-call attorney numbers (E.164), first is tried first')),
    consultation_fee: Type.Optional(doc(Type.Number({ minimum: 0 }), 'Consultation fee in dollars; 0 means free')),
    address: Type.Optional(doc(Type.String({ minLength: 1 }), 'Office address as callers should hear it (FAQ "where are you?")')),
    holidays: Type.Optional(doc(Type.Array(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })), 'Dates (YYYY-MM-DD, firm time zone) the office is closed all day: `after_hours` is true')),
    sol_years: Type.Optional(
      doc(Type.Record(Type.String(), Type.Number({ minimum: 0 })), 'Statute of limitations in years by practice area'),
    ),
  },
  { additionalProperties: false },
);

export const EnumValue = Type.Object(
  {
    value: doc(Id, 'The value stored in the slot (lower_snake_case)'),
    synonyms: Type.Optional(doc(Type.Array(Type.String()), 'Other words callers use for this value')),
    label: Type.Optional(doc(Text, 'How HERMES names this value to callers ("a family matter"); default: the value with spaces')),
  },
  { additionalProperties: false },
);

export const Slot = Type.Object(
  {
    type: StringEnum(SLOT_TYPES, 'What kind of value: decides how speech is understood, validated and read back'),
    values: Type.Optional(doc(Type.Array(EnumValue), 'Allowed values of an enum slot')),
    confirm: Type.Optional(ConfirmMode),
    threshold: Type.Optional(doc(Type.Number({ minimum: 0, maximum: 1 }), 'Recognition confidence below which a when_unsure slot is read back')),
    date_range: Type.Optional(StringEnum(['past', 'future', 'any'] as const, 'Date slots: which dates make sense (an incident is past, a court date future)')),
    min_length: Type.Optional(doc(Type.Integer({ minimum: 1 }), 'Digits and text slots: fewest characters accepted')),
    max_length: Type.Optional(doc(Type.Integer({ minimum: 1 }), 'Digits and text slots: most characters accepted')),
    keyterms: Type.Optional(doc(Type.Array(Type.String()), 'Words to boost in speech recognition')),
    party: Type.Optional(
      doc(
        Type.Boolean(),
        'Text slots: the slot names another party (opposing party, other driver, employer, landlord, insurer). The value is the person or organisation name taken from the phrase ("the store, it was the Jewel-Osco on Clark Street" -> "Jewel-Osco"; several parties joined with "; "), read back when unsure, and the conflict check searches the name, never the phrase. Default: guessed from the slot name and description; false turns it off',
      ),
    ),
    accept_caller_id: Type.Optional(
      doc(Type.Boolean(), 'Phone slots: "this number" / "el mismo" fills the slot with the number the caller is calling from, after a last-four read-back'),
    ),
    cues: Type.Optional(
      doc(
        PhraseList('lead-ins that show the caller is giving this slot'),
        'Phrases that show the caller is giving this slot without being asked: lead-ins for text, name and date slots ("the other driver was", "court date"); for yes_no slots, phrases that mean yes ("in custody")',
      ),
    ),
    description: Type.Optional(doc(Type.String(), 'What the slot holds, in words the reasoner (LLM) reads')),
  },
  { additionalProperties: false },
);

export const GlobalHandler = Type.Object(
  {
    words: Type.Optional(WordList),
    dtmf: Type.Optional(doc(Type.String({ pattern: '^[0-9*#]$' }), 'A key that triggers this handler (0-9, * or #)')),
    goto: Type.Optional(doc(Type.String(), 'Step to run when triggered (human, emergency, goodbye)')),
  },
  { additionalProperties: false },
);

export const Globals = Type.Object(
  {
    human: Type.Optional(doc(GlobalHandler, 'The caller asks for a person')),
    emergency: Type.Optional(doc(GlobalHandler, 'The caller describes an emergency')),
    repeat: Type.Optional(doc(GlobalHandler, 'The caller asks to hear that again')),
    start_over: Type.Optional(doc(GlobalHandler, 'The caller wants to start again')),
    goodbye: Type.Optional(doc(GlobalHandler, 'The caller says goodbye')),
    language: Type.Optional(doc(GlobalHandler, 'The caller asks for another language')),
    corrections: Type.Optional(doc(Type.Boolean(), '"no, my name is ..." fixes an earlier answer (default true)')),
    silence: Type.Optional(
      doc(
        Type.Object(
          {
            reprompt_ms: Type.Optional(doc(Type.Integer({ minimum: 1000 }), 'Silence before the question is asked again')),
            max_reprompts: Type.Optional(doc(Type.Integer({ minimum: 0 }), 'How many times a question is asked again after silence')),
            end_ms: Type.Optional(doc(Type.Integer({ minimum: 1000 }), 'Total silence in a call before giving up')),
            goto: Type.Optional(StepRef('when the caller stays silent')),
          },
          { additionalProperties: false },
        ),
        'What HERMES does when the caller says nothing',
      ),
    ),
  },
  { additionalProperties: false },
);

const FaqTopic = Type.Object(
  {
    answer: doc(Text, 'What HERMES says; {{firm.*}} facts are filled in (firm.hours, firm.address, firm.consultation_fee)'),
    examples: Type.Optional(doc(PhraseList('how callers ask this question'), 'How callers ask (needed for a topic that is not built in)')),
  },
  { additionalProperties: false },
);
const NotHandled = Type.Object(
  {
    matter: doc(Text, 'The matter as HERMES names it: "landlord-tenant matters"'),
    words: doc(PhraseList('what callers call this matter'), 'What callers call it: eviction, landlord, desalojo, ...'),
  },
  { additionalProperties: false },
);
export const Faq = Type.Object(
  {
    topics: Type.Optional(
      doc(
        Type.Record(Id, FaqTopic),
        'Answers by topic id; hours, consultation_fee, address, payment, real_person and practice_areas are built in (from firm:) and may be overridden',
      ),
    ),
    practice_areas: Type.Optional(
      doc(
        Type.Object(
          {
            handled: Type.Optional(doc(Text, 'The matters the firm takes, as a phrase: "injuries, family law, criminal defense, ..."')),
            not_handled: Type.Optional(doc(Type.Array(NotHandled), 'Matters the firm does not take, so HERMES can say so kindly')),
            goto: Type.Optional(doc(Type.String(), 'Step for a caller whose matter the firm does not take')),
          },
          { additionalProperties: false },
        ),
        'What the firm does and does not take',
      ),
    ),
    unknown: Type.Optional(doc(Text, 'Said for a question outside the FAQ (default: "I can\'t answer that, but I\'ll note it for the attorney.")')),
  },
  { additionalProperties: false },
);

export const Flow = Type.Object(
  {
    $schema: Type.Optional(doc(Type.String(), 'Where editors find this schema (flow.schema.json)')),
    id: doc(Id, 'The flow\'s name (lower_snake_case), unique among a flow and its subflows'),
    version: doc(Type.Union([Type.String(), Type.Number()]), 'Version of this flow, recorded with every call it runs'),
    description: Type.Optional(doc(Type.String(), 'Note for flow authors; not spoken')),
    languages: Type.Optional(doc(Type.Array(Language, { minItems: 1 }), 'Languages every prompt needs; first is default')),
    firm: Type.Optional(doc(Firm, 'Required in a main flow; subflows use the caller flow firm')),
    voice: Type.Optional(
      doc(
        Type.Object(
          { en: Type.Optional(doc(Type.String(), 'Voice for English prompts')), es: Type.Optional(doc(Type.String(), 'Voice for Spanish prompts')) },
          { additionalProperties: false },
        ),
        'TTS voice per language',
      ),
    ),
    slots: Type.Optional(doc(Type.Record(Id, Slot), 'The values the call collects, by name (the intake fields)')),
    globals: Type.Optional(doc(Globals, 'Handlers that work at any step: asking for a person, emergencies, repeat, goodbye, silence')),
    faq: Type.Optional(doc(Faq, 'Questions callers ask (hours, fee, address, practice areas, ...) and their answers')),
    start: doc(Type.String(), 'Name of the first step'),
    steps: doc(Type.Record(Id, Step), 'The steps of the call, by name'),
  },
  { additionalProperties: false },
);

export type TextT = Static<typeof Text>;
export type FirmT = Static<typeof Firm>;
export type SlotT = Static<typeof Slot>;
export type AskStepT = Static<typeof AskStep>;
export type DecideStepT = Static<typeof DecideStep>;
export type FaqT = Static<typeof Faq>;
export type BranchStepT = Static<typeof BranchStep>;
export type SetStepT = Static<typeof SetStep>;
export type EffectStepT = Static<typeof EffectStep>;
export type TransferStepT = Static<typeof TransferStep>;
export type SubflowStepT = Static<typeof SubflowStep>;
export type EndStepT = Static<typeof EndStep>;
export type SayStepT = Static<typeof SayStep>;
export type GlobalsT = Static<typeof Globals>;
export type FlowT = Static<typeof Flow>;
export type StepKind = (typeof STEP_KINDS)[number][0];

export function stepKind(step: object): StepKind | null {
  for (const [k] of STEP_KINDS) if (k in step) return k;
  return null;
}

/** The JSON Schema as published in flows/flow.schema.json. */
export function flowJsonSchema(): Record<string, unknown> {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://hermes.dev/flow.schema.json',
    title: 'HERMES call flow',
    ...JSON.parse(JSON.stringify(Flow)),
  };
}
