// The on-call list: the numbers a transfer to {{firm.on_call}} rings, in order, per flow the firm's calls run. It is
// part of the flow (firm.on_call), versioned with it, so it is changed by uploading a new flow version, not here.
import type { paths } from '../../api/schema';
import { phone } from '../../format';

export type OnCallList = paths['/api/on-call']['get']['responses']['200']['content']['application/json'];

export function OnCall({ lists }: { lists: OnCallList | null }) {
  return (
    <section class="panel" aria-labelledby="oc-h">
      <h2 id="oc-h">On-call list</h2>
      <p class="muted small">Who a transfer to the on-call attorney rings, first number first. Set by <code>firm.on_call</code> in the flow: upload a new version on the <a href="#/flows">Flows</a> page to change it.</p>
      {lists === null ? <p role="status">Loading…</p> : (
        <dl class="fields">
          {lists.map((l) => (
            <div key={l.flowId} data-oncall={l.flowId}>
              <dt>{l.version === null ? `Default flow (${l.flowId})` : `${l.flowId} version ${l.version}`}</dt>
              <dd>{l.numbers.length ? <ol class="oncall">{l.numbers.map((n) => <li key={n}>{phone(n)}</li>)}</ol> : 'No on-call numbers: transfers to on-call cannot ring anyone.'}</dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}
