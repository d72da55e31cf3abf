// The firm's phone numbers and the flow each answers with: map a number (new or existing) to one of the firm's
// uploaded flows with an active version, or to the server's default flow; remove a number.
import { useEffect, useState } from 'preact/hooks';
import { api, problem } from '../../api/client';
import type { paths } from '../../api/schema';
import { phone } from '../../format';

type Mapping = paths['/api/numbers']['get']['responses']['200']['content']['application/json'][number];

/** flowChoices: uploaded flow ids with an active version, then the default flow's path (GET /api/on-call knows it). */
export function Numbers({ flowChoices, defaultFlow }: { flowChoices: string[]; defaultFlow: string | null }) {
  const [rows, setRows] = useState<Mapping[] | null>(null);
  const [number, setNumber] = useState('');
  const [flow, setFlow] = useState('');
  const [said, setSaid] = useState('');
  const [error, setError] = useState<string | null>(null);
  const load = () => void api.GET('/api/numbers').then(({ data }) => data && setRows(data));
  useEffect(load, []);
  const choices = [...flowChoices, ...(defaultFlow ? [defaultFlow] : [])];
  const name = (f: string) => (f === defaultFlow ? `Default flow (${f})` : f);

  const map = async (e: Event) => {
    e.preventDefault();
    setError(null);
    const { data, error: err } = await api.PUT('/api/numbers', { body: { number, flow: flow || choices[0] || '' } });
    if (data) { setSaid(`${phone(data.e164)} now answers with ${name(data.flow)}.`); setNumber(''); load(); } else setError(problem(err));
  };
  const remove = async (m: Mapping) => {
    if (!confirm(`Remove ${phone(m.e164)}? Calls to it will no longer be answered for this firm.`)) return;
    const { error: err, response } = await api.DELETE('/api/numbers/{id}', { params: { path: { id: m.id } } });
    if (response.ok) { setSaid(`${phone(m.e164)} removed.`); load(); } else setError(problem(err));
  };

  return (
    <section class="panel" aria-labelledby="n-h">
      <h2 id="n-h">Phone numbers</h2>
      {rows === null ? <p role="status">Loading…</p> : rows.length === 0 ? <p>No numbers yet.</p> : (
        <table class="versions">
          <thead><tr><th scope="col">Number</th><th scope="col">Answers with</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
          <tbody>
            {rows.map((m) => (
              <tr key={m.id} data-number={m.e164}>
                <td>{phone(m.e164)}</td>
                <td>{name(m.flow)}{m.flowVersion ? ` version ${m.flowVersion}` : ''}</td>
                <td><button type="button" class="secondary" onClick={() => void remove(m)}>Remove<span class="sr-only"> {phone(m.e164)}</span></button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form class="row-form" onSubmit={(e) => void map(e)} aria-labelledby="nm-h">
        <h3 id="nm-h">Add or change a number</h3>
        <label for="nm-number">Twilio number</label>
        <input id="nm-number" type="tel" required placeholder="+13125550100" value={number} onInput={(e) => setNumber(e.currentTarget.value)} />
        <label for="nm-flow">Flow</label>
        <select id="nm-flow" value={flow || choices[0]} onChange={(e) => setFlow(e.currentTarget.value)}>
          {choices.map((f) => <option key={f} value={f}>{name(f)}</option>)}
        </select>
        <button type="submit">Save number</button>
      </form>
      <p class="ok" aria-live="polite">{said}</p>
      {error && <p role="alert" class="error">{error}</p>}
    </section>
  );
}
