// The on-call list: the numbers a transfer to {{firm.on_call}} rings, in order, per flow the firm's calls run. The
// firm's own list (the Firm section) rings on every flow; without one, each flow's firm.on_call does, which changes
// only with a new flow version. Each list says where it comes from.
import type { paths } from '../../api/schema';
import { phone } from '../../format';

export type OnCallList = paths['/api/on-call']['get']['responses']['200']['content']['application/json'];

export function OnCall({ lists }: { lists: OnCallList | null }) {
  return (
    <section class="panel" aria-labelledby="oc-h">
      <h2 id="oc-h">On-call list</h2>
      <p class="muted small">Who a transfer to the on-call attorney rings, first number first: the firm's own list (set under <a href="#f-h" onClick={toFirm}>Firm</a>) when it has one, else <code>firm.on_call</code> of the flow (changed by a new version on the <a href="#/flows">Flows</a> page).</p>
      {lists === null ? <p role="status">Loading…</p> : (
        <dl class="fields">
          {lists.map((l) => (
            <div key={l.flowId} data-oncall={l.flowId}>
              <dt>{l.version === null ? `Default flow (${l.flowId})` : `${l.flowId} version ${l.version}`}</dt>
              <dd>
                {l.numbers.length ? <ol class="oncall">{l.numbers.map((n) => <li key={n}>{phone(n)}</li>)}</ol> : 'No on-call numbers: transfers to on-call cannot ring anyone.'}
                <span class="muted small" data-source={l.source}>{l.source === 'firm' ? 'The firm\'s own list (replaces the flow\'s).' : 'From the flow\'s firm.on_call.'}</span>
              </dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}

/** The Firm section is on the same page: move focus there without touching the route in the hash. */
function toFirm(e: MouseEvent) {
  e.preventDefault();
  document.getElementById('f-on_call')?.focus();
}
