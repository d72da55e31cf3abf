// The audit log: who did what to which record, for every admin action that changes something (and logins).
// Details must not carry PII or secrets: ids and field names, not caller numbers, e-mails or tokens.
import type { Db } from '../db/knex.js';

export interface AuditEntry {
  tenantId: number | null;
  userId: number | null;
  action: string;
  target?: string | null;
  details?: Record<string, unknown>;
}

export async function audit(db: Db, e: AuditEntry): Promise<void> {
  await db('audit_log').insert({
    tenant_id: e.tenantId,
    user_id: e.userId,
    action: e.action,
    target: e.target ?? null,
    details: JSON.stringify(e.details ?? {}),
    at: new Date(),
  });
}
