import { describe, expect, it } from 'vitest';
import { conflictQuery } from '../../src/integrations/effect-runner.js';

describe('conflict query from the flow arguments', () => {
  it('searches each named party on its own', () => {
    const q = conflictQuery({ caller_name: 'Ann Lee', opposing_party: 'Acme Trucking and John Smith' }, {});
    expect(q.callerNames).toEqual(['Ann Lee']);
    expect(q.opposingNames).toEqual(['Acme Trucking', 'John Smith']);
  });

  it('does not search Clio for "none" when the caller says there is no other party', () => {
    for (const said of ['none', 'Nobody.', 'no one', 'n/a', 'ninguna', 'nadie']) {
      expect(conflictQuery({ caller_name: 'Ann Lee', opposing_party: said }, {}).opposingNames).toEqual([]);
    }
  });
});
