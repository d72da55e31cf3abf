// Outbox rows as staff read them: where it went (by action) and how it stands. Shared by the call screen and the
// settings' delivery list.

const WHERE: Record<string, string> = {
  'clio.create_intake': 'Clio (new matter or Grow lead)',
  'lawpay.payment_link_sms': 'LawPay payment link by SMS',
  'sms.send': 'SMS to the caller',
  webhook: 'Zapier',
  take_message: 'Message to staff (SMS and e-mail)',
};
export const deliveryTarget = (action: string) => WHERE[action] ?? action;

const STATUS: Record<string, { text: string; tone: 'green' | 'amber' | 'red' | 'blue' }> = {
  delivered: { text: 'Delivered', tone: 'green' },
  pending: { text: 'Waiting to send', tone: 'blue' },
  in_flight: { text: 'Sending now', tone: 'blue' },
  dead: { text: 'Gave up', tone: 'red' },
};
export const deliveryStatus = (status: string) => STATUS[status] ?? { text: status, tone: 'amber' as const };

/** A row the API lets an admin send again: the worker gave up on it, or it waits for its next attempt. */
export const retryable = (status: string) => status === 'dead' || status === 'pending';
