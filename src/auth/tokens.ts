// Access tokens: short-lived HS256 JWTs signed with jose. Verification takes an explicit algorithm allow-list,
// so 'none', RS/ES algorithms (the classic key-confusion trick) and anything else are refused before the signature
// is even considered; issuer, audience, expiry and the shape of our own claims are all checked.
import { randomBytes } from 'node:crypto';
import { SignJWT, errors as joseErrors, jwtVerify } from 'jose';
import { isRole, type Role } from './permissions.js';

export const ACCESS_TOKEN_ALG = 'HS256';
const ALLOWED_ALGS = [ACCESS_TOKEN_ALG];
export const ACCESS_TOKEN_TTL_S = 15 * 60;
/** Clock skew tolerated between instances. */
const CLOCK_TOLERANCE_S = 5;

/** Who is asking: the verified claims of an access token. */
export interface Principal {
  userId: number;
  tenantId: number;
  role: Role;
}

export interface TokenSettings {
  secret: string | null;
  issuer: string;
  audience: string;
  /** Lifetime of a signed token; the access token's 15 minutes unless a narrower use (an event-stream ticket) asks. */
  ttlS?: number;
}

// One random key per process when JWT_SECRET is absent: tokens then die with the process, and two instances behind
// nginx would refuse each other's tokens (configWarnings says so at start).
let processSecret: Uint8Array | null = null;
function signingKey(secret: string | null): Uint8Array {
  if (secret !== null) return new TextEncoder().encode(secret);
  processSecret ??= new Uint8Array(randomBytes(32));
  return processSecret;
}

export class TokenError extends Error {
  constructor(readonly reason: string) {
    super(`invalid access token: ${reason}`);
    this.name = 'TokenError';
  }
}

export class AccessTokens {
  private readonly key: Uint8Array;
  constructor(private readonly settings: TokenSettings) {
    this.key = signingKey(settings.secret);
  }

  async sign(p: Principal, now: Date = new Date()): Promise<string> {
    const iat = Math.floor(now.getTime() / 1000);
    return new SignJWT({ tenant: p.tenantId, role: p.role })
      .setProtectedHeader({ alg: ACCESS_TOKEN_ALG, typ: 'JWT' })
      .setSubject(String(p.userId))
      .setIssuer(this.settings.issuer)
      .setAudience(this.settings.audience)
      .setIssuedAt(iat)
      .setExpirationTime(iat + (this.settings.ttlS ?? ACCESS_TOKEN_TTL_S))
      .sign(this.key);
  }

  /** The principal of a valid token; throws TokenError naming what was wrong (never echoes the token). */
  async verify(token: string): Promise<Principal> {
    let payload;
    try {
      ({ payload } = await jwtVerify(token, this.key, {
        algorithms: ALLOWED_ALGS,
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        requiredClaims: ['sub', 'exp', 'iat'],
        clockTolerance: CLOCK_TOLERANCE_S,
      }));
    } catch (err) {
      throw new TokenError(describeJoseError(err));
    }
    const userId = Number(payload.sub);
    const tenantId = payload.tenant;
    if (!Number.isInteger(userId) || userId <= 0) throw new TokenError('bad subject');
    if (typeof tenantId !== 'number' || !Number.isInteger(tenantId)) throw new TokenError('bad tenant claim');
    if (!isRole(payload.role)) throw new TokenError('bad role claim');
    return { userId, tenantId, role: payload.role };
  }
}

function describeJoseError(err: unknown): string {
  if (err instanceof joseErrors.JWTExpired) return 'expired';
  if (err instanceof joseErrors.JOSEAlgNotAllowed) return 'algorithm not allowed';
  if (err instanceof joseErrors.JWSSignatureVerificationFailed) return 'bad signature';
  if (err instanceof joseErrors.JWTClaimValidationFailed) return `claim ${err.claim} ${err.reason.replace(/_/g, ' ')}`;
  if (err instanceof joseErrors.JOSEError) return err.code;
  return 'malformed';
}
