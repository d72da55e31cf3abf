// House lint rules oxlint has no built-in for, loaded as an oxlint JS plugin (.oxlintrc.json "jsPlugins").
// hermes/import-order: imports in three groups, in this order: Node built-ins (`node:fs`), packages (`fastify`),
// relative paths (`./x.js`), so a reader sees at the top what a module needs from outside the repository. Type
// imports follow the same order; the order inside a group is free (no alphabetising churn).
import { builtinModules } from 'node:module';

const BUILTIN = new Set(builtinModules);
const GROUPS = ['Node built-in', 'package', 'relative'];

/** 0 built-in, 1 package, 2 relative. */
export function importGroup(source) {
  if (source.startsWith('node:') || BUILTIN.has(source.split('/')[0])) return 0;
  if (source.startsWith('.') || source.startsWith('/')) return 2;
  return 1;
}

/**
 * A fixer that stable-sorts the file's imports by group, offered only when they form one block at the top with
 * nothing but line breaks between them (a comment between imports could belong to either neighbour: left to a person).
 */
function sortFix(context, program, imports) {
  if (imports.length < 2 || program.body.indexOf(imports[imports.length - 1]) !== imports.length - 1) return null;
  const text = context.sourceCode.getText();
  for (let i = 1; i < imports.length; i++) {
    if (text.slice(imports[i - 1].range[1], imports[i].range[0]).trim() !== '') return null;
  }
  const sorted = imports
    .map((node, i) => ({ node, i, group: importGroup(String(node.source.value)) }))
    .sort((a, b) => a.group - b.group || a.i - b.i)
    .map(({ node }) => text.slice(node.range[0], node.range[1]));
  const range = [imports[0].range[0], imports[imports.length - 1].range[1]];
  return (fixer) => fixer.replaceTextRange(range, sorted.join('\n'));
}

const importOrder = {
  meta: {
    type: 'suggestion',
    docs: { description: 'Imports grouped as Node built-ins, then packages, then relative paths' },
    fixable: 'code',
    schema: [],
  },
  create(context) {
    return {
      Program(program) {
        const imports = program.body.filter((n) => n.type === 'ImportDeclaration');
        const fix = sortFix(context, program, imports);
        let highest = 0;
        let highestSource = '';
        let fixOffered = false;
        for (const node of imports) {
          const source = String(node.source.value);
          const group = importGroup(source);
          if (group < highest) {
            context.report({
              node,
              message: `${GROUPS[group]} import '${source}' comes after the ${GROUPS[highest]} import '${highestSource}': order imports as Node built-ins, then packages, then relative paths`,
              // One fix for the whole block, on the first report only, so fixes never overlap.
              ...(fix && !fixOffered ? { fix } : {}),
            });
            fixOffered = true;
          } else if (group > highest) {
            highest = group;
            highestSource = source;
          }
        }
      },
    };
  },
};

export default { meta: { name: 'hermes' }, rules: { 'import-order': importOrder } };
