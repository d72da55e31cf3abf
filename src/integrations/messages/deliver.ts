// Delivers a taken message (the take_message outbox row that carries a message_id): a text to every recipient with a
// phone, an e-mail to every recipient with an address, and for an existing client a Clio task (or contact note).
// Each delivery is recorded in the row's progress under its own key the moment it succeeds (sms:<contact id>,
// email:<contact id>, the Clio ids), so a retry sends only what has not gone yet. One recipient's failure does not
// hold back the others; the row fails (and is retried, or dead with every reason) only after all were tried.
import type { Db } from '../../db/knex.js';
import { createMessagesRepo, type MessageRecipient, type StoredMessage } from '../../intake/messages-repo.js';
import { loadBundle } from '../bundle.js';
import type { ClioAccess } from '../clio/access.js';
import { deliverClioMessage } from '../clio/message-task.js';
import type { CredentialStore } from '../credentials.js';
import { DeliveryError } from '../errors.js';
import type { MailSender } from '../mail.js';
import type { DeliveryContext } from '../outbox/worker.js';
import type { SmsSender } from '../sms.js';

export interface MessageDeliveryDeps {
  db: Db;
  sms: SmsSender;
  mail: MailSender;
  clio: ClioAccess;
  creds: CredentialStore;
}

const LABEL: Record<StoredMessage['kind'], string> = { message: 'Message', emergency: 'EMERGENCY', new_intake: 'New intake' };

export function smsText(m: StoredMessage, firm: string): string {
  const who = `${m.callerName ?? 'A caller'}${m.existingClient ? ' (client)' : ''}`;
  const text = m.body || '(no message text)';
  return `${LABEL[m.kind]} for ${firm} via HERMES: ${who}, call back ${m.callbackPhone ?? 'number not given'}. ${text}`.slice(0, 600);
}

export function emailParts(m: StoredMessage, firm: string, to: MessageRecipient): { subject: string; text: string } {
  const who = m.callerName ?? 'a caller';
  return {
    subject: `${m.kind === 'emergency' ? 'EMERGENCY call' : LABEL[m.kind]} from ${who}${m.existingClient ? ' (client)' : ''}`,
    text: [
      `Hello ${to.name},`,
      '',
      `HERMES, the AI receptionist of ${firm}, took this ${m.kind === 'new_intake' ? 'intake' : 'message'}${m.afterHours ? ' after hours' : ''}${m.createdAt ? ` at ${m.createdAt.toISOString()}` : ''}.`,
      '',
      `Caller: ${who}${m.existingClient ? ' (says they are a current client)' : ''}`,
      `Call back: ${m.callbackPhone ?? 'number not given'}`,
      `Message: ${m.body || '(no message text)'}`,
      '',
      `Sent to: ${m.recipients.map((r) => r.name).join(', ')}. Mark it handled in HERMES (PUT /api/messages/${m.id}/handled) once someone has called back.`,
    ].join('\n'),
  };
}

export async function deliverMessage(ctx: DeliveryContext, d: MessageDeliveryDeps, messageId: number): Promise<void> {
  const m = await createMessagesRepo(d.db).byId(messageId);
  if (!m) throw new DeliveryError('messages', `message ${messageId} no longer exists`, { retryable: false, notSent: true });
  const firm = m.tenantId === null ? 'the firm' : (((await d.db('tenants').where({ id: m.tenantId }).first('name')) as { name?: string } | undefined)?.name ?? 'the firm');
  const problems: DeliveryError[] = [];
  const attempt = async (key: string, send: () => Promise<string>) => {
    if (ctx.progress[key]) return;
    try {
      await ctx.save({ [key]: await send() });
    } catch (err) {
      problems.push(err instanceof DeliveryError ? err : new DeliveryError('messages', (err as Error).message, { retryable: true }));
    }
  };

  for (const r of m.recipients) {
    if (r.phone) await attempt(`sms:${r.contactId > 0 ? r.contactId : r.phone}`, async () => (await d.sms.send(r.phone!, smsText(m, firm))).sid);
    if (r.email) {
      const mail = emailParts(m, firm, r);
      await attempt(`email:${r.contactId}`, async () => (await d.mail.send({ to: r.email!, ...mail, messageId: `<hermes-message-${m.id}-${r.contactId}@hermes.local>` })).messageId || 'sent');
    }
  }

  if (m.existingClient && m.tenantId !== null && ctx.progress.clio !== 'done') {
    // A firm without Clio Manage still gets the texts and e-mails; the row says why nothing went to Clio.
    try {
      const connected = (await d.creds.meta(m.tenantId, 'clio')) !== null && (await d.clio.target(m.tenantId)).kind === 'manage';
      if (!connected) await ctx.save({ clio: 'not_connected' });
      else {
        const from = m.intakeId === null ? null : ((await loadBundle(d.db, m.intakeId).catch(() => null))?.call?.from ?? null);
        await deliverClioMessage(ctx, d.clio.client(m.tenantId), m, from);
      }
    } catch (err) {
      problems.push(err instanceof DeliveryError ? err : new DeliveryError('clio', (err as Error).message, { retryable: true }));
    }
  }

  if (problems.length) {
    const retryable = problems.some((p) => p.retryable);
    const retryAfterMs = Math.max(0, ...problems.map((p) => p.retryAfterMs ?? 0)) || null;
    throw new DeliveryError('messages', problems.map((p) => p.message).join('; '), { retryable, retryAfterMs });
  }
  if (m.recipients.length === 0 && !ctx.progress.recorded) await ctx.save({ recorded: true });
}
