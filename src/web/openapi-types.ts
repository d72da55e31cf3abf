// Turns HERMES's OpenAPI document into the TypeScript `paths` interface openapi-fetch reads (the shape
// openapi-typescript emits). Written here because openapi-typescript needs TypeScript 5's compiler API and HERMES
// builds with TypeScript 7, which has none; the document's schemas are TypeBox output, a small JSON Schema subset.
// `npm run gen:api` writes web/src/api/schema.ts; a test fails when the committed file is stale.

type Schema = {
  type?: string | string[]; properties?: Record<string, Schema>; required?: string[]; items?: Schema;
  anyOf?: Schema[]; oneOf?: Schema[]; allOf?: Schema[]; enum?: unknown[]; const?: unknown; nullable?: boolean;
  additionalProperties?: boolean | Schema; patternProperties?: Record<string, Schema>; $ref?: string; description?: string; default?: unknown;
};
type Parameter = { name: string; in: 'query' | 'path' | 'header' | 'cookie'; required?: boolean; schema?: Schema };
type Operation = {
  parameters?: Parameter[]; requestBody?: { required?: boolean; content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>; summary?: string;
};
export type OpenApiDocument = { paths?: Record<string, Record<string, Operation>>; components?: { schemas?: Record<string, Schema> } };

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
// Status codes stay numeric keys: openapi-fetch matches them against 200 | 201 ..., not "200".
const key = (k: string) => (/^[A-Za-z_$][\w$]*$/.test(k) || /^[1-9]\d*$/.test(k) ? k : JSON.stringify(k));
const pad = (depth: number) => '    '.repeat(depth);

export function schemaType(s: Schema | undefined, depth = 0): string {
  if (!s) return 'unknown';
  const t = inner(s, depth);
  return s.nullable ? `${t} | null` : t;
}

function inner(s: Schema, depth: number): string {
  if (s.$ref) return `components["schemas"][${JSON.stringify(s.$ref.split('/').pop())}]`;
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
  const union = s.anyOf ?? s.oneOf;
  if (union) return union.map((u) => wrap(schemaType(u, depth))).join(' | ');
  if (s.allOf) return s.allOf.map((u) => wrap(schemaType(u, depth))).join(' & ');
  if (Array.isArray(s.type)) return s.type.map((t) => inner({ ...s, type: t }, depth)).join(' | ');
  switch (s.type) {
    case 'string': return 'string';
    case 'integer': case 'number': return 'number';
    case 'boolean': return 'boolean';
    case 'null': return 'null';
    case 'array': return `${wrap(schemaType(s.items, depth))}[]`;
    case 'object': case undefined: return objectType(s, depth);
    default: return 'unknown';
  }
}

const wrap = (t: string) => (/[|&]/.test(t) && !/^\{[\s\S]*\}$/.test(t) ? `(${t})` : t);

function objectType(s: Schema, depth: number): string {
  const props = Object.entries(s.properties ?? {});
  const extra = s.patternProperties ? Object.values(s.patternProperties)[0] : typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined;
  if (props.length === 0) {
    if (extra) return `{\n${pad(depth + 1)}[key: string]: ${schemaType(extra, depth + 1)};\n${pad(depth)}}`;
    return s.type === 'object' && s.additionalProperties !== false ? 'Record<string, unknown>' : 'Record<string, never>';
  }
  const req = new Set(s.required ?? []);
  const lines = props.map(([k, v]) => `${pad(depth + 1)}${key(k)}${req.has(k) ? '' : '?'}: ${schemaType(v, depth + 1)};`);
  if (extra) lines.push(`${pad(depth + 1)}[key: string]: unknown;`);
  return `{\n${lines.join('\n')}\n${pad(depth)}}`;
}

function parameters(op: Operation, depth: number): string {
  const groups = (['query', 'header', 'path', 'cookie'] as const).map((where) => {
    const ps = (op.parameters ?? []).filter((p) => p.in === where);
    if (ps.length === 0) return `${pad(depth + 1)}${where}?: never;`;
    // A parameter with a default is required by the server's schema but optional to a client: the server fills it.
    const needed = (p: Parameter) => p.required === true && p.schema?.default === undefined;
    const lines = ps.map((p) => `${pad(depth + 2)}${key(p.name)}${needed(p) ? '' : '?'}: ${schemaType(p.schema, depth + 2)};`);
    const optional = ps.every((p) => !needed(p)) ? '?' : '';
    return `${pad(depth + 1)}${where}${optional}: {\n${lines.join('\n')}\n${pad(depth + 1)}};`;
  });
  return `{\n${groups.join('\n')}\n${pad(depth)}}`;
}

function content(c: Record<string, { schema?: Schema }> | undefined, depth: number): string {
  const entries = Object.entries(c ?? {});
  if (entries.length === 0) return 'never';
  return `{\n${entries.map(([type, m]) => `${pad(depth + 1)}${JSON.stringify(type)}: ${schemaType(m.schema, depth + 1)};`).join('\n')}\n${pad(depth)}}`;
}

function operation(op: Operation, depth: number): string {
  const d = depth + 1;
  const body = op.requestBody
    ? `${pad(d)}requestBody${op.requestBody.required ? '' : '?'}: {\n${pad(d + 1)}content: ${content(op.requestBody.content, d + 1)};\n${pad(d)}};`
    : `${pad(d)}requestBody?: never;`;
  const responses = Object.entries(op.responses ?? {}).map(([code, r]) =>
    `${pad(d + 1)}${key(code)}: {\n${pad(d + 2)}headers: { [name: string]: unknown };\n${pad(d + 2)}content${r.content ? '' : '?'}: ${content(r.content, d + 2)};\n${pad(d + 1)}};`);
  return `{\n${pad(d)}parameters: ${parameters(op, d)};\n${body}\n${pad(d)}responses: {\n${responses.join('\n')}\n${pad(d)}};\n${pad(depth)}}`;
}

/** The whole generated module: `paths`, `components` and `operations` as openapi-fetch expects them. */
export function openApiToTypes(doc: OpenApiDocument): string {
  const out: string[] = [
    '// Generated from HERMES\'s OpenAPI document by `npm run gen:api` (src/web/openapi-types.ts). Do not edit:',
    '// test/web/api-types.test.ts fails when this file no longer matches the API.',
    '/* eslint-disable */',
    'export interface paths {',
  ];
  for (const [path, item] of Object.entries(doc.paths ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    const url = path.replace(/\{([^}]+)\}/g, '{$1}');
    const lines = [`${pad(1)}${JSON.stringify(url)}: {`, `${pad(2)}parameters: { query?: never; header?: never; path?: never; cookie?: never };`];
    for (const m of METHODS) lines.push(item[m] ? `${pad(2)}${m}: ${operation(item[m], 2)};` : `${pad(2)}${m}?: never;`);
    lines.push(`${pad(1)}};`);
    out.push(...lines);
  }
  out.push('}', 'export interface components {', `${pad(1)}schemas: {`);
  for (const [name, s] of Object.entries(doc.components?.schemas ?? {})) out.push(`${pad(2)}${key(name)}: ${schemaType(s, 2)};`);
  out.push(`${pad(1)}};`, `${pad(1)}responses: never;`, `${pad(1)}parameters: never;`, `${pad(1)}requestBodies: never;`, `${pad(1)}headers: never;`, `${pad(1)}pathItems: never;`, '}', 'export type operations = Record<string, never>;', '');
  return out.join('\n');
}
