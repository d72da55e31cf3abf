// Primitive types several rooms share (flows, reasoning, speech, call). This file is on the lowest floor: it imports
// nothing, so any room may import it without an import going the wrong way (reasoning/ never imports flows/).

/** A conversation language HERMES speaks. */
export type Language = 'en' | 'es';

/** One STT hypothesis; the first alternative of an utterance is the best one. */
export interface Alternative {
  text: string;
  confidence: number;
}
