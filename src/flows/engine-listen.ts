// One final utterance, understood once (Reasoner.understand) and executed deterministically: requests route as the
// globals say, corrections are applied and read back, every fill is applied (the asked slot answers the question,
// volunteered ones make later questions unnecessary), caller questions are answered and the pending question is put
// again in the same turn. A value that wants a read-back never counts as confirmed before the caller says yes.
import type { Command } from './commands.js';
import type { EngineState, Frame } from './engine-state.js';
import type { Runner } from './engine-run.js';
import { slotSpec, type Support } from './engine-support.js';
import { answerQuestion, describedNotHandled, faqTopics } from './faq.js';
import { callerIdSpoken, PHRASES } from './phrases.js';
import { GLOBAL_INTENTS } from './schema.js';
import { looksLikeCorrection, looksSpanish } from './intents.js';
import { noteHeard } from './engine-values.js';
import { respelled } from './spell-back.js';
import type { CallerRequest, CallerRequestKind, FaqTopic, Interpretation, SlotFill, UnderstandingContext } from '../reasoning/interpretation.js';
import type { Reasoner, SlotSpec, SlotValue, UtteranceInput, Verdict } from '../reasoning/types.js';

/** Where caller questions outside the FAQ are kept for the attorney (an intake field, whether or not declared). */
export const CALLER_QUESTIONS = 'caller_questions';

type Confirm = Extract<NonNullable<EngineState['awaiting']>, { kind: 'confirm' }>;

export interface ListenerHost {
  /** Late validation of a value stored unconfirmed (Monte Carlo still running). */
  watch(slot: string, value: SlotValue, spoken: string, verdict: Promise<Verdict>): void;
}

export class Listener {
  private readonly faq: FaqTopic[];
  private readonly requestWords: UnderstandingContext['requestWords'];

  constructor(
    private readonly sup: Support,
    private readonly s: EngineState,
    private readonly run: Runner,
    private readonly reasoner: Reasoner,
    private readonly host: ListenerHost,
  ) {
    const p = sup.program;
    this.faq = faqTopics(p);
    const words: NonNullable<UnderstandingContext['requestWords']> = {};
    for (const kind of GLOBAL_INTENTS) {
      const w = p.globals[kind]?.words;
      if (w && (w.en?.length || w.es?.length)) words[kind] = { ...(w.en?.length ? { en: w.en } : {}), ...(w.es?.length ? { es: w.es } : {}) };
    }
    this.requestWords = words;
  }

  private spec(slot: string): SlotSpec {
    const step = this.run.currentAsk();
    return slotSpec(slot, this.sup.program.slots.get(slot)!, step?.ask === slot ? step : undefined);
  }

  /** What understanding needs: the pending question, every slot the caller could fill now, caller ID, FAQ, words. */
  context(): UnderstandingContext {
    const s = this.s;
    const aw = s.awaiting;
    const p = this.sup.program;
    const asked = aw?.kind === 'answer' || aw?.kind === 'spell' || aw?.kind === 'confirm' ? aw.slot : undefined;
    const names = [...p.askable].filter((n) => p.slots.has(n));
    if (asked) names.sort((a, b) => (a === asked ? -1 : b === asked ? 1 : 0));
    const ctx: UnderstandingContext = {
      ...this.sup.ctx(s),
      slotsInScope: names.map((n) => this.spec(n)),
      faq: this.faq,
      disabledRequests: [...(this.run.currentAsk()?.ignore_global ?? this.run.currentStep()?.ignore_global ?? [])],
    };
    if (asked) ctx.asked = { slot: asked, purpose: aw!.kind === 'answer' ? 'answer' : (aw!.kind as 'confirm' | 'spell'), ...(aw!.kind === 'confirm' ? { pendingValue: aw!.value } : {}) };
    const callerId = this.sup.callerId();
    if (callerId) ctx.callerId = callerId;
    if (this.requestWords && Object.keys(this.requestWords).length) ctx.requestWords = this.requestWords;
    return ctx;
  }

  async onUtterance(input: UtteranceInput, out: Command[]): Promise<void> {
    const s = this.s;
    const text = input.text.trim();
    const aw = s.awaiting;
    if (!aw || aw.kind === 'effect' || aw.kind === 'transfer' || aw.kind === 'decide') return;
    s.transcript.push({ speaker: 'caller', text });
    s.utterances++;
    s.silences = 0;
    if (!text) return this.notUnderstood(out, 'nothing');
    const ctx = this.context();
    const it = await this.reasoner.understand({ ...input, text }, ctx);
    const p = this.sup.program;
    if (!it.corrections.length) await this.correctionFallback({ ...input, text }, ctx, it);
    noteHeard(s, it, (slot) => (p.slots.has(slot) ? this.spec(slot) : undefined), input);
    // Until understanding reports the language itself, the old cue list decides a Spanish opening.
    if (!it.language && s.utterances <= 2 && s.language !== 'es' && looksSpanish(text)) it.language = 'es';
    const disabled = new Set<string>(ctx.disabledRequests ?? []);
    const req = <K extends CallerRequestKind>(kind: K) =>
      it.requests.find((r): r is Extract<CallerRequest, { kind: K }> => r.kind === kind && !disabled.has(kind));
    // A caller who opens in another language the flow speaks gets the rest of the call in it.
    if (it.language && it.language !== s.language && s.language === p.languages[0] && s.utterances <= 2 && p.languages.includes(it.language)) s.language = it.language;

    const lang = req('language');
    if (lang && p.languages.includes(lang.language)) {
      this.applyOthers(it, ctx.asked?.slot, out);
      s.language = lang.language;
      this.sup.phrase(s, out, 'language', PHRASES.language);
      return this.run.reask(out, 'first');
    }
    for (const kind of ['emergency', 'human'] as const) {
      const target = p.globals[kind]?.goto;
      if (!req(kind) || !target) continue;
      // Everything said on the way in is kept, so a dropped transfer never leaves an empty intake.
      this.applyOthers(it, undefined, out);
      this.noteQuestions(it, out, false);
      return this.run.jump(target, out);
    }
    if (req('goodbye')) {
      this.applyOthers(it, undefined, out);
      if (p.globals.goodbye?.goto) return this.run.jump(p.globals.goodbye.goto, out);
      return this.run.finish(out, 'abandoned', 'caller said goodbye', 'goodbye');
    }
    if (req('start_over')) {
      this.sup.phrase(s, out, 'start_over', PHRASES.start_over);
      return this.run.startOver(out);
    }
    if (req('repeat') && !it.fills.length && !it.corrections.length) return this.run.replay(out);

    const asked = ctx.asked?.slot;
    const corrected = this.applyCorrections(it, asked, out);
    const volunteered = this.applyOthers(it, asked, out, true);
    const answered = this.noteQuestions(it, out, true);
    // A matter the firm does not take leads to the flow's path for it only while the caller's own matter is open:
    // a caller mid-way through an injury intake who asks "do you do evictions too?" just hears the answer.
    if (answered === 'not_handled' && s.slots.practice_area == null) return this.run.jump(p.faq.practice_areas!.goto!, out);
    // Told rather than asked ("my landlord is evicting me"), at the open question or the matter's own: same answer.
    const told = answered === 'none' && aw.kind === 'answer' && s.slots.practice_area == null && (p.slots.get(aw.slot)?.type === 'text' || aw.slot === 'practice_area')
      ? describedNotHandled(p, text, s.language) : null;
    if (told) {
      const own = it.fills.find((f) => f.slot === aw.slot && p.slots.get(aw.slot)?.type === 'text');
      if (own) this.run.setSlot(own.slot, own.value, true, out, own.spoken);
      this.sup.sayDynamic(s, out, told.text);
      return this.run.jump(p.faq.practice_areas!.goto!, out);
    }

    if (aw.kind === 'confirm') return this.onConfirm(it, aw, out, corrected || volunteered || answered !== 'none', { ...input, text });
    const resume = aw.resume;
    const own = it.fills.find((f) => f.slot === aw.slot) ?? it.corrections.find((c) => c.slot === aw.slot);
    if (own) return this.accept(own, aw.kind === 'spell', resume, out);
    const byId = it.requests.find((r) => r.kind === 'use_caller_id' && (r.slot ?? aw.slot) === aw.slot);
    if (byId) return this.useCallerId(aw.slot, resume, out);
    const skip = it.requests.find((r) => r.kind === 'skip' && (r.slot ?? aw.slot) === aw.slot);
    if (skip) {
      // Declined or nobody ("no other party", "none"): the slot stays empty (null in the intake), its question is
      // not asked again, and no "none" reaches a conflict check as if it were a name.
      s.declined.push(aw.slot);
      this.sup.phrase(s, out, 'skipped', PHRASES.skipped);
      return this.run.answered(out, resume);
    }
    if (it.requests.some((r) => r.kind === 'unknown' && (r.slot ?? aw.slot) === aw.slot)) {
      this.sup.phrase(s, out, 'unknown', PHRASES.unknown);
      return this.run.giveUp(out, { quiet: true });
    }
    if (corrected || volunteered || answered !== 'none') {
      if (volunteered && !corrected && answered === 'none') this.sup.phrase(s, out, 'noted', PHRASES.noted);
      // Only questions, turn after turn, at the same prompt: the question is left, not put a fourth time (a caller who
      // kept asking something outside the FAQ was held at the prompt until the turn limit).
      if (!corrected && !volunteered && s.tries >= 3) return this.run.giveUp(out);
      return this.run.askSlot(out, 'again', resume, { noOffer: true });
    }
    const bad = it.invalid.find((i) => i.slot === aw.slot);
    if (bad?.askToSpell && aw.kind !== 'spell') return this.askToSpell(aw.slot, resume, out);
    if (bad) return this.notUnderstood(out, 'invalid');
    const offScript = text.split(/\s+/).length >= 4 && input.confidence >= 0.5;
    return this.notUnderstood(out, offScript ? 'offscript' : 'nothing');
  }

  /**
   * "No, my name is ..." when understanding reported no correction: the reasoner's correction building block finds
   * the earlier slot and extract reads the new value (the asked slot's own reading of the words is then dropped).
   */
  private async correctionFallback(input: UtteranceInput, ctx: UnderstandingContext, it: Interpretation): Promise<void> {
    const s = this.s;
    if (this.sup.program.globals.corrections === false || s.awaiting?.kind !== 'answer' || !looksLikeCorrection(input.text)) return;
    const current = s.awaiting.slot;
    const collected = ctx.slotsInScope.filter((c) => c.name !== current && s.slots[c.name] != null);
    if (!collected.length) return;
    const corr = await this.reasoner.correction(input, collected, this.sup.ctx(s));
    const spec = corr && collected.find((c) => c.name === corr.slot);
    if (!corr || !spec) return;
    const ex = await this.reasoner.extract(spec, { ...input, text: corr.utterance, alternatives: [{ text: corr.utterance, confidence: input.confidence }] }, this.sup.ctx(s));
    if (ex.status !== 'ok' || ex.value === undefined) return;
    it.corrections.push({ slot: corr.slot, value: ex.value, spoken: ex.spoken ?? String(ex.value), source: corr.utterance, confidence: ex.confidence, confirm: false });
    it.fills = it.fills.filter((f) => f.slot !== current && f.slot !== corr.slot);
    it.invalid = it.invalid.filter((i) => i.slot !== current);
    it.nothingUsable = false;
  }

  /** The flow's policy bounds understanding's suggestion: `always` always reads back, `never` never does. */
  private wantsReadBack(f: SlotFill, spelled: boolean): boolean {
    const policy = this.spec(f.slot).confirm;
    return spelled || policy === 'always' || (f.confirm && policy !== 'never');
  }

  /** The asked slot got a value: store it (or read it back first, or ask to spell) and go on. */
  private accept(f: SlotFill, spelled: boolean, resume: Frame[] | undefined, out: Command[]): void {
    if (this.s.rejected[f.slot]?.includes(f.value)) return this.heardRejectedAgain(f, resume, out);
    if (f.askToSpell && !spelled) return this.askToSpell(f.slot, resume, out);
    if (f.fromCallerId) return this.useCallerId(f.slot, resume, out);
    if (this.wantsReadBack(f, spelled)) return this.run.readBack(f.slot, f.value, f.spoken, out, resume ? { resume } : {});
    this.run.setSlot(f.slot, f.value, !f.lateVerdict, out, f.spoken);
    if (f.lateVerdict) this.host.watch(f.slot, f.value, f.spoken, f.lateVerdict);
    this.run.answered(out, resume);
  }

  /**
   * The same reading the caller already said no to: reading it back again would only loop ("I have November 26th.
   * Is that right?" three times). Say what keeps being heard and ask for it another way (the retry wording has an
   * example); after the last try the flow goes on without it.
   */
  private heardRejectedAgain(f: SlotFill, resume: Frame[] | undefined, out: Command[]): void {
    const s = this.s;
    if (++s.attempts >= this.run.maxAttempts()) return this.run.giveUp(out);
    this.sup.sayDynamic(s, out, s.language === 'es'
      ? `Sigo entendiendo ${f.spoken}, y usted me dijo que eso no es correcto.`
      : `I keep hearing ${f.spoken}, and you said that isn't right.`);
    this.run.askSlot(out, 'retry', resume, { noOffer: true });
  }

  private askToSpell(slot: string, resume: Frame[] | undefined, out: Command[]): void {
    const s = this.s;
    if (++s.attempts >= this.run.maxAttempts()) return this.run.giveUp(out);
    s.awaiting = { kind: 'spell', slot, ...(resume ? { resume } : {}) };
    this.sup.phrase(s, out, 'spell', PHRASES.spell);
    out.push(this.sup.listen(slot, this.run.currentAsk(), 'spell'));
  }

  /** "This number is fine": the caller hears the last four digits of their caller ID and confirms them. */
  private useCallerId(slot: string, resume: Frame[] | undefined, out: Command[]): void {
    const id = this.sup.callerId();
    const spec = this.sup.program.slots.get(slot);
    if (!id || spec?.type !== 'phone' || !spec.accept_caller_id) {
      this.sup.phrase(this.s, out, 'no_caller_id', PHRASES.no_caller_id);
      return this.run.askSlot(out, 'retry', resume, { noOffer: true });
    }
    this.run.readBack(slot, id, callerIdSpoken(this.s.language, id), out, { fromCallerId: true, ...(resume ? { resume } : {}) });
  }

  private async sameAsOffered(aw: Confirm, input: UtteranceInput): Promise<boolean> {
    const spec = this.sup.program.slots.get(aw.slot);
    if (spec?.type !== 'phone' || !/\d|\b(?:one|two|three|four|five|six|seven|eight|nine|oh|zero)\b/i.test(input.text)) return false;
    const ex = await this.reasoner.extract(this.spec(aw.slot), input, this.sup.ctx(this.s));
    return ex.status === 'ok' && ex.value === aw.value;
  }

  private async onConfirm(it: Interpretation, aw: Confirm, out: Command[], dealt: boolean, input: UtteranceInput): Promise<void> {
    const s = this.s;
    let other = it.fills.find((f) => f.slot === aw.slot && f.value !== aw.value) ?? it.corrections.find((c) => c.slot === aw.slot && c.value !== aw.value);
    if (other && aw.spell) other = this.respell(aw, other, it);
    if (it.affirm === true && !other) {
      this.run.setSlot(aw.slot, aw.value, true, out, aw.spoken);
      return aw.reask ? this.run.rerun(out) : this.run.answered(out, aw.resume);
    }
    if (other) {
      // "No, it's 312 555 0000": the new value, read back in its turn (a caller-ID offer's answer only if unsure).
      if (aw.offer && !this.wantsReadBack(other, false)) {
        this.run.setSlot(aw.slot, other.value, true, out, other.spoken);
        return this.run.answered(out, aw.resume);
      }
      if (!aw.offer && ++s.attempts >= this.run.maxAttempts()) return this.giveUpConfirm(aw, out);
      return this.run.readBack(aw.slot, other.value, other.spoken, out, { ...(aw.resume ? { resume: aw.resume } : {}), ...(aw.reask ? { reask: true } : {}), ...(aw.origin ? { origin: aw.origin } : {}) });
    }
    if (it.requests.some((r) => r.kind === 'use_caller_id') && aw.offer) {
      this.run.setSlot(aw.slot, aw.value, true, out);
      return this.run.answered(out, aw.resume);
    }
    // Offered their own number, the caller says it aloud: understanding drops a value equal to the one offered, so
    // read the digits with the slot's extractor and take the number when it is the same one.
    if (aw.offer && it.affirm === undefined && !dealt && (await this.sameAsOffered(aw, input))) {
      this.run.setSlot(aw.slot, aw.value, true, out);
      return this.run.answered(out, aw.resume);
    }
    if (it.affirm === false || it.requests.some((r) => r.kind === 'skip')) {
      // The caller rejected the value: an unconfirmed copy of it must not stay in the intake.
      if (s.slots[aw.slot] === aw.value && !s.confirmed[aw.slot]) {
        this.run.setSlot(aw.slot, null, false, out);
        s.unsure = s.unsure.filter((x) => x !== aw.slot);
      }
      if (it.affirm === false) (s.rejected[aw.slot] ??= []).push(aw.value);
      if (aw.offer) {
        // Not this number: ask for the one they want, without treating the answer as a failed try.
        s.awaiting = { kind: 'answer', slot: aw.slot, ...(aw.resume ? { resume: aw.resume } : {}) };
        return this.run.askSlot(out, 'first', aw.resume, { noOffer: true });
      }
      if (++s.attempts >= this.run.maxAttempts()) return this.giveUpConfirm(aw, out);
      this.sup.phrase(s, out, 'retry', PHRASES.retry);
      if (aw.reask && aw.origin) return this.run.askAgainAt(aw.slot, aw.origin, out);
      s.awaiting = { kind: 'answer', slot: aw.slot, ...(aw.resume ? { resume: aw.resume } : {}) };
      // A volunteered value read back at its question: the caller has not heard the question itself yet.
      return this.run.askSlot(out, s.tries === 0 ? 'first' : 'retry', aw.resume, { noOffer: true });
    }
    if (dealt) return this.run.reask(out);
    if (++s.attempts >= this.run.maxAttempts()) return this.giveUpConfirm(aw, out);
    this.sup.phrase(s, out, 'yes_no', PHRASES.yes_no);
    this.run.reask(out);
  }

  /**
   * The answer to a read-back that spelled the surname: "no, it's K O W A L S K Y" corrects that part only (the held
   * first name stays), and the corrected name is read back spelled again. The same letters again are a yes.
   */
  private respell(aw: Confirm, other: SlotFill, it: Interpretation): SlotFill | undefined {
    if (typeof aw.value !== 'string' || typeof other.value !== 'string') return other;
    const r = respelled(aw.value, aw.spell!, other.value, this.s.language);
    if (r.value === aw.value) {
      it.affirm ??= true;
      return undefined;
    }
    if (r.target) this.s.spellBack[aw.slot] = { value: r.value, target: r.target };
    return { ...other, value: r.value, spoken: r.value };
  }

  /** Too many tries at a read-back: a doubted earlier answer stays unconfirmed and the call goes on where it was. */
  giveUpConfirm(aw: Confirm, out: Command[]): void {
    if (!aw.reask) return this.run.giveUp(out);
    this.run.rerun(out);
  }

  /** Nothing usable for the question: an honest line (never "didn't catch that" for a clear sentence), then help. */
  notUnderstood(out: Command[], kind: 'nothing' | 'invalid' | 'offscript'): void {
    const s = this.s;
    const aw = s.awaiting;
    if (++s.attempts >= this.run.maxAttempts()) return aw?.kind === 'confirm' ? this.giveUpConfirm(aw, out) : this.run.giveUp(out);
    const id = kind === 'nothing' ? 'sorry' : kind === 'invalid' ? 'not_valid' : 'heard_you';
    this.sup.phrase(s, out, id, PHRASES[id]);
    if (aw?.kind === 'confirm') return this.run.reask(out);
    this.run.askSlot(out, 'retry', aw && 'resume' in aw ? aw.resume : undefined, { noOffer: true });
  }

  /** Corrections of earlier answers: applied at once (read back as a question when unsure). True when any applied. */
  private applyCorrections(it: Interpretation, asked: string | undefined, out: Command[]): boolean {
    const s = this.s;
    let any = false;
    if (this.sup.program.globals.corrections === false) return false;
    for (const c of it.corrections) {
      if (c.slot === asked || !this.sup.program.slots.has(c.slot)) continue;
      any = true;
      if (this.wantsReadBack(c, false)) {
        this.run.setSlot(c.slot, c.value, false, out, c.spoken);
        s.doubts.push({ slot: c.slot, value: c.value, spoken: c.spoken, stack: structuredClone(s.stack) });
        continue;
      }
      this.run.setSlot(c.slot, c.value, true, out, c.spoken);
      this.sup.sayDynamic(s, out, s.language === 'es' ? `Gracias, lo corregí: ${c.spoken}.` : `Thanks, I've updated that: ${c.spoken}.`);
    }
    return any;
  }

  /**
   * Volunteered values for slots other than `asked`: stored (unsure ones unconfirmed, read back at their question).
   * True when any was new. A value equal to what is already held changes nothing.
   */
  private applyOthers(it: Interpretation, asked: string | undefined, out: Command[], skipCorrections = false): boolean {
    const s = this.s;
    let any = false;
    const fills = skipCorrections ? it.fills : [...it.fills, ...it.corrections];
    for (const f of fills) {
      if (f.slot === asked || !this.sup.program.slots.has(f.slot)) continue;
      if (s.slots[f.slot] === f.value) continue;
      any = true;
      if (f.fromCallerId || this.wantsReadBack(f, false)) {
        this.run.setSlot(f.slot, f.value, false, out, f.spoken);
        if (!s.unsure.includes(f.slot)) s.unsure.push(f.slot);
        continue;
      }
      this.run.setSlot(f.slot, f.value, !f.lateVerdict, out, f.spoken);
      if (f.lateVerdict) this.host.watch(f.slot, f.value, f.spoken, f.lateVerdict);
    }
    return any;
  }

  /**
   * Answers the caller's questions (FAQ) and notes the rest for the attorney. `speak` false only notes them (on the
   * way to a transfer). Returns whether something was answered, or that the matter is one the firm does not take.
   */
  private noteQuestions(it: Interpretation, out: Command[], speak: boolean): 'none' | 'answered' | 'not_handled' {
    const s = this.s;
    const p = this.sup.program;
    let result: 'none' | 'answered' | 'not_handled' = 'none';
    for (const q of it.questions) {
      const reply = answerQuestion(p, q, s.language, this.sup.view(s));
      if (reply.note || reply.notHandled) {
        const prev = typeof s.slots[CALLER_QUESTIONS] === 'string' ? (s.slots[CALLER_QUESTIONS] as string) : '';
        if (!prev.split(' | ').includes(q.text)) this.run.setSlot(CALLER_QUESTIONS, prev ? `${prev} | ${q.text}` : q.text, true, out);
      }
      if (!speak) continue;
      this.sup.sayDynamic(s, out, reply.text);
      result = reply.notHandled && p.faq.practice_areas?.goto ? 'not_handled' : result === 'not_handled' ? result : 'answered';
    }
    return result;
  }
}
