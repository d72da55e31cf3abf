import { parseFullName } from 'parse-full-name';
for (const n of ['Robert Smith Jr.', 'Ann Marie Lee', 'Maria de la Cruz', "Kevin O'Brien", 'Marisol Vega-Ortiz', 'Juan Carlos Pérez López', 'Dr. Ann Lee', 'Mary Ann Van Dyke']) console.log(n, JSON.stringify(parseFullName(n, 'all', -1, 0, 0)));
