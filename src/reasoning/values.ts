// The vocabulary both the reasoner interface (types.ts) and the interpretation (interpretation.ts) are written in:
// slots, what the caller said, the call context, values and verdicts. Its own file so neither of the two imports
// the other's module for these (no import circle).
import type { Alternative, Language } from '../primitives.js';

export type SlotType =
  | 'text'
  | 'person_name'
  | 'phone'
  | 'email'
  | 'date'
  | 'yes_no'
  | 'enum'
  | 'number'
  | 'digits'
  | 'address';

export type ConfirmPolicy = 'never' | 'always' | 'when_unsure';

export interface EnumValue {
  value: string;
  synonyms: string[];
}

export interface SlotSpec {
  name: string;
  type: SlotType;
  /** For enum slots. */
  values?: EnumValue[];
  confirm: ConfirmPolicy;
  /** Consistency a value must reach to be accepted without read-back (0..1); default 0.8. */
  threshold?: number;
  /** For date slots: whether dates in the future / past are plausible. */
  dateRange?: 'past' | 'future' | 'any';
  /** For digits slots: allowed lengths. */
  minLength?: number;
  maxLength?: number;
  /**
   * From the flow's `cues:`: phrases that show the caller is giving this slot unasked (lead-ins for text, name and
   * date slots; for yes_no, phrases that mean yes). Understanding uses them to place volunteered values.
   */
  cues?: Partial<Record<Language, string[]>>;
  /** The flow's description of the slot, for the LLM and for disambiguating volunteered values. */
  description?: string;
  /**
   * Text slots: the slot names another party (flow `party:`); the value is the name taken from the phrase. Absent:
   * guessed from the slot's name and description (understand/volunteer.ts isPartySlot).
   */
  party?: boolean;
}

/** What the caller said, with recognition alternatives (best first). */
export interface UtteranceInput {
  text: string;
  alternatives: Alternative[];
  confidence: number;
}

export interface ReasoningContext {
  /** Call time; relative dates are resolved against it in `timezone`. */
  now: Date;
  timezone: string;
  /** ISO 3166 region for phone numbers without a country code, e.g. "US". */
  defaultRegion: string;
  language: Language;
  /** Recent turns, oldest first; already redacted of card-like digit runs. */
  transcript: { speaker: 'caller' | 'agent'; text: string }[];
  slots: Record<string, unknown>;
  /** Hard deadline for this decision in ms; reasoning returns its best answer by then. */
  deadlineMs?: number;
}

/** A slot value in its canonical form: E.164 phone, lower-case email, YYYY-MM-DD date, boolean yes/no, enum value. */
export type SlotValue = string | number | boolean;

export interface Verdict {
  /** Share of samples (or alternatives) that agree with the value, adjusted for small samples (0..1). */
  consistency: number;
  /** The value most samples agreed on (may differ from the first extraction). */
  value?: SlotValue;
  samples: number;
}
