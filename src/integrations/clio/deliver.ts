// clio.create_intake: Person contact -> pending Matter (practice area by name) -> Note (summary + transcript) ->
// PhoneCommunication (call log). Each remote id is saved in the outbox row's progress the moment it exists, so a
// retry resumes at the step that failed. A step whose earlier attempt may have reached Clio without us hearing the
// answer (timeout, 5xx) first looks for what it would create (by a reference carrying the CallSid), so a retry never
// makes a second contact or matter. Clio Grow is the one-step alternative (a lead in the Grow inbox).
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { DeliveryContext } from '../outbox/worker.js';
import type { Db } from '../../db/knex.js';
import { callLanguage, humanise, loadBundle, summaryText, transcriptText, type IntakeBundle } from '../bundle.js';
import { DeliveryError } from '../errors.js';
import { httpFailure, httpRequest } from '../http.js';
import type { ClioAccess } from './access.js';
import type { ClioClient, ClioListPage } from './client.js';
import { clioPersonName, emailKey, nameTokens, phoneKey } from './names.js';

type Created = { data: { id: number } };

/** E.164 or null: Clio stores what it is given, and a malformed number is worse than none. */
export function e164(phone: string | null): string | null {
  if (!phone) return null;
  const p = parsePhoneNumberFromString(phone, 'US');
  return p?.isValid() ? p.number : null;
}

/** Runs one creating step at most once: resumes from progress, or finds what an unanswered earlier attempt made. */
export async function step(ctx: DeliveryContext, key: string, find: () => Promise<number | null>, create: () => Promise<number>): Promise<number> {
  const done = ctx.progress[key];
  if (typeof done === 'number') return done;
  if (ctx.progress[`${key}Tried`]) {
    const found = await find();
    if (found !== null) {
      await ctx.save({ [key]: found });
      return found;
    }
  }
  await ctx.save({ [`${key}Tried`]: true });
  let id: number;
  try {
    id = await create();
  } catch (err) {
    // Only an answer we never got leaves doubt; a request that never left or was refused needs no search next time.
    if (err instanceof DeliveryError && err.certainlyNotApplied) await ctx.save({ [`${key}Tried`]: false });
    throw err;
  }
  await ctx.save({ [key]: id });
  return id;
}

/** The caller's name as the name parser splits it (never a split on the last space), in the call's language. */
function personName(b: IntakeBundle): { first: string; middle: string; last: string } {
  const n = clioPersonName(b.intake.callerName ?? '', callLanguage(b));
  return { first: n.first_name, middle: n.middle_name, last: n.last_name };
}

const ref = (b: IntakeBundle) => `HERMES ${b.intake.callSid}`;

async function createContact(clio: ClioClient, ctx: DeliveryContext, b: IntakeBundle): Promise<number> {
  const name = personName(b);
  if (!name.first && !name.last) throw new DeliveryError('clio', 'the intake has no caller name, so no contact can be created', { retryable: false });
  const phone = e164(b.intake.callbackPhone);
  const find = async () => {
    const query = phone ?? b.intake.email ?? b.intake.callerName ?? '';
    const page = await clio.get<ClioListPage<{ id: number; first_name?: string; middle_name?: string; last_name?: string; primary_phone_number?: string | null; primary_email_address?: string | null }>>('contacts.json', {
      query: { query, type: 'Person', fields: 'id,first_name,middle_name,last_name,primary_phone_number,primary_email_address', limit: 200 },
      signal: ctx.signal,
    });
    const want = nameTokens(`${name.first} ${name.middle} ${name.last}`).join(' ');
    const hit = (page.data ?? []).find(
      (c) =>
        nameTokens(`${c.first_name ?? ''} ${c.middle_name ?? ''} ${c.last_name ?? ''}`).join(' ') === want &&
        ((phone && c.primary_phone_number && phoneKey(c.primary_phone_number) === phoneKey(phone)) ||
          (b.intake.email && c.primary_email_address && emailKey(c.primary_email_address) === emailKey(b.intake.email))),
    );
    return hit?.id ?? null;
  };
  return step(ctx, 'contactId', find, async () => {
    const data: Record<string, unknown> = { type: 'Person', first_name: name.first, last_name: name.last };
    if (name.middle) data.middle_name = name.middle;
    if (b.intake.email) data.email_addresses = [{ name: 'Other', address: b.intake.email, default_email: true }];
    if (phone) data.phone_numbers = [{ name: 'Mobile', number: phone, default_number: true }];
    const r = await clio.post<Created>('contacts.json', { body: { data }, signal: ctx.signal });
    return r.data.id;
  });
}

export async function deliverClioIntake(ctx: DeliveryContext, db: Db, access: ClioAccess): Promise<void> {
  const tenantId = ctx.row.tenantId;
  if (tenantId === null) throw new DeliveryError('clio', 'the call has no firm (tenant), so there is no Clio account to deliver to', { retryable: false });
  const b = await loadBundle(db, ctx.row.intakeId);
  const target = await access.target(tenantId);
  if (target.kind === 'grow') return deliverGrowLead(ctx, b, target.baseUrl, target.inboxLeadToken);

  const clio = access.client(tenantId);
  const contactId = await createContact(clio, ctx, b);
  const area = b.intake.practiceArea ? humanise(b.intake.practiceArea) : null;
  const today = (b.call?.startedAt ?? ctx.clock.now()).toISOString().slice(0, 10);
  const description = `${area ? `${area[0]!.toUpperCase()}${area.slice(1)}` : 'New'} intake: ${b.intake.callerName ?? 'caller'}, ${today} [${ref(b)}]`.slice(0, 250);

  const matterId = await step(
    ctx,
    'matterId',
    async () => {
      const page = await clio.get<ClioListPage<{ id: number; description?: string }>>('matters.json', { query: { query: b.intake.callSid, client_id: contactId, fields: 'id,description', limit: 200 }, signal: ctx.signal });
      return (page.data ?? []).find((m) => m.description?.includes(ref(b)))?.id ?? null;
    },
    async () => {
      const areaId = area ? await access.practiceAreaId(tenantId, area, ctx.signal) : null;
      const data: Record<string, unknown> = { client: { id: contactId }, description, status: 'pending' };
      if (areaId !== null) data.practice_area = { id: areaId };
      return (await clio.post<Created>('matters.json', { body: { data }, signal: ctx.signal })).data.id;
    },
  );

  const subject = `Intake call ${today} [${ref(b)}]`;
  await step(
    ctx,
    'noteId',
    async () => {
      const page = await clio.get<ClioListPage<{ id: number; subject?: string }>>('notes.json', { query: { matter_id: matterId, type: 'Matter', fields: 'id,subject', limit: 200 }, signal: ctx.signal });
      return (page.data ?? []).find((n) => n.subject?.includes(ref(b)))?.id ?? null;
    },
    async () => {
      const detail = `${summaryText(b)}\n\nTranscript:\n${transcriptText(b)}`;
      return (await clio.post<Created>('notes.json', { body: { data: { type: 'Matter', matter: { id: matterId }, subject, detail, date: today } }, signal: ctx.signal })).data.id;
    },
  );

  await step(
    ctx,
    'communicationId',
    async () => {
      const page = await clio.get<ClioListPage<{ id: number; subject?: string }>>('communications.json', { query: { matter_id: matterId, fields: 'id,subject', limit: 200 }, signal: ctx.signal });
      return (page.data ?? []).find((c) => c.subject?.includes(ref(b)))?.id ?? null;
    },
    async () => {
      const data = {
        type: 'PhoneCommunication',
        subject: `Call from ${b.intake.callerName ?? 'caller'} [${ref(b)}]`,
        body: summaryText(b),
        matter: { id: matterId },
        received_at: (b.call?.startedAt ?? ctx.clock.now()).toISOString(),
        senders: [{ id: contactId, type: 'Contact' }],
      };
      return (await clio.post<Created>('communications.json', { body: { data }, signal: ctx.signal })).data.id;
    },
  );
}

async function deliverGrowLead(ctx: DeliveryContext, b: IntakeBundle, baseUrl: string, token: string): Promise<void> {
  if (ctx.progress.growLead) return;
  const name = personName(b);
  const res = await httpRequest('clio-grow', `${baseUrl.replace(/\/$/, '')}/inbox_leads`, {
    method: 'POST',
    body: {
      inbox_lead_token: token,
      inbox_lead: {
        from_first: [name.first, name.middle].filter(Boolean).join(' ') || name.last || 'Caller',
        from_last: name.first ? name.last : '',
        from_message: `${summaryText(b)}\n\nTranscript:\n${transcriptText(b)}`.slice(0, 10_000),
        referring_url: 'hermes://phone-intake',
        from_source: 'HERMES phone intake',
        from_email: b.intake.email ?? '',
        from_phone: e164(b.intake.callbackPhone) ?? '',
      },
    },
    signal: ctx.signal,
  });
  if (res.status !== 201 && res.status !== 200) throw httpFailure('clio-grow', res, ctx.clock.now());
  await ctx.save({ growLead: true });
}
