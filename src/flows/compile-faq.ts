// Load-time checks of a flow's `faq:` block, held to the same standard as prompts: every answer and matter name in
// every language the flow speaks, templates that parse and read only firm facts, example questions for topics that
// are not built in, a `goto` that is a step of the main flow, and firm facts that the built-in answers need.
import type { FlowIssue } from './errors.js';
import { BUILTIN_FAQ_TOPICS } from './faq.js';
import type { Program } from './program.js';
import type { TextT } from './schema.js';
import { templateNames } from './templates.js';

type Path = (string | number)[];

/** What an FAQ answer may read: firm facts (hours and address included) and the handled-matters phrase. */
const ANSWER_NAMES = /^(?:firm\.[\w.]+|handled|language|after_hours)$/;

const languageName = (l: string) => (l === 'es' ? 'Spanish (es)' : 'English (en)');

export function checkFaq(p: Program): FlowIssue[] {
  const issues: FlowIssue[] = [];
  const faq = p.faq;
  const src = p.root.src;
  const at = (path: Path, msg: string, key = false) => issues.push(src.issue(['faq', ...path], msg, { key }));

  const text = (path: Path, t: TextT | undefined, what: string) => {
    if (!t) return;
    for (const lang of p.languages) if (!t[lang]?.trim()) at(path, `faq ${what} has no ${languageName(lang)} text; every answer needs ${p.languages.join(' and ')}`);
    for (const [lang, v] of Object.entries(t)) {
      let names: string[];
      try {
        names = templateNames(v as string);
      } catch (err) {
        at([...path, lang], `faq ${what}: the ${lang} text has a broken {{placeholder}}: ${(err as Error).message}`);
        continue;
      }
      // Answers are said at any point of the call, so they may only read facts that are always known.
      for (const n of names)
        if (!ANSWER_NAMES.test(n)) at([...path, lang], `faq ${what} uses "{{${n}}}"; an answer can use firm facts such as {{firm.hours}}, {{firm.address}} or {{firm.consultation_fee}}, not caller data`);
    }
  };

  for (const [id, topic] of Object.entries(faq.topics ?? {})) {
    text(['topics', id, 'answer'], topic.answer, `topic "${id}"`);
    if (!BUILTIN_FAQ_TOPICS.includes(id)) {
      for (const lang of p.languages)
        if (!topic.examples?.[lang]?.length)
          at(['topics', id], `faq topic "${id}" is not built in, so it needs examples of how callers ask it in ${languageName(lang)} (examples: {${lang}: [...]})`, true);
    }
  }
  const pa = faq.practice_areas;
  if (pa) {
    text(['practice_areas', 'handled'], pa.handled, 'practice_areas.handled');
    (pa.not_handled ?? []).forEach((nh, i) => {
      text(['practice_areas', 'not_handled', i, 'matter'], nh.matter, `not_handled matter ${i + 1}`);
      for (const lang of p.languages)
        if (!nh.words[lang]?.length)
          at(['practice_areas', 'not_handled', i, 'words'], `faq not_handled matter ${i + 1} lists no ${languageName(lang)} words callers use for it`);
    });
    if (pa.goto && !Object.prototype.hasOwnProperty.call(p.root.def.steps, pa.goto))
      at(['practice_areas', 'goto'], `faq practice_areas goes to "${pa.goto}", which is not a step of the main flow`);
    if (pa.not_handled?.length && !pa.goto)
      at(['practice_areas'], 'faq lists matters the firm does not handle but no goto: <step> for those callers (a referral, a message, or a polite end)', true);
  }
  text(['unknown'], faq.unknown, 'unknown');
  return issues;
}
