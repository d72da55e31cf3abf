// Integrations of the firm: Clio Manage (OAuth: the button opens Clio's consent page), Clio Grow (lead inbox token),
// LawPay (the API key is the server's; the firm picks its account and payment page), the firm's own Stripe account
// (StripeConnect) and a Zapier catch hook, with which provider makes the consultation-fee link. Shows
// status and non-secret details only; secrets are typed in, stored encrypted and never shown again.
import { useEffect, useState } from 'preact/hooks';
import { api, problem } from '../../api/client';
import type { paths } from '../../api/schema';
import { when } from '../../format';
import { StripeConnect } from './StripeConnect';

type Integration = paths['/api/integrations']['get']['responses']['200']['content']['application/json'][number];
type Provider = paths['/api/integrations/{provider}']['delete']['parameters']['path']['provider'];
const NAMES: Record<string, string> = { clio: 'Clio Manage', clio_grow: 'Clio Grow', lawpay: 'LawPay', stripe: 'Stripe', zapier: 'Zapier' };
const HELP: Record<string, string> = {
  clio: 'New intakes become a contact and matter in Clio Manage.',
  clio_grow: 'New intakes land in the Clio Grow lead inbox instead.',
  lawpay: 'Callers are texted a link to pay the consultation fee.',
  stripe: 'Callers are texted a Stripe Checkout link for the consultation fee, paid to the firm\'s own Stripe account.',
  zapier: 'Each intake is posted to a Zap\'s catch hook.',
};
const str = (v: unknown) => (typeof v === 'string' ? v : '');

export function Integrations() {
  const [rows, setRows] = useState<Integration[] | null>(null);
  const [said, setSaid] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [hook, setHook] = useState('');
  const [grow, setGrow] = useState('');
  const [growFirst, setGrowFirst] = useState(false);
  const [account, setAccount] = useState('');
  const [payPage, setPayPage] = useState('');
  const load = () => void api.GET('/api/integrations').then(({ data }) => data && setRows(data));
  useEffect(load, []);

  const done = (ok: boolean, text: string, err: unknown) => { if (ok) { setSaid(text); setError(null); load(); } else setError(problem(err)); };
  const connectClio = async () => {
    const { data, error: err } = await api.POST('/api/integrations/clio/connect');
    if (data) location.assign(data.url); else setError(problem(err));
  };
  const disconnect = async (p: Provider) => {
    if (!confirm(`Disconnect ${NAMES[p]}? HERMES forgets the firm's stored credentials for it.`)) return;
    const { error: err, response } = await api.DELETE('/api/integrations/{provider}', { params: { path: { provider: p } } });
    done(response.ok, `${NAMES[p]} disconnected.`, err);
  };
  const submit = (fn: () => Promise<{ ok: boolean; text: string; err: unknown }>) => async (e: Event) => {
    e.preventDefault();
    const r = await fn();
    done(r.ok, r.text, r.err);
  };
  const saveHook = submit(async () => { const r = await api.PUT('/api/integrations/zapier', { body: { hookUrl: hook } }); if (r.data) setHook(''); return { ok: Boolean(r.data), text: 'Zapier hook saved.', err: r.error }; });
  const saveGrow = submit(async () => { const r = await api.PUT('/api/integrations/clio-grow', { body: { inboxLeadToken: grow, target: growFirst } }); if (r.data) setGrow(''); return { ok: Boolean(r.data), text: 'Clio Grow connected.', err: r.error }; });
  const saveLawPay = submit(async () => {
    const body = { ...(account ? { accountId: account } : {}), ...(payPage ? { paymentUrlTemplate: payPage } : {}) };
    const r = await api.PUT('/api/integrations/lawpay', { body });
    return { ok: Boolean(r.data), text: 'LawPay settings saved.', err: r.error };
  });

  /** The same order the server picks in (paymentProviderFor): the firm's Stripe, the firm's LawPay, the server's choice. */
  const feeProvider = (list: Integration[]) => {
    const own = (p: string) => list.some((i) => i.provider === p && i.updatedAt !== null);
    return own('stripe') ? 'Stripe' : own('lawpay') ? 'LawPay' : 'LawPay (unless the server\'s PAYMENT_PROVIDER is stripe)';
  };

  if (rows === null) return <section class="panel" aria-labelledby="ig-h"><h2 id="ig-h">Integrations</h2><p role="status">Loading…</p></section>;
  return (
    <section class="panel" aria-labelledby="ig-h">
      <h2 id="ig-h">Integrations</h2>
      <p data-fee-provider>Consultation-fee links are made by <strong>{feeProvider(rows)}</strong>.</p>
      <ul class="integrations">
        {rows.map((i) => {
          const stored = i.updatedAt !== null;
          const p = i.provider as Provider;
          return (
            <li key={i.provider} data-integration={i.provider}>
              <h3 id={`ig-${i.provider}`}>{NAMES[i.provider] ?? i.provider} <span class={`badge ${i.connected ? 'green' : 'amber'}`}>{i.connected ? 'Connected' : 'Not connected'}</span></h3>
              <p class="muted small">{HELP[i.provider] ?? ''}{stored ? ` Set ${when(i.updatedAt)}.` : i.connected ? ' Set up on the server.' : ''}{i.expiresAt ? ` Token renews ${when(i.expiresAt)}.` : ''}</p>
              {str(i.meta.hookHost) && <p class="small">Posts to {str(i.meta.hookHost)}</p>}
              {i.provider === 'stripe' && <StripeConnect meta={i.meta} stored={stored} onDone={done} />}
              {str(i.meta.accountId) && <p class="small">Account {str(i.meta.accountId)}</p>}
              {i.provider === 'clio' && <button type="button" onClick={() => void connectClio()}>{stored ? 'Reconnect Clio' : 'Connect Clio'}</button>}
              {i.provider === 'zapier' && (
                <form class="row-form" onSubmit={(e) => void saveHook(e)}>
                  <label for="zap-hook">Catch hook URL</label>
                  <input id="zap-hook" type="url" required placeholder="https://hooks.zapier.com/hooks/catch/…" value={hook} onInput={(e) => setHook(e.currentTarget.value)} />
                  <button type="submit">Save hook</button>
                </form>
              )}
              {i.provider === 'clio_grow' && (
                <form class="row-form" onSubmit={(e) => void saveGrow(e)}>
                  <label for="grow-token">Lead inbox token</label>
                  <input id="grow-token" type="password" required autocomplete="off" value={grow} onInput={(e) => setGrow(e.currentTarget.value)} />
                  <label class="inline-check"><input type="checkbox" checked={growFirst} onChange={(e) => setGrowFirst(e.currentTarget.checked)} /> Send intakes to Grow even when Clio Manage is connected</label>
                  <button type="submit">Connect Clio Grow</button>
                </form>
              )}
              {i.provider === 'lawpay' && (
                <form class="row-form" onSubmit={(e) => void saveLawPay(e)}>
                  <label for="lp-account">Operating account id</label>
                  <input id="lp-account" autocomplete="off" value={account} onInput={(e) => setAccount(e.currentTarget.value)} />
                  <label for="lp-page">Payment page ({'{amount}'}, {'{reference}'}, {'{name}'})</label>
                  <input id="lp-page" type="url" autocomplete="off" value={payPage} onInput={(e) => setPayPage(e.currentTarget.value)} />
                  <button type="submit" disabled={!account && !payPage}>Save LawPay settings</button>
                </form>
              )}
              {stored && <button type="button" class="secondary" onClick={() => void disconnect(p)}>Disconnect<span class="sr-only"> {NAMES[i.provider]}</span></button>}
            </li>
          );
        })}
      </ul>
      <p class="ok" aria-live="polite">{said}</p>
      {error && <p role="alert" class="error">{error}</p>}
    </section>
  );
}
