// LawPay (AffiniPay gateway) reads HERMES needs: the merchant's accounts (to prove consultation fees land in the
// operating account, never in trust) and the events feed (payments). Auth is HTTP Basic with the secret key as the
// user name and an empty password.
import type { Clock } from '../clock.js';
import { configError } from '../errors.js';
import { httpFailure, httpRequest } from '../http.js';

export interface MerchantAccount {
  id: string;
  name?: string;
  primary?: boolean;
  /** May be absent; then the name decides (Trust / IOLTA). */
  trust_account?: boolean;
}

export interface LawPayEvent {
  id: string;
  created?: string;
  type: string;
  data?: { id?: string; status?: string; amount?: number; reference?: string; account_id?: string; [k: string]: unknown };
}

export interface LawPayClient {
  merchantAccounts(signal?: AbortSignal): Promise<MerchantAccount[]>;
  events(page: number, pageSize: number, signal?: AbortSignal): Promise<{ results: LawPayEvent[]; total_entries?: number }>;
}

export function createLawPayClient(cfg: { lawpayBaseUrl: string; lawpaySecretKey: string | null }, clock: Clock): LawPayClient {
  const base = `${cfg.lawpayBaseUrl.replace(/\/$/, '')}/v1`;
  const get = async <T>(path: string, signal?: AbortSignal): Promise<T> => {
    if (!cfg.lawpaySecretKey) throw configError('lawpay', 'LAWPAY_SECRET_KEY is not set');
    const res = await httpRequest('lawpay', `${base}${path}`, { headers: { authorization: `Basic ${Buffer.from(`${cfg.lawpaySecretKey}:`).toString('base64')}` }, signal });
    if (res.status === 200) return res.json as T;
    const j = res.json as { messages?: { message?: string }[] } | null;
    throw httpFailure('lawpay', res, clock.now(), j?.messages?.map((m) => m.message).join('; '));
  };
  return {
    async merchantAccounts(signal) {
      const m = await get<{ merchant_accounts?: MerchantAccount[] }>('/merchant', signal);
      return m.merchant_accounts ?? [];
    },
    async events(page, pageSize, signal) {
      return get(`/events?page=${page}&page_size=${pageSize}`, signal);
    },
  };
}

const isTrust = (a: MerchantAccount) => a.trust_account === true || (a.trust_account === undefined && /trust|iolta/i.test(a.name ?? ''));

/**
 * The account a consultation fee goes to: `accountId` when the firm set one, else the primary account (what LawPay
 * uses when no account is named). It must be an operating account: consultation fees are earned on payment, and
 * earned money must not be paid into trust (IOLTA).
 */
export function operatingAccount(accounts: MerchantAccount[], accountId?: string | null): MerchantAccount {
  const chosen = accountId ? accounts.find((a) => a.id === accountId) : (accounts.find((a) => a.primary) ?? accounts[0]);
  if (!chosen) {
    throw configError('lawpay', accountId ? `LawPay has no merchant account "${accountId}"` : 'the LawPay merchant has no merchant accounts');
  }
  if (isTrust(chosen)) {
    const ops = accounts.filter((a) => !isTrust(a)).map((a) => `${a.name ?? 'unnamed'} (${a.id})`);
    throw configError(
      'lawpay',
      `the LawPay account "${chosen.name ?? chosen.id}" is a trust account; consultation fees are earned fees and must be paid into the operating account. ` +
        (ops.length ? `Use ${ops.join(' or ')} (set accountId in the firm's lawpay settings) and point the hosted payment page at it.` : 'Add an operating account in LawPay.'),
    );
  }
  return chosen;
}
