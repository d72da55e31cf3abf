// Staff contacts: who receives taken messages by SMS and e-mail, and which kinds (emergencies wake someone up).
// Add, change (the same form, filled in) and remove; the API normalises phone numbers to E.164 and says what is wrong.
import { useEffect, useState } from 'preact/hooks';
import { api, problem } from '../../api/client';
import type { paths } from '../../api/schema';
import { label, phone } from '../../format';

type Contact = paths['/api/staff-contacts']['get']['responses']['200']['content']['application/json'][number];
type Kind = Contact['kinds'][number];
const KINDS: readonly { kind: Kind; text: string }[] = [
  { kind: 'emergency', text: 'Emergencies' }, { kind: 'message', text: 'Messages' },
  { kind: 'new_intake', text: 'New intakes' }, { kind: 'after_hours', text: 'Everything after hours' },
];
const blank = { name: '', phone: '', email: '', kinds: ['message'] as Kind[] };

export function StaffContacts() {
  const [rows, setRows] = useState<Contact[] | null>(null);
  const [editing, setEditing] = useState<number | null>(null);
  const [form, setForm] = useState(blank);
  const [said, setSaid] = useState('');
  const [error, setError] = useState<string | null>(null);
  const load = () => void api.GET('/api/staff-contacts').then(({ data }) => data && setRows(data));
  useEffect(load, []);

  const edit = (c: Contact) => { setEditing(c.id); setForm({ name: c.name, phone: c.phone ?? '', email: c.email ?? '', kinds: [...c.kinds] }); document.getElementById('sc-name')?.focus(); };
  const toggle = (k: Kind) => setForm((f) => ({ ...f, kinds: f.kinds.includes(k) ? f.kinds.filter((x) => x !== k) : [...f.kinds, k] }));
  const save = async (e: Event) => {
    e.preventDefault();
    setError(null);
    const body = { name: form.name, phone: form.phone.trim() || null, email: form.email.trim() || null, kinds: form.kinds };
    const r = editing === null ? await api.POST('/api/staff-contacts', { body }) : await api.PATCH('/api/staff-contacts/{id}', { params: { path: { id: editing } }, body });
    if (r.data) { setSaid(`${r.data.name} ${editing === null ? 'added' : 'saved'}.`); setEditing(null); setForm(blank); load(); } else setError(problem(r.error));
  };
  const remove = async (c: Contact) => {
    if (!confirm(`Remove ${c.name}? They will stop receiving messages.`)) return;
    const { error: err, response } = await api.DELETE('/api/staff-contacts/{id}', { params: { path: { id: c.id } } });
    if (response.ok) { setSaid(`${c.name} removed.`); load(); } else setError(problem(err));
  };

  return (
    <section class="panel" aria-labelledby="sc-h">
      <h2 id="sc-h">Staff contacts</h2>
      <p class="muted small">Who HERMES texts and e-mails when it takes a message, by kind.</p>
      {rows === null ? <p role="status">Loading…</p> : rows.length === 0 ? <p>No one yet: taken messages reach no one until you add a contact.</p> : (
        <table class="versions">
          <thead><tr><th scope="col">Name</th><th scope="col">Phone</th><th scope="col">E-mail</th><th scope="col">Receives</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
          <tbody>
            {rows.map((c) => (
              <tr key={c.id} data-contact={c.name}>
                <td>{c.name}</td><td>{phone(c.phone)}</td><td>{c.email ?? '—'}</td>
                <td>{c.kinds.map((k) => <span key={k} class={`badge ${k === 'emergency' ? 'red' : 'blue'}`}>{label(k)}</span>)}</td>
                <td class="actions">
                  <button type="button" class="secondary" onClick={() => edit(c)}>Edit<span class="sr-only"> {c.name}</span></button>
                  <button type="button" class="secondary" onClick={() => void remove(c)}>Remove<span class="sr-only"> {c.name}</span></button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form class="row-form" onSubmit={(e) => void save(e)} aria-labelledby="sc-form-h">
        <h3 id="sc-form-h">{editing === null ? 'Add a contact' : `Change ${form.name || 'contact'}`}</h3>
        <label for="sc-name">Name</label>
        <input id="sc-name" required value={form.name} onInput={(e) => setForm({ ...form, name: e.currentTarget.value })} />
        <label for="sc-phone">Mobile number (texts)</label>
        <input id="sc-phone" type="tel" autocomplete="off" value={form.phone} onInput={(e) => setForm({ ...form, phone: e.currentTarget.value })} />
        <label for="sc-email">E-mail (messages)</label>
        <input id="sc-email" type="email" autocomplete="off" value={form.email} onInput={(e) => setForm({ ...form, email: e.currentTarget.value })} />
        <fieldset>
          <legend>Receives</legend>
          {KINDS.map(({ kind, text }) => (
            <label key={kind} class="inline-check"><input type="checkbox" checked={form.kinds.includes(kind)} onChange={() => toggle(kind)} /> {text}</label>
          ))}
        </fieldset>
        <div class="actions">
          <button type="submit">{editing === null ? 'Add contact' : 'Save contact'}</button>
          {editing !== null && <button type="button" class="secondary" onClick={() => { setEditing(null); setForm(blank); }}>Cancel</button>}
        </div>
      </form>
      <p class="ok" aria-live="polite">{said}</p>
      {error && <p role="alert" class="error">{error}</p>}
    </section>
  );
}
