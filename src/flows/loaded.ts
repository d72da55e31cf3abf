// LoadedFlow: a checked Program plus what channels ask of a flow before any call (prompt cache, STT keyterms, voice).
import type { Language } from './commands.js';
import type { FixedPrompt, LoadedFlow } from './core.js';
import { PHRASES, PHRASE_VARIANTS, type PhraseId } from './phrases.js';
import type { Program } from './program.js';
import type { TextT } from './schema.js';
import { isFixed, render } from './templates.js';

export class CompiledFlow implements LoadedFlow {
  readonly id: string;
  readonly version: string;
  readonly file: string;
  readonly program: Program;

  constructor(program: Program) {
    this.program = program;
    this.id = program.root.def.id;
    this.version = String(program.root.def.version);
    this.file = program.root.file;
  }

  /** Facts about the firm that templates may read as {{firm.*}}. */
  firmView(): Record<string, unknown> {
    const f = this.program.firm;
    return {
      name: f.name,
      main_number: f.main_number ?? '',
      on_call: f.on_call?.[0] ?? '',
      // Every on-call number in order: "{{firm.on_call_numbers}}" alone as an effect argument passes the list.
      on_call_numbers: [...(f.on_call ?? [])],
      consultation_fee: f.consultation_fee ?? 0,
      timezone: f.timezone,
      // The firm's setting (tenant record) decides per call; a flow alone never claims to record.
      recording: false,
    };
  }

  /** promptId of a flow text: stable across loads so cached audio survives restarts. */
  static promptId(unit: string, step: string, field: string, language: Language): string {
    return `${unit}.${step}.${field}.${language}`;
  }

  fixedPrompts(): FixedPrompt[] {
    const out: FixedPrompt[] = [];
    // A text that reads {{firm.recording}} is said one way or the other depending on the firm: both are cached.
    const views = [{ firm: this.firmView() }, { firm: { ...this.firmView(), recording: true } }];
    for (const u of this.program.units.values())
      for (const [name, step] of Object.entries(u.def.steps))
        for (const field of ['say', 'prompt', 'reprompt', 'help'] as const) {
          const text = (step as Record<string, unknown>)[field] as TextT | undefined;
          if (!text) continue;
          for (const language of this.program.languages) {
            const t = text[language];
            if (!t || !isFixed(t)) continue;
            const texts = new Set(views.map((view) => render(t, view)));
            for (const text of texts) out.push({ promptId: CompiledFlow.promptId(u.id, name, field, language), text, language });
          }
        }
    for (const [id, text] of Object.entries(PHRASES))
      for (const language of this.program.languages) {
        out.push({ promptId: `hermes.${id}.${language}`, text: text[language], language });
        (PHRASE_VARIANTS[id as PhraseId]?.[language] ?? []).forEach((t, i) => out.push({ promptId: `hermes.${id}.${i + 1}.${language}`, text: t, language }));
      }
    return out;
  }

  keyterms(): string[] {
    const terms = new Set<string>([this.program.firm.name]);
    for (const slot of this.program.slots.values()) {
      for (const k of slot.keyterms ?? []) terms.add(k);
      for (const v of slot.values ?? []) for (const s of v.synonyms ?? []) terms.add(s);
    }
    return [...terms];
  }

  mainNumber(): string | null {
    return this.program.firm.main_number ?? null;
  }

  voice(language: Language): string | null {
    return this.program.root.def.voice?.[language] ?? null;
  }

  timing(): { silenceRepromptMs: number; silenceEndMs: number } {
    const s = this.program.globals.silence ?? {};
    return { silenceRepromptMs: s.reprompt_ms ?? 6000, silenceEndMs: s.end_ms ?? 30000 };
  }
}
