import { normaliseName } from '../src/reasoning/normalisers/name.ts';
import { normaliseDate } from '../src/reasoning/normalisers/date.ts';
import { createOfflineReasoner } from '../src/reasoning/index.ts';
import { ctxFor, said } from '../test/reasoning/understand-fixtures.ts';
const r = createOfflineReasoner();
for (const n of ["Reginald Thompson the third", "Reginald Thompson III", "Martin Luther King Junior", "Carl Evans Jr", "Henry Ford the second"]) console.log(n, JSON.stringify(normaliseName(n)));
const now = new Date('2026-11-18T19:45:00-05:00');
for (const d of ["back in March of last year, I don't remember the day", "it was in 2014, August 2014, I don't know the exact day", "I don't have one, that's the problem, I missed it", "in August of 2014"]) console.log(d, JSON.stringify(normaliseDate(d, now, 'America/Chicago', 'past')));
for (const d of ["I don't have one, that's the problem, I missed it", "it was in 2014, August 2014, I don't know the exact day"]) { const i = await r.understand(said(d), ctxFor(d.startsWith('I') ? 'next_court_date':'incident_date')); console.log(JSON.stringify(i.fills.map(f=>[f.slot,f.value])), JSON.stringify(i.requests)); }
