import { readParties } from '../src/reasoning/understand/parties.ts';
import { normaliseName } from '../src/reasoning/normalisers/name.ts';
console.log(JSON.stringify(readParties("well, I suppose my daughter, Kristen McKenzie, and the father, Jason Tolliver, but he's not in the picture")));
