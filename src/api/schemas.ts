// TypeBox pieces shared by the admin routes: paging, ids, error bodies, the bearer security requirement.
import { Type, type TSchema } from '@sinclair/typebox';

export const BEARER = [{ bearerAuth: [] }];

export const Paging = {
  limit: Type.Integer({ minimum: 1, maximum: 200, default: 50, description: 'Page size' }),
  offset: Type.Integer({ minimum: 0, default: 0, description: 'Rows to skip' }),
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
