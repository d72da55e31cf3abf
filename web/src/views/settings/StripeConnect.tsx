// Connecting the firm's own Stripe account for consultation fees: the secret key is checked with Stripe by the
// server before it is stored; the admin must confirm the account pays out to the operating account (Stripe cannot
// tell HERMES, and an earned fee must never land in client trust). After connecting, the webhook URL to create in
// Stripe is shown once to copy; paid fees are only recorded once Stripe can reach it with its signing secret.
import { useState } from 'preact/hooks';
import { api } from '../../api/client';
import type { paths } from '../../api/schema';

type Connected = paths['/api/integrations/stripe/connect']['post']['responses']['200']['content']['application/json'];
interface Props { meta: Record<string, unknown>; stored: boolean; onDone: (ok: boolean, text: string, err: unknown) => void }

export function StripeConnect({ meta, stored, onDone }: Props) {
  const [key, setKey] = useState('');
  const [whsec, setWhsec] = useState('');
  const [operating, setOperating] = useState(false);
  const [result, setResult] = useState<Connected | null>(null);
  const [copied, setCopied] = useState('');
  const livemode = result?.livemode ?? (typeof meta.livemode === 'boolean' ? meta.livemode : null);
  const name = result?.name ?? (typeof meta.name === 'string' ? meta.name : null);

  const connect = async (e: Event) => {
    e.preventDefault();
    const { data, error } = await api.POST('/api/integrations/stripe/connect', { body: { secretKey: key.trim(), ...(whsec.trim() ? { webhookSecret: whsec.trim() } : {}), operatingAccount: true } });
    if (data) { setResult(data); setKey(''); setWhsec(''); setOperating(false); }
    onDone(Boolean(data), data ? `Stripe account ${data.name ?? data.accountId} connected.` : '', error);
  };
  const copy = async (url: string) => {
    // The clipboard needs a secure context; elsewhere the URL is selected for the user to copy by hand.
    try { await navigator.clipboard.writeText(url); setCopied('Webhook URL copied.'); } catch {
      (document.getElementById('stripe-webhook') as HTMLInputElement | null)?.select();
      setCopied('Select-and-copy: the URL is selected.');
    }
  };

  return (
    <div class="stripe">
      {livemode !== null && <p class="small">{name ? `${name} ` : ''}<span class={`badge ${livemode ? 'green' : 'amber'}`}>{livemode ? 'Live mode' : 'Test mode: no real money moves'}</span></p>}
      {result && (
        <div class="row-form">
          <label id="stripe-webhook-l" for="stripe-webhook">Webhook URL to create in Stripe (checkout.session.completed, checkout.session.async_payment_succeeded, payment_intent.succeeded)</label>
          {result.webhookUrl
            ? <><input id="stripe-webhook" readOnly value={result.webhookUrl} onFocus={(e) => e.currentTarget.select()} /><button type="button" class="secondary" onClick={() => void copy(result.webhookUrl!)}>Copy webhook URL</button></>
            : <p id="stripe-webhook" class="error small">The server has no PUBLIC_URL, so Stripe cannot reach it: set PUBLIC_URL, then reconnect.</p>}
          <p class="small">{result.webhookConfigured ? 'Signing secret stored: paid fees are recorded as Stripe reports them.' : 'No signing secret yet: create the endpoint in Stripe, then reconnect with its whsec_ secret so payments are recorded.'}</p>
          <p class="ok small" aria-live="polite">{copied}</p>
        </div>
      )}
      <form class="row-form" onSubmit={(e) => void connect(e)}>
        <label for="stripe-key">Secret key (sk_live_…, sk_test_… or a restricted rk_ key)</label>
        <input id="stripe-key" type="password" required autocomplete="off" value={key} onInput={(e) => setKey(e.currentTarget.value)} />
        <label for="stripe-whsec">Webhook signing secret (whsec_…, optional until the endpoint exists)</label>
        <input id="stripe-whsec" type="password" autocomplete="off" pattern="whsec_[A-Za-z0-9]+" value={whsec} onInput={(e) => setWhsec(e.currentTarget.value)} />
        <label class="inline-check"><input type="checkbox" required checked={operating} onChange={(e) => setOperating(e.currentTarget.checked)} /> This Stripe account pays out to the firm's operating account, never to trust (IOLTA)</label>
        <button type="submit" disabled={!operating}>{stored ? 'Reconnect Stripe' : 'Connect Stripe'}</button>
      </form>
    </div>
  );
}
