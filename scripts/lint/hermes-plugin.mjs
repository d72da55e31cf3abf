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

const importOrder = {
  meta: {
    type: 'suggestion',
    docs: { description: 'Imports grouped as Node built-ins, then packages, then relative paths' },
    schema: [],
  },
  create(context) {
    return {
      Program(program) {
        let highest = 0;
        let highestSource = '';
        for (const node of program.body) {
          if (node.type !== 'ImportDeclaration') continue;
          const source = String(node.source.value);
          const group = importGroup(source);
          if (group < highest) {
            context.report({
              node,
              message: `${GROUPS[group]} import '${source}' comes after the ${GROUPS[highest]} import '${highestSource}': order imports as Node built-ins, then packages, then relative paths`,
            });
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
