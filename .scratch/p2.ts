import { readParties } from '../src/reasoning/understand/parties.ts';
import { partyNames } from '../src/reasoning/understand/people.ts';
import { createOfflineReasoner } from '../src/reasoning/index.ts';
import { ctxFor, said } from '../test/reasoning/understand-fixtures.ts';
const r = createOfflineReasoner();
for (const p of ["the truck belonged to Lakeshore Carriers, the driver's name I don't remember", "Jewel-Osco de Ashland", "la tienda, el Jewel-Osco de Ashland", "Kristen McKenzie and her boyfriend Jason Tolliver"]) {
  console.log(p, '->', JSON.stringify(readParties(p)), partyNames(p));
  const i = await r.understand(said(p), ctxFor('opposing_party'));
  console.log('   understand:', JSON.stringify(i.fills.map(f=>[f.slot,f.value,f.confirm])), JSON.stringify(i.requests));
}
