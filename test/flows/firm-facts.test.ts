// Firm facts as people type them (CLI, admin API) and as callers hear them: checking and normalising, hours written
// the way people write them, holidays closing the office, and the flow's `firm:` block as the default only.
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkFirmFacts, parseHours, withFirmFacts } from '../../src/flows/firm-facts.js';
import { isAfterHours } from '../../src/flows/facts.js';
import { loadFlow } from '../../src/flows/index.js';
import { CompiledFlow } from '../../src/flows/loaded.js';

describe('firm facts', () => {
  it('normalises what people type and lists every problem, one per field', () => {
    expect(checkFirmFacts({ main_number: '(312) 555-0777', on_call: '+1 312 555 0199, 312-555-0188, +13125550199', consultation_fee: '$1,250', holidays: '2026-12-25,2026-12-24', business_hours: 'Mon-Thu, sat 08:30-16:00' })).toEqual({
      facts: { main_number: '+13125550777', on_call: ['+13125550199', '+13125550188'], consultation_fee: 1250, holidays: ['2026-12-24', '2026-12-25'], business_hours: { days: ['mon', 'tue', 'wed', 'thu', 'sat'], open: '08:30', close: '16:00' } },
      problems: [],
    });
    const bad = checkFirmFacts({ main_number: '911', timezone: 'Chicago', consultation_fee: -5, business_hours: 'mon-fri 17:00-09:00', holidays: '12/25', colour: 'red' });
    expect(bad.problems).toEqual([
      'main_number: "911" is not a phone number (use E.164, e.g. +13125550100)',
      'timezone: unknown IANA time zone "Chicago"',
      'consultation_fee: dollars, 0 for a free consultation',
      'business_hours: opens (17:00) after it closes (09:00)',
      'holidays: dates as YYYY-MM-DD, comma-separated',
      expect.stringMatching(/^colour: not a firm fact \(known: name, timezone/),
    ]);
  });

  it('reads hours the way they are written, and refuses what it cannot read', () => {
    expect(parseHours('mon-fri 9:00-17:30')).toEqual({ days: ['mon', 'tue', 'wed', 'thu', 'fri'], open: '09:00', close: '17:30' });
    expect(parseHours('saturday 10:00-14:00')).toEqual({ days: ['sat'], open: '10:00', close: '14:00' });
    expect(parseHours('fri-mon 9:00-17:00')).toBeNull();
    expect(parseHours('weekdays nine to five')).toBeNull();
  });

  it('a holiday is after hours all day, in the firm\'s time zone', () => {
    const firm = { name: 'X', timezone: 'America/Chicago', business_hours: { days: ['mon', 'tue', 'wed', 'thu', 'fri'] as ('mon' | 'tue' | 'wed' | 'thu' | 'fri')[], open: '09:00', close: '17:00' }, holidays: ['2026-12-25'] };
    expect(isAfterHours(firm, new Date('2026-12-25T16:00:00Z'))).toBe(true); // Friday 10:00 in Chicago, Christmas
    expect(isAfterHours(firm, new Date('2026-12-24T16:00:00Z'))).toBe(false);
    expect(isAfterHours(firm, new Date('2026-12-26T03:00:00Z'))).toBe(true); // 21:00 on the 25th in Chicago
  });

  it('lays a firm\'s facts over the flow\'s firm: block; unset or empty facts keep the default, and nothing new gives the same flow', async () => {
    const flow = await loadFlow(resolve('flows/intake.yaml'));
    const same = withFirmFacts(flow, { name: (flow as CompiledFlow).program.firm.name, address: '', on_call: [] });
    expect(same).toBe(flow);
    const view = withFirmFacts(flow, { name: 'Okafor Law Group', consultation_fee: 0, main_number: '+13125550777' }) as CompiledFlow;
    expect(view.program.firm).toMatchObject({ name: 'Okafor Law Group', consultation_fee: 0, main_number: '+13125550777', timezone: (flow as CompiledFlow).program.firm.timezone });
    expect(view.firmView()).toMatchObject({ name: 'Okafor Law Group', main_number: '+13125550777' });
    expect(view.fixedPrompts().some((p) => p.text.includes('Okafor Law Group'))).toBe(true);
    expect((flow as CompiledFlow).program.firm.name).not.toBe('Okafor Law Group'); // the shared flow is untouched
  });
});
