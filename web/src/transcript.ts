// A call's turns as the conversation staff read: who spoke, what the caller actually heard when they cut HERMES off
// (the rest is shown as not heard), and which prompts HERMES had already said. Pure, so it is tested without a DOM.

export interface TurnIn {
  seq: number;
  speaker: string;
  text: string;
  heardText: string | null;
  interrupted: boolean;
  startedAt: string | null;
}

export interface Line {
  seq: number;
  who: 'HERMES' | 'Caller';
  said: string;
  /** What HERMES meant to say but the caller never heard (they spoke over it); null when all of it was heard. */
  notHeard: string | null;
  repeated: boolean;
  at: string | null;
}

export function conversation(turns: readonly TurnIn[]): Line[] {
  const agentSaid = new Set<string>();
  return turns.map((t) => {
    const agent = t.speaker !== 'caller';
    const repeated = agent && agentSaid.has(t.text.trim());
    if (agent) agentSaid.add(t.text.trim());
    const cut = agent && t.interrupted && t.heardText !== null && t.heardText !== t.text;
    const heard = cut ? (t.heardText ?? '') : t.text;
    const rest = cut ? (t.text.startsWith(heard) ? t.text.slice(heard.length) : t.text).trim() : '';
    return { seq: t.seq, who: agent ? 'HERMES' : 'Caller', said: heard, notHeard: cut && rest ? rest : null, repeated, at: t.startedAt };
  });
}
