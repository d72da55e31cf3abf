import { createOfflineReasoner } from '../src/reasoning/index.ts';
import { ctxFor, said } from '../test/reasoning/understand-fixtures.ts';
const r = createOfflineReasoner();
for (const [t, slot, lang] of [["October twenty-ninth, no wait, the twenty-eighth", 'incident_date'], ["it was last month on the 3rd", 'incident_date'], ["the 28th, it's a Wednesday", 'incident_date'], ["October 28th, it was a Thursday", 'incident_date'], ["el 3 de octubre, no, perdón, el 4", 'incident_date', 'es'], ["el mes pasado, el día tres", 'incident_date', 'es'], ["hace dos semanas", 'incident_date', 'es'], ['back in March', 'incident_date'], ['last summer', 'incident_date'], ['the day after Thanksgiving', 'incident_date'], ['two weeks ago Friday', 'incident_date'], ['my hearing is on the 5th, no sorry, the 4th', 'next_court_date'], ['Tuesday the 2nd', 'next_court_date'], ['in December', 'next_court_date']] as [string,string,string?][]) {
  const i = await r.understand(said(t), ctxFor(slot, lang ? { language: lang as 'es' } : {}));
  console.log(t, '->', JSON.stringify(i.fills.map((f) => [f.slot, f.value, f.confirm, f.reason, f.spoken])), JSON.stringify(i.corrections.map(c=>[c.slot,c.value])));
}
