// The firm's own facts, the ones callers hear: name, time zone, main number, the on-call list (in the order it rings),
// consultation fee, address, business hours, holidays and the region phone numbers are read in. A fact left empty
// falls back to the flow's firm: block, shown beside the input; the server checks every fact and names what is wrong,
// shown next to its input. Read-only for anyone without firm:manage (the API enforces it again).
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api/client';
import { phone } from '../../format';
import { DAYS, formOf, patchOf, problemsOf, shownDefault, type Day, type FirmForm } from './firm-form';
import { NumberList } from './NumberList';
import type { OnCallList } from './OnCall';

interface Props { canEdit: boolean; lists: OnCallList | null; onSaved: () => void }

export function Firm({ canEdit, lists, onSaved }: Props) {
  const [form, setForm] = useState<FirmForm | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [said, setSaid] = useState('');
  const load = () => void api.GET('/api/firm').then(({ data }) => data && setForm(formOf(data)));
  useEffect(load, []);
  // The defaults: the flow most numbers answer with is not known here, so the first uploaded flow, else the server's.
  const flow = lists?.find((l) => l.version !== null) ?? lists?.[0] ?? null;
  const defaults: Record<string, unknown> = { ...flow?.flowFirm, on_call: (flow?.flowNumbers ?? []).map(phone) };

  if (form === null) return <section class="panel" aria-labelledby="f-h"><h2 id="f-h">Firm</h2><p role="status">Loading…</p></section>;
  const set = (patch: Partial<FirmForm>) => { setForm({ ...form, ...patch }); setSaid(''); };
  const save = async (e: Event) => {
    e.preventDefault();
    setSaid('');
    const { data, error } = await api.PUT('/api/firm', { body: patchOf(form) });
    if (data) { setForm(formOf(data)); setErrors({}); setSaid('Firm facts saved. Callers hear them within 15 seconds.'); onSaved(); return; }
    const found = problemsOf(error);
    setErrors(found);
    document.getElementById(`f-${Object.keys(found)[0]}`)?.focus();
  };
  const hint = (key: string, empty: boolean) => {
    if (!empty) return null;
    // Until the flows are loaded nothing is known of their defaults: saying "the flow sets none" then would be false.
    if (lists === null) return <p class="muted small" id={`f-${key}-def`}>Not set: looking up the flow's default…</p>;
    const d = shownDefault(key, defaults[key]);
    return <p class="muted small" id={`f-${key}-def`}>{d ? `Not set: callers hear the flow's ${d}.` : 'Not set, and the flow sets none.'}</p>;
  };
  const problem = (key: string) => (errors[key] ? <p class="error small" id={`f-${key}-err`}>{errors[key]}</p> : null);
  const described = (key: string, empty: boolean) => {
    const ids = [errors[key] ? `f-${key}-err` : '', empty ? `f-${key}-def` : ''].filter(Boolean).join(' ');
    return { 'aria-invalid': errors[key] ? true : undefined, 'aria-describedby': ids || undefined };
  };
  const text = (key: 'name' | 'timezone' | 'main_number' | 'address' | 'default_region', labelText: string, extra: Record<string, unknown> = {}) => (
    <div class="fact">
      <label for={`f-${key}`}>{labelText}</label>
      <input id={`f-${key}`} value={form[key]} onInput={(e) => set({ [key]: e.currentTarget.value })} {...described(key, !form[key])} {...extra} />
      {problem(key)}{hint(key, !form[key])}
    </div>
  );
  const toggleDay = (d: Day) => set({ days: form.days.includes(d) ? form.days.filter((x) => x !== d) : [...form.days, d] });
  const hoursEmpty = !form.days.length && !form.open && !form.close;

  return (
    <section class="panel" aria-labelledby="f-h">
      <h2 id="f-h">Firm</h2>
      <p class="muted small">What callers hear about the firm. An empty fact uses the flow's <code>firm:</code> block{flow ? ` (${flow.flowId})` : ''}.{canEdit ? '' : ' Only the firm\'s owner can change these.'}</p>
      <form class="row-form firm-form" onSubmit={(e) => void save(e)} aria-labelledby="f-h" noValidate>
        <fieldset disabled={!canEdit} class="plain">
          {text('name', 'Firm name', { required: true, autocomplete: 'organization' })}
          {text('timezone', 'Time zone (IANA, e.g. America/Chicago)', { required: true, list: 'f-zones' })}
          <datalist id="f-zones">{zones().map((z) => <option key={z} value={z} />)}</datalist>
          {text('main_number', 'Main number (where "talk to a person" goes)', { type: 'tel', autocomplete: 'off' })}
          <NumberList
            id="on_call" legend="On-call numbers, first rung first" itemLabel="On-call number" addText="Add on-call number" type="tel"
            items={form.on_call} onChange={(on_call) => set({ on_call })} error={errors.on_call} hint={hint('on_call', !form.on_call.length)} ordered
          />
          <div class="fact">
            <label for="f-consultation_fee">Consultation fee (dollars, 0 = free)</label>
            <input id="f-consultation_fee" type="number" min="0" step="0.01" inputMode="decimal" value={form.consultation_fee} onInput={(e) => set({ consultation_fee: e.currentTarget.value })} {...described('consultation_fee', !form.consultation_fee)} />
            {problem('consultation_fee')}{hint('consultation_fee', !form.consultation_fee)}
          </div>
          {text('address', 'Office address (as callers hear it)', { autocomplete: 'street-address' })}
          <fieldset id="f-business_hours" tabIndex={-1} aria-describedby={[errors.business_hours ? 'f-business_hours-err' : '', hoursEmpty ? 'f-business_hours-def' : ''].filter(Boolean).join(' ') || undefined}>
            <legend>Business hours</legend>
            <div class="days">
              {DAYS.map(({ day, text: dayText }) => (
                <label key={day} class="inline-check"><input type="checkbox" checked={form.days.includes(day)} onChange={() => toggleDay(day)} /> {dayText}</label>
              ))}
            </div>
            <div class="times">
              <label for="f-open">Opens</label><input id="f-open" type="time" value={form.open} onInput={(e) => set({ open: e.currentTarget.value })} />
              <label for="f-close">Closes</label><input id="f-close" type="time" value={form.close} onInput={(e) => set({ close: e.currentTarget.value })} />
            </div>
            {problem('business_hours')}{hint('business_hours', hoursEmpty)}
          </fieldset>
          <NumberList
            id="holidays" legend="Holidays (the office is closed all day)" itemLabel="Holiday" addText="Add a holiday" type="date"
            items={form.holidays} onChange={(holidays) => set({ holidays })} error={errors.holidays} hint={hint('holidays', !form.holidays.length)}
          />
          {text('default_region', 'Region for local phone numbers (two letters, e.g. US)', { maxLength: 2, autocomplete: 'off' })}
        </fieldset>
        {canEdit && <button type="submit">Save firm facts</button>}
      </form>
      <p class="ok" aria-live="polite">{said}</p>
      {errors.form && <p role="alert" class="error">{errors.form}</p>}
      {Object.keys(errors).some((k) => k !== 'form') && <p role="alert" class="error">Not saved: {Object.keys(errors).length === 1 ? 'one fact needs' : 'some facts need'} fixing (shown by each).</p>}
    </section>
  );
}

/** The browser's IANA zones for the time-zone suggestions (older browsers: none, the input still takes any name). */
function zones(): string[] {
  const intl = Intl as { supportedValuesOf?: (k: string) => string[] };
  return intl.supportedValuesOf?.('timeZone') ?? [];
}
