// A firm's privacy settings, kept on its tenant row: whether calls are recorded (and the disclosure says so) and how
// many days transcripts, recordings and undelivered intakes are kept. Checked here once, so the API and the CLI refuse
// the same input with the same words.
import type { Knex } from 'knex';
import { rowNumber } from './rows.js';

export const RECORDING_MODES = ['off', 'on'] as const;
export type RecordingMode = (typeof RECORDING_MODES)[number];

export interface FirmSettings {
  recording: RecordingMode;
  /** Days a call's transcript, recording and undelivered intake are kept; null keeps them until deleted. */
  retentionDays: number | null;
}

/** Longest retention accepted (ten years): anything longer is a typo, and "keep" is null. */
export const MAX_RETENTION_DAYS = 3650;

export class FirmSettingsInputError extends Error {
  constructor(readonly field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = 'FirmSettingsInputError';
  }
}

type Trx = Knex | Knex.Transaction;

export const DEFAULT_FIRM_SETTINGS: FirmSettings = { recording: 'off', retentionDays: null };

export function isRecordingMode(v: unknown): v is RecordingMode {
  return typeof v === 'string' && (RECORDING_MODES as readonly string[]).includes(v);
}

function check(patch: Partial<FirmSettings>): void {
  if (patch.recording !== undefined && !isRecordingMode(patch.recording)) throw new FirmSettingsInputError('recording', 'must be off or on');
  const d = patch.retentionDays;
  if (d !== undefined && d !== null && (!Number.isInteger(d) || d < 1 || d > MAX_RETENTION_DAYS)) {
    throw new FirmSettingsInputError('retentionDays', `must be a whole number of days from 1 to ${MAX_RETENTION_DAYS}, or null to keep`);
  }
}

/** The settings of a firm; the defaults (not recorded, kept) for no firm or an unknown one. */
export async function firmSettings(db: Trx, tenantId: number | null): Promise<FirmSettings> {
  if (tenantId === null) return DEFAULT_FIRM_SETTINGS;
  const row = (await db('tenants').where({ id: tenantId }).first('recording', 'retention_days')) as { recording: unknown; retention_days: unknown } | undefined;
  if (!row) return DEFAULT_FIRM_SETTINGS;
  return { recording: isRecordingMode(row.recording) ? row.recording : 'off', retentionDays: rowNumber(row.retention_days) };
}

/** Changes some settings; returns them as now stored, or null when the firm does not exist. */
export async function updateFirmSettings(db: Trx, tenantId: number, patch: Partial<FirmSettings>): Promise<FirmSettings | null> {
  check(patch);
  const set: Record<string, unknown> = {};
  if (patch.recording !== undefined) set.recording = patch.recording;
  if (patch.retentionDays !== undefined) set.retention_days = patch.retentionDays;
  if (Object.keys(set).length > 0) {
    const n = await db('tenants').where({ id: tenantId }).update(set);
    if (n === 0) return null;
  } else if (!(await db('tenants').where({ id: tenantId }).first('id'))) return null;
  return firmSettings(db, tenantId);
}
