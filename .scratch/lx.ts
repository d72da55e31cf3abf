import nlp from 'compromise';
const L = (nlp.model() as any).one.lexicon;
for (const w of ['ashland','chicago','cicero','evanston','méxico','mexico','america','pilsen','aurora','joliet','clark','halsted','oak','park','naperville','elgin','waukegan','gary', 'illinois']) console.log(w, L[w]);
console.log(nlp('Jewel-Osco de Ashland').places().out('array'), nlp('the Jewel Osco in Ashland').places().out('array'));
