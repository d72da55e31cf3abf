// The call-flow language: one TypeBox definition gives both the TypeScript types the compiler and engine use and the
// JSON Schema published as flows/flow.schema.json (editors pick it up via `# yaml-language-server: $schema=...`).
// This file only describes shape; meaning (references, reachability, translations) is checked in compile.ts.
import { Type, type Static, type TSchema } from '@sinclair/typebox';

const doc = <T extends TSchema>(schema: T, description: string): T => ({ ...schema, description });

export const LANGUAGES = ['en', 'es'] as const;
export const SLOT_TYPES = ['text', 'person_name', 'phone', 'email', 'date', 'yes_no', 'enum', 'number', 'digits', 'address'] as const;
export const EFFECT_ACTIONS = [
  'clio.conflict_check',
  'clio.create_intake',
  'payment.link_sms',
  'lawpay.payment_link_sms',
  'sms.send',
  'webhook',
  'take_message',
] as const;
export const OUTCOMES = ['completed', 'transferred', 'message', 'conflict', 'abandoned'] as const;
export const GLOBAL_INTENTS = ['human', 'emergency', 'repeat', 'start_over', 'goodbye', 'language'] as const;

const Id = Type.String({ pattern: '^[a-z][a-z0-9_]*$', description: 'lower_snake_case name' });
const Language = Type.Union(LANGUAGES.map((l) => Type.Literal(l)));

/** A prompt in every language the flow speaks, e.g. {en: "Hello", es: "Hola"}. Mustache templates over slots and firm. */
export const Text = doc(
  Type.Object({ en: Type.Optional(Type.String()), es: Type.Optional(Type.String()) }, { additionalProperties: false }),
  'Text per language: {en: "...", es: "..."}. {{slot}} and {{firm.name}} are filled in.',
);
const WordList = doc(
  Type.Object(
    { en: Type.Optional(Type.Array(Type.String())), es: Type.Optional(Type.Array(Type.String())) },
    { additionalProperties: false },
  ),
  'Phrases per language that trigger this handler anywhere in the call',
);

const BusinessHours = doc(
  Type.Object(
    {
      days: Type.Array(Type.Union(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => Type.Literal(d)))),
      open: Type.String({ pattern: '^[0-2][0-9]:[0-5][0-9]$' }),
      close: Type.String({ pattern: '^[0-2][0-9]:[0-5][0-9]$' }),
    },
    { additionalProperties: false },
  ),
  'Office hours in the firm timezone; outside them `after_hours` is true',
);

export const Firm = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    timezone: doc(Type.String({ minLength: 1 }), 'IANA zone, e.g. America/New_York'),
    default_region: Type.Optional(doc(Type.String({ pattern: '^[A-Z]{2}$' }), 'Country for phone numbers without +code')),
    business_hours: BusinessHours,
    main_number: Type.Optional(Type.String()),
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
    value: Id,
    synonyms: Type.Optional(Type.Array(Type.String())),
    label: Type.Optional(doc(Text, 'How HERMES names this value to callers ("a family matter"); default: the value with spaces')),
  },
  { additionalProperties: false },
);

export const Slot = Type.Object(
  {
    type: Type.Union(SLOT_TYPES.map((t) => Type.Literal(t))),
    values: Type.Optional(doc(Type.Array(EnumValue), 'Allowed values of an enum slot')),
    confirm: Type.Optional(Type.Union([Type.Literal('never'), Type.Literal('always'), Type.Literal('when_unsure')])),
    threshold: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    date_range: Type.Optional(Type.Union([Type.Literal('past'), Type.Literal('future'), Type.Literal('any')])),
    min_length: Type.Optional(Type.Integer({ minimum: 1 })),
    max_length: Type.Optional(Type.Integer({ minimum: 1 })),
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
        Type.Object({ en: Type.Optional(Type.Array(Type.String())), es: Type.Optional(Type.Array(Type.String())) }, { additionalProperties: false }),
        'Phrases that show the caller is giving this slot without being asked: lead-ins for text, name and date slots ("the other driver was", "court date"); for yes_no slots, phrases that mean yes ("in custody")',
      ),
    ),
    description: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

const Next = doc(Type.String(), 'Name of the next step (`return` inside a subflow goes back to the caller)');
const IgnoreGlobal = Type.Optional(
  doc(Type.Array(Type.Union(GLOBAL_INTENTS.map((g) => Type.Literal(g)))), 'Global handlers switched off at this step'),
);
const Common = {
  description: Type.Optional(Type.String()),
  ignore_global: IgnoreGlobal,
};

export const SayStep = Type.Object(
  {
    say: Text,
    generate: Type.Optional(doc(Type.String(), 'Let the LLM word the reply; `say` is the fallback text')),
    interruptible: Type.Optional(doc(Type.Boolean(), 'false for text the caller must hear in full (disclosures)')),
    next: Next,
    ...Common,
  },
  { additionalProperties: false },
);

export const AskStep = Type.Object(
  {
    ask: doc(Id, 'The slot this question fills'),
    prompt: Text,
    reprompt: Type.Optional(Text),
    confirm: Type.Optional(Type.Union([Type.Literal('never'), Type.Literal('always'), Type.Literal('when_unsure')])),
    max_attempts: Type.Optional(Type.Integer({ minimum: 1, maximum: 10 })),
    on_max_attempts: Type.Optional(doc(Type.String(), 'Step to go to when the caller cannot answer')),
    dtmf: Type.Optional(doc(Type.Record(Type.String({ pattern: '^[0-9*#]$' }), Type.String()), 'Key -> value')),
    timeout_ms: Type.Optional(doc(Type.Integer({ minimum: 1000 }), 'Silence before a reprompt at this step')),
    help: Type.Optional(doc(Text, 'Second try: what is wanted, with an example (default: built in per slot type)')),
    acknowledge: Type.Optional(
      doc(Text, 'Said instead of the question when the caller already gave this slot earlier, e.g. "Got it, {{heard}}." ({{heard}} is how the value is read back)'),
    ),
    caller_id_prompt: Type.Optional(
      doc(Text, 'Phone slots: asked instead of `prompt` when the caller ID is known, as one yes/no question, e.g. "Should we call you back at the number ending in {{caller.last_four}}?"'),
    ),
    next: Next,
    ...Common,
  },
  { additionalProperties: false },
);

export const DecideStep = Type.Object(
  {
    decide: doc(Id, 'The yes_no or enum slot a decision fills (Tree of Thought online, rules offline); left empty when unsure'),
    question: doc(Type.String({ minLength: 1 }), 'What is being decided, in words the reasoner reads, e.g. "Is this an emergency?"'),
    from: Type.Optional(doc(Type.Array(Id), 'Slots whose text is judged (default: what the caller said so far)')),
    min_confidence: Type.Optional(doc(Type.Number({ minimum: 0, maximum: 1 }), 'Below this the slot stays empty (default 0.6)')),
    next: Next,
    ...Common,
  },
  { additionalProperties: false },
);

export const BranchCase = Type.Object(
  { if: doc(Type.String(), 'Condition (filtrex), e.g. practice_area == "family" and not after_hours'), goto: Type.String() },
  { additionalProperties: false },
);
export const BranchStep = Type.Object(
  { branch: Type.Array(BranchCase, { minItems: 1 }), else: Type.String(), ...Common },
  { additionalProperties: false },
);

export const SetStep = Type.Object(
  { set: doc(Type.Record(Id, Type.String()), 'slot -> expression'), next: Next, ...Common },
  { additionalProperties: false },
);

export const EffectStep = Type.Object(
  {
    effect: Type.Union(EFFECT_ACTIONS.map((a) => Type.Literal(a))),
    args: Type.Optional(doc(Type.Record(Type.String(), Type.Unknown()), 'Arguments; strings are templates')),
    results: Type.Optional(doc(Type.Record(Id, Type.String()), 'slot -> field of the effect result to store')),
    say: Type.Optional(doc(Text, 'Said while the effect runs')),
    on_success: Type.String(),
    on_failure: Type.Optional(Type.String()),
    ...Common,
  },
  { additionalProperties: false },
);

export const TransferStep = Type.Object(
  {
    transfer: Type.Object(
      {
        to: Type.Optional(doc(Type.String(), 'E.164 number or template such as {{firm.on_call}}')),
        mode: Type.Optional(doc(Type.Union([Type.Literal('warm'), Type.Literal('cold')]), 'warm (default): each number rings in turn and must press 1 after a whisper; cold: a blind transfer to the first number')),
        reason: Type.Optional(Type.String()),
        whisper: Type.Optional(doc(Text, 'Warm only: what the person answering hears before pressing 1 (in the flow\'s first language)')),
        ring_timeout_ms: Type.Optional(doc(Type.Integer({ minimum: 5000, maximum: 120000 }), 'Warm only: how long each number rings before the next is tried (default 20000)')),
      },
      { additionalProperties: false },
    ),
    say: Type.Optional(Text),
    on_no_answer: Type.Optional(doc(Type.String(), 'Step when nobody picks up')),
    ...Common,
  },
  { additionalProperties: false },
);

export const SubflowStep = Type.Object(
  { subflow: doc(Type.String(), 'Flow file, relative to this one'), next: Next, ...Common },
  { additionalProperties: false },
);

export const EndStep = Type.Object(
  {
    end: Type.Union(OUTCOMES.map((o) => Type.Literal(o))),
    say: Type.Optional(Text),
    reason: Type.Optional(Type.String()),
    ...Common,
  },
  { additionalProperties: false },
);

export const Step = Type.Union([AskStep, DecideStep, BranchStep, SetStep, EffectStep, TransferStep, SubflowStep, EndStep, SayStep]);

/** The key that decides a step's kind, and the schema of that kind (used to report one clear error per step). */
export const STEP_KINDS = [
  ['ask', AskStep],
  ['decide', DecideStep],
  ['branch', BranchStep],
  ['set', SetStep],
  ['effect', EffectStep],
  ['transfer', TransferStep],
  ['subflow', SubflowStep],
  ['end', EndStep],
  ['say', SayStep],
] as const;

export const GlobalHandler = Type.Object(
  {
    words: Type.Optional(WordList),
    dtmf: Type.Optional(Type.String({ pattern: '^[0-9*#]$' })),
    goto: Type.Optional(doc(Type.String(), 'Step to run when triggered (human, emergency, goodbye)')),
  },
  { additionalProperties: false },
);

export const Globals = Type.Object(
  {
    human: Type.Optional(GlobalHandler),
    emergency: Type.Optional(GlobalHandler),
    repeat: Type.Optional(GlobalHandler),
    start_over: Type.Optional(GlobalHandler),
    goodbye: Type.Optional(GlobalHandler),
    language: Type.Optional(GlobalHandler),
    corrections: Type.Optional(doc(Type.Boolean(), '"no, my name is ..." fixes an earlier answer (default true)')),
    silence: Type.Optional(
      Type.Object(
        {
          reprompt_ms: Type.Optional(Type.Integer({ minimum: 1000 })),
          max_reprompts: Type.Optional(Type.Integer({ minimum: 0 })),
          end_ms: Type.Optional(doc(Type.Integer({ minimum: 1000 }), 'Total silence in a call before giving up')),
          goto: Type.Optional(Type.String()),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

const FaqTopic = Type.Object(
  {
    answer: doc(Text, 'What HERMES says; {{firm.*}} facts are filled in (firm.hours, firm.address, firm.consultation_fee)'),
    examples: Type.Optional(doc(WordList, 'How callers ask (needed for a topic that is not built in)')),
  },
  { additionalProperties: false },
);
const NotHandled = Type.Object(
  {
    matter: doc(Text, 'The matter as HERMES names it: "landlord-tenant matters"'),
    words: doc(WordList, 'What callers call it: eviction, landlord, desalojo, ...'),
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
      Type.Object(
        {
          handled: Type.Optional(doc(Text, 'The matters the firm takes, as a phrase: "injuries, family law, criminal defense, ..."')),
          not_handled: Type.Optional(Type.Array(NotHandled)),
          goto: Type.Optional(doc(Type.String(), 'Step for a caller whose matter the firm does not take')),
        },
        { additionalProperties: false },
      ),
    ),
    unknown: Type.Optional(doc(Text, 'Said for a question outside the FAQ (default: "I can\'t answer that, but I\'ll note it for the attorney.")')),
  },
  { additionalProperties: false },
);

export const Flow = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    id: Id,
    version: Type.Union([Type.String(), Type.Number()]),
    description: Type.Optional(Type.String()),
    languages: Type.Optional(doc(Type.Array(Language, { minItems: 1 }), 'Languages every prompt needs; first is default')),
    firm: Type.Optional(doc(Firm, 'Required in a main flow; subflows use the caller flow firm')),
    voice: Type.Optional(doc(Type.Object({ en: Type.Optional(Type.String()), es: Type.Optional(Type.String()) }, { additionalProperties: false }), 'TTS voice per language')),
    slots: Type.Optional(Type.Record(Id, Slot)),
    globals: Type.Optional(Globals),
    faq: Type.Optional(doc(Faq, 'Questions callers ask (hours, fee, address, practice areas, ...) and their answers')),
    start: Type.String(),
    steps: Type.Record(Id, Step),
  },
  { additionalProperties: false },
);

export type TextT = Static<typeof Text>;
export type FirmT = Static<typeof Firm>;
export type SlotT = Static<typeof Slot>;
export type StepT = Static<typeof Step>;
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
