// A message from an existing client, put where their attorney works: a task on the client's open matter in Clio
// Manage (assigned to the Clio user who connected HERMES, due the day the message came in), or, when the client has
// no open matter, a note on their contact. The client is found by the caller's number (Clio has no phone filter:
// search the last ten digits, compare digits on our side; ../shared/reference/clio-tasks.md). Each id is kept in the
// outbox row's progress, and a creating step whose answer was lost first looks for what it made (by the reference in
// its name), so a retry never makes a second task.
import type { StoredMessage } from '../../intake/messages-repo.js';
import type { DeliveryContext } from '../outbox/worker.js';
import type { ClioClient, ClioListPage } from './client.js';
import { step } from './deliver.js';
import { phoneKey } from './names.js';

type Created = { data: { id: number } };
type ContactHit = { id: number; name?: string; type?: string; primary_phone_number?: string | null; phone_numbers?: { number?: string }[] | null };

/** The Clio contact whose number is one of `phones` (digits compared, last ten); null when none or when ambiguous. */
export async function findClientByPhone(clio: ClioClient, phones: string[], signal: AbortSignal): Promise<number | null> {
  for (const key of [...new Set(phones.map(phoneKey).filter((k) => k.length >= 7))]) {
    const page = await clio.get<ClioListPage<ContactHit>>('contacts.json', {
      query: { query: key, fields: 'id,name,type,primary_phone_number,phone_numbers{number,name,default_number}', limit: 200 },
      signal,
    });
    const hits = (page.data ?? []).filter((c) => [c.primary_phone_number, ...(c.phone_numbers ?? []).map((p) => p.number)].some((n) => n && phoneKey(n) === key));
    const ids = [...new Set(hits.map((h) => h.id))];
    // Two contacts sharing a number (spouses, a family line): guessing would put a privileged message on the wrong file.
    if (ids.length === 1) return ids[0]!;
  }
  return null;
}

const KIND_LABEL: Record<StoredMessage['kind'], string> = { message: 'message', emergency: 'EMERGENCY', new_intake: 'new intake' };

export async function deliverClioMessage(ctx: DeliveryContext, clio: ClioClient, m: StoredMessage, callerFrom: string | null): Promise<void> {
  if (ctx.progress.clio === 'done' || ctx.progress.clio === 'no_client') return;
  const ref = `[HERMES ${m.callSid ?? 'call'} message ${m.id}]`;
  let contactId = typeof ctx.progress.clioContactId === 'number' ? ctx.progress.clioContactId : null;
  if (contactId === null) {
    contactId = await findClientByPhone(clio, [m.callbackPhone, callerFrom].filter((p): p is string => !!p), ctx.signal);
    if (contactId === null) {
      // Said they were a client, but Clio does not know the number: staff still have the text and e-mail.
      await ctx.save({ clio: 'no_client' });
      return;
    }
    await ctx.save({ clioContactId: contactId });
  }

  let matterId = typeof ctx.progress.clioMatterId === 'number' ? ctx.progress.clioMatterId : ctx.progress.clioMatterId === null ? null : undefined;
  if (matterId === undefined) {
    const page = await clio.get<ClioListPage<{ id: number; status?: string }>>('matters.json', {
      query: { client_id: contactId, status: 'open', fields: 'id,display_number,description,status,client{id,name}', limit: 200 },
      signal: ctx.signal,
    });
    // Several open matters: the newest (highest id) is the likeliest subject of a call today; the task names it.
    const open = (page.data ?? []).filter((x) => !x.status || x.status === 'open').sort((a, b) => b.id - a.id);
    matterId = open[0]?.id ?? null;
    await ctx.save({ clioMatterId: matterId });
  }

  const who = m.callerName ?? 'a client';
  const detail = [
    `${KIND_LABEL[m.kind]} taken by HERMES (AI receptionist)${m.createdAt ? ` at ${m.createdAt.toISOString()}` : ''}${m.afterHours ? ', after hours' : ''}.`,
    `Caller: ${who}`,
    `Callback number: ${m.callbackPhone ?? callerFrom ?? 'not given'}`,
    `Message: ${m.body || '(no message text)'}`,
    m.recipients.length ? `Also sent to: ${m.recipients.map((r) => r.name).join(', ')}` : 'No staff contact receives this kind of message; nobody was texted or e-mailed.',
  ].join('\n');
  const today = (m.createdAt ?? ctx.clock.now()).toISOString().slice(0, 10);

  if (matterId !== null) {
    const assignee = await whoAmI(ctx, clio);
    const matter = matterId;
    await step(
      ctx,
      'clioTaskId',
      async () => {
        const page = await clio.get<ClioListPage<{ id: number; name?: string }>>('tasks.json', { query: { matter_id: matter, fields: 'id,name', limit: 200 }, signal: ctx.signal });
        return (page.data ?? []).find((t) => t.name?.includes(ref))?.id ?? null;
      },
      async () => {
        const data = {
          name: `Call back ${who} ${ref}`.slice(0, 255),
          description: detail,
          assignee: { id: assignee, type: 'User' },
          due_at: today,
          priority: m.kind === 'emergency' ? 'High' : 'Normal',
          matter: { id: matter },
          status: 'pending',
          notify_assignee: true,
        };
        return (await clio.post<Created>('tasks.json', { body: { data }, signal: ctx.signal })).data.id;
      },
    );
  } else {
    const contact = contactId;
    await step(
      ctx,
      'clioNoteId',
      async () => {
        const page = await clio.get<ClioListPage<{ id: number; subject?: string }>>('notes.json', { query: { contact_id: contact, type: 'Contact', fields: 'id,subject', limit: 200 }, signal: ctx.signal });
        return (page.data ?? []).find((n) => n.subject?.includes(ref))?.id ?? null;
      },
      async () => {
        const data = { type: 'Contact', contact: { id: contact }, subject: `Phone message from ${who} ${ref}`.slice(0, 255), detail, date: today };
        return (await clio.post<Created>('notes.json', { body: { data }, signal: ctx.signal })).data.id;
      },
    );
  }
  await ctx.save({ clio: 'done' });
}

/** The Clio user HERMES is connected as: the assignee of the tasks it makes (a task needs one). */
async function whoAmI(ctx: DeliveryContext, clio: ClioClient): Promise<number> {
  if (typeof ctx.progress.clioUserId === 'number') return ctx.progress.clioUserId;
  const me = await clio.get<{ data: { id: number } }>('users/who_am_i.json', { query: { fields: 'id,name' }, signal: ctx.signal });
  await ctx.save({ clioUserId: me.data.id });
  return me.data.id;
}
