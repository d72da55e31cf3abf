// TypeBox pieces shared by the admin routes: paging, ids, error bodies, the bearer security requirement.
import { Type, type TSchema } from '@sinclair/typebox';

export const BEARER = [{ bearerAuth: [] }];

export const Paging = {
  limit: Type.Integer({ minimum: 1, maximum: 200, default: 50, description: 'Page size' }),
  // Bounded so PostgreSQL never sees an OFFSET past bigint (a 500 instead of a 400).
  offset: Type.Integer({ minimum: 0, maximum: 1_000_000_000, default: 0, description: 'Rows to skip' }),
};

export const ErrorBody = Type.Object({
  error: Type.String(),
  message: Type.Optional(Type.String()),
  details: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String() }))),
});

export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const IsoDateTime = Type.String({ format: 'date-time' });

/** A page of rows with the total that matched the filters. */
export const Page = <T extends TSchema>(item: T) =>
  Type.Object({ items: Type.Array(item), total: Type.Integer(), limit: Type.Integer(), offset: Type.Integer() });

/** Standard error responses of a protected route. */
export const PROTECTED_ERRORS = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody } as const;

/** The querystring of a route that takes no query parameters: any parameter is an unknown field (400). */
export const NoQuery = Type.Object({}, { additionalProperties: false });

// ajv reports a failed pattern as the bare regular expression; a client should read what the rule is instead.
const PATTERN_RULES = new Map<string, string>();

/** `pattern` for a TypeBox string, with the sentence a failed match answers (e.g. "must be a flow id: ..."). */
export function explainedPattern(pattern: string, rule: string): { pattern: string } {
  PATTERN_RULES.set(pattern, rule);
  return { pattern };
}

export const patternRule = (pattern: unknown): string | undefined => (typeof pattern === 'string' ? PATTERN_RULES.get(pattern) : undefined);

/** `:id` of a row (intake, number, user, outbox row); at most a PostgreSQL integer, so a huge id is a 400, not a 500. */
export const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) }, { additionalProperties: false });
