// Types of the house lint plugin, for the tests that import it.
/** 0 Node built-in, 1 package, 2 relative path. */
export function importGroup(source: string): 0 | 1 | 2;
declare const plugin: { meta: { name: string }; rules: Record<string, unknown> };
export default plugin;
