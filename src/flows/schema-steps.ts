// The step kinds of a call flow. A step's kind is the one kind key it has (ask, decide, branch, set, effect,
// transfer, subflow, end, say). The published schema picks the kind's schema with if/then on that key, so an editor
// (VS Code YAML, JetBrains) validates a step against its own kind only and names the real problem ("Property retries is
// not allowed") instead of listing what every other kind would have needed (an anyOf's "missing property 'branch'").
import { Type, type Static } from '@sinclair/typebox';
import { ConfirmMode, doc, Id, Next, StepRef, StringEnum, Text } from './schema-parts.js';

export const SLOT_TYPES = ['text', 'person_name', 'phone', 'email', 'date', 'yes_no', 'enum', 'number', 'digits', 'address'] as const;
export const EFFECT_ACTIONS = ['clio.conflict_check', 'clio.create_intake', 'payment.link_sms', 'lawpay.payment_link_sms', 'sms.send', 'webhook', 'take_message'] as const;
export const OUTCOMES = ['completed', 'transferred', 'message', 'conflict', 'abandoned'] as const;
export const GLOBAL_INTENTS = ['human', 'emergency', 'repeat', 'start_over', 'goodbye', 'language'] as const;

const Common = {
  description: Type.Optional(doc(Type.String(), 'Note for flow authors; not spoken')),
  ignore_global: Type.Optional(
    doc(Type.Array(StringEnum(GLOBAL_INTENTS, 'A global handler')), 'Global handlers switched off at this step'),
  ),
};

export const SayStep = Type.Object(
  {
    say: doc(Text, 'What HERMES says, then it goes to `next`'),
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
    prompt: doc(Text, 'The question'),
    reprompt: Type.Optional(doc(Text, 'Asked again after silence or an answer that did not fit (default: the prompt)')),
    confirm: Type.Optional(ConfirmMode),
    max_attempts: Type.Optional(doc(Type.Integer({ minimum: 1, maximum: 10 }), 'Tries before giving up on this question (default 3)')),
    on_max_attempts: Type.Optional(StepRef('when the caller cannot answer')),
    dtmf: Type.Optional(doc(Type.Record(Type.String({ pattern: '^[0-9*#]$' }), Type.String()), 'Key -> value: a key press answers a yes_no or enum slot')),
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
  {
    if: doc(Type.String(), 'Condition (filtrex), e.g. practice_area == "family" and not after_hours'),
    goto: StepRef('when the condition is true'),
  },
  { additionalProperties: false },
);
export const BranchStep = Type.Object(
  {
    branch: doc(Type.Array(BranchCase, { minItems: 1 }), 'Conditions tried in order; the first true one decides where the call goes'),
    else: StepRef('when no condition is true'),
    ...Common,
  },
  { additionalProperties: false },
);

export const SetStep = Type.Object(
  { set: doc(Type.Record(Id, Type.String()), 'slot -> expression (filtrex), evaluated in order'), next: Next, ...Common },
  { additionalProperties: false },
);

export const EffectStep = Type.Object(
  {
    effect: StringEnum(EFFECT_ACTIONS, 'What to do outside the call: a Clio conflict check or intake, a consultation-fee payment link by SMS (payment.link_sms, through the firm\'s provider; lawpay.payment_link_sms is its older name), an SMS, a webhook, or taking a message for the staff'),
    args: Type.Optional(doc(Type.Record(Type.String(), Type.Unknown()), 'Arguments; strings are templates')),
    results: Type.Optional(doc(Type.Record(Id, Type.String()), 'slot -> field of the effect result to store')),
    say: Type.Optional(doc(Text, 'Said while the effect runs')),
    on_success: StepRef('when the effect succeeded (or was queued for delivery)'),
    on_failure: Type.Optional(StepRef('when the effect failed, so the caller still hears a way forward')),
    ...Common,
  },
  { additionalProperties: false },
);

export const TransferStep = Type.Object(
  {
    transfer: doc(
      Type.Object(
        {
          to: Type.Optional(doc(Type.String(), 'E.164 number or template such as {{firm.on_call}}')),
          mode: Type.Optional(StringEnum(['warm', 'cold'] as const, 'warm (default): each number rings in turn and must press 1 after a whisper; cold: a blind transfer to the first number')),
          reason: Type.Optional(doc(Type.String(), 'Why the call is transferred; recorded with the call and shown to staff')),
          whisper: Type.Optional(doc(Text, 'Warm only: what the person answering hears before pressing 1 (in the flow\'s first language)')),
          ring_timeout_ms: Type.Optional(doc(Type.Integer({ minimum: 5000, maximum: 120000 }), 'Warm only: how long each number rings before the next is tried (default 20000)')),
        },
        { additionalProperties: false },
      ),
      'Hand the call to a person: where to, and how',
    ),
    say: Type.Optional(doc(Text, 'Said before the transfer starts')),
    on_no_answer: Type.Optional(StepRef('when nobody picks up')),
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
    end: StringEnum(OUTCOMES, 'How the call ended, recorded as the intake outcome'),
    say: Type.Optional(doc(Text, 'Said before hanging up')),
    reason: Type.Optional(doc(Type.String(), 'Why the call ended here; recorded with the call')),
    ...Common,
  },
  { additionalProperties: false },
);

/** The key that decides a step's kind, and the schema of that kind, in the order kinds are recognised. */
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

const StepUnion = Type.Union(STEP_KINDS.map(([, s]) => s));
export type StepT = Static<typeof StepUnion>;

/**
 * if (has ask) then AskStep else if (has decide) then DecideStep ... else SayStep: each step meets exactly one kind's
 * schema, the way validate-shape.ts and stepKind() pick it. A step with none of the kind keys is checked as a say
 * step, so the editor asks for `say` and names its unknown keys.
 */
function discriminated(): Record<string, unknown> {
  const kinds = [...STEP_KINDS];
  let chain: Record<string, unknown> = JSON.parse(JSON.stringify(kinds.pop()![1])) as Record<string, unknown>;
  for (const [key, schema] of kinds.reverse())
    // JSON Schema's if/then/else keywords, not a promise: `then` is the schema of the kind the `if` recognised.
    // oxlint-disable-next-line unicorn/no-thenable
    chain = { if: { type: 'object', required: [key] }, then: JSON.parse(JSON.stringify(schema)) as unknown, else: chain };
  return { type: 'object', description: `One step of the call. Its kind is the one kind key it has: ${STEP_KINDS.map(([k]) => k).join(', ')}`, ...chain };
}
export const Step = Type.Unsafe<StepT>(discriminated());
