import { z } from 'zod';

const UNITS_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Parses `10s`, `15m`, `14d`, `250ms` or plain seconds into milliseconds. */
export function parseDuration(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(text);
  if (!match) return undefined;
  const unit = (match[2] ?? 's') as keyof typeof UNITS_MS;
  return Math.round(Number(match[1]) * UNITS_MS[unit]);
}

const duration = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((text, ctx) => {
      const ms = parseDuration(text);
      if (ms === undefined || ms <= 0) {
        ctx.addIssue({ code: 'custom', message: `expected a positive duration like 10s, 15m or 14d, got "${text}"` });
        return z.NEVER;
      }
      return ms;
    });

/** `5/15m`: at most 5 in any 15-minute window; `off` disables the limit. */
const rateLimit = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((text, ctx): RateLimitRule | null => {
      if (text.trim() === 'off') return null;
      const [count, window] = text.split('/');
      const limit = Number(count);
      const windowMs = window === undefined ? undefined : parseDuration(window);
      if (!Number.isInteger(limit) || limit < 1 || windowMs === undefined || windowMs <= 0) {
        ctx.addIssue({ code: 'custom', message: `expected a limit like 5/15m (count/duration) or off, got "${text}"` });
        return z.NEVER;
      }
      return { limit, windowMs };
    });

const flag = z.stringbool({ truthy: ['true', '1', 'yes', 'on'], falsy: ['false', '0', 'no', 'off'], error: 'expected true or false' }).optional();

/** How many proxies in front to believe: `false`/`0` none, `true` one, or a count of hops. */
const trustedHops = z
  .string()
  .optional()
  .transform((text, ctx) => {
    if (text === undefined) return 0;
    const value = text.trim().toLowerCase();
    if (['false', 'no', 'off'].includes(value)) return 0;
    if (['true', 'yes', 'on'].includes(value)) return 1;
    if (/^\d{1,2}$/.test(value)) return Number(value);
    ctx.addIssue({ code: 'custom', message: `expected the number of trusted proxy hops (0-99), true (= 1) or false, got "${text}"` });
    return z.NEVER;
  });

const origin = z.string().transform((text, ctx) => {
  try {
    const url = new URL(text);
    if ((url.protocol === 'http:' || url.protocol === 'https:') && url.origin === text.replace(/\/$/, '')) return url.origin;
  } catch {
    // reported below
  }
  ctx.addIssue({ code: 'custom', message: `expected an origin like https://auth.example.com (scheme and host, no path), got "${text}"` });
  return z.NEVER;
});

const privateJwk = z.looseObject({
  kid: z.string().min(1),
  kty: z.enum(['OKP', 'EC']),
  crv: z.enum(['Ed25519', 'P-256']),
  d: z.string().min(1),
  x: z.string().min(1),
});

const jwkSet = z.string().transform((text, ctx) => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'expected a JSON JWK set: {"keys":[...]}' });
    return z.NEVER;
  }
  const result = z.object({ keys: z.array(privateJwk).min(1) }).safeParse(parsed);
  if (!result.success) {
    ctx.addIssue({ code: 'custom', message: 'expected {"keys":[...]} of private Ed25519 (OKP) or P-256 (EC) keys, each with a kid' });
    return z.NEVER;
  }
  return result.data.keys;
});

// Control and invisible characters (NUL, CR/LF, bidi overrides) have no place in a header or a URL.
const CONTROL_OR_INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

/**
 * A nodemailer transport URL, `smtp://` (STARTTLS when offered) or `smtps://` (TLS from the start).
 * Messages never quote the value: it may hold the relay's password.
 */
const smtpUrl = z.string().transform((text, ctx) => {
  const fail = (why: string) => {
    ctx.addIssue({ code: 'custom', message: `${why}; expected a URL like smtps://user:password@smtp.example.com:465 or smtp://mailpit:1025 (the value is not shown: it may hold a password)` });
    return z.NEVER;
  };
  if (CONTROL_OR_INVISIBLE.test(text)) return fail('contains control or invisible characters');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return fail('not a URL');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') return fail(`the scheme must be smtp: or smtps:, not ${JSON.stringify(url.protocol.slice(0, 20))}`);
  if (!url.hostname) return fail('no host');
  return text;
});

/** The product's name in emails: one short line a person reads. */
const appName = z
  .string()
  .default('GraphQL Auth')
  .transform((text) => text.trim())
  .refine((text) => text.length >= 1 && [...text].length <= 60, 'expected 1 to 60 characters')
  .refine((text) => !CONTROL_OR_INVISIBLE.test(text), 'remove the control or invisible characters');

// A secret that encrypts keys must not be guessable: 32 characters is 192 bits even in base64.
const encryptionSecret = z.string().min(32, 'expected at least 32 characters, e.g. from `openssl rand -base64 32`');

const environment = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().min(1).default('127.0.0.1'),
  EMBEDDED_POSTGRES_PORT: z.coerce.number().int().min(1024).max(65535).refine((port) => port !== 5432, 'must not be 5432, which a system PostgreSQL may hold').default(54329),
  EMBEDDED_POSTGRES_DIR: z.string().min(1).optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'expected a postgres:// connection string')
    .optional(),
  DATABASE_DIRECT_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'expected a postgres:// connection string')
    .optional(),
  PUBLIC_ORIGIN: origin.optional(),
  ALLOWED_ORIGINS: z.string().optional(),
  ACCESS_TOKEN_TTL: duration('15m'),
  REFRESH_IDLE_TTL: duration('14d'),
  SESSION_MAX_AGE: duration('30d'),
  REFRESH_GRACE: duration('10s'),
  REVOCATION_CATCH_UP: duration('5s'),
  CLEANUP_INTERVAL: duration('10m'),
  LOGIN_LIMIT_ACCOUNT_IP: rateLimit('5/15m'),
  LOGIN_LIMIT_ACCOUNT: rateLimit('100/1h'),
  LOGIN_LIMIT_IP: rateLimit('300/1h'),
  SIGNUP_LIMIT_IP: rateLimit('20/1h'),
  REFRESH_LIMIT_IP: rateLimit('600/1m'),
  PASSWORD_RESET_LIMIT_IP: rateLimit('30/1h'),
  PASSWORD_RESET_LIMIT_EMAIL: rateLimit('5/1h'),
  VERIFICATION_EMAIL_LIMIT_USER: rateLimit('5/1h'),
  PASSWORD_RESET_TTL: duration('30m'),
  EMAIL_VERIFICATION_TTL: duration('24h'),
  REQUIRE_EMAIL_VERIFICATION: flag,
  REQUEST_BODY_LIMIT: z.coerce.number().int().min(1024).default(65_536),
  REQUEST_TIMEOUT: duration('30s'),
  KEEP_ALIVE_TIMEOUT: duration('5s'),
  MAX_CONNECTIONS: z.coerce.number().int().min(1).default(1024),
  BCRYPT_COST: z.coerce.number().int().min(4).max(31).default(12),
  JWT_PRIVATE_KEYS: jwkSet.optional(),
  KEY_ENCRYPTION_SECRET: encryptionSecret.optional(),
  KEY_ENCRYPTION_SECRET_PREVIOUS: encryptionSecret.optional(),
  TRUST_PROXY: trustedHops,
  GRAPHQL_INTROSPECTION: flag,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  METRICS_TOKEN: z.string().min(16, 'expected at least 16 characters (e.g. openssl rand -hex 24)').optional(),
  SMTP_URL: smtpUrl.optional(),
  // Checked in loadConfig: its default comes from APP_NAME and PUBLIC_ORIGIN.
  EMAIL_FROM: z.string().optional(),
  APP_NAME: appName,
});

export type PrivateJwk = z.infer<typeof privateJwk>;

/** A sender: the display name (may be empty) and the address, kept apart so nodemailer encodes the name. */
export interface Mailbox {
  name: string;
  address: string;
}

// Dot-atom local part and a host name: what a sender address needs, nothing that could end a header.
const ADDRESS = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** `no-reply@example.com`, `"Name" <no-reply@example.com>` or `Name <no-reply@example.com>`; undefined for anything else. */
export function parseMailbox(text: string): Mailbox | undefined {
  if (CONTROL_OR_INVISIBLE.test(text) || text.length > 320) return undefined;
  const named = /^\s*(?:"([^"\\<>]*)"|([^"\\<>]*?))\s*<([^<>\s]+)>\s*$/.exec(text);
  const name = (named ? (named[1] ?? named[2] ?? '') : '').trim();
  const address = named ? named[3]! : text.trim();
  if (!ADDRESS.test(address) || address.length > 254 || [...name].length > 100) return undefined;
  return { name, address };
}

export interface RateLimitRule {
  limit: number;
  windowMs: number;
}

/** Attempt limits, each `null` when switched off. */
export interface RateLimits {
  /** Failed logins of one account from one IP. */
  loginAccountIp: RateLimitRule | null;
  /** Failed logins of one account from anywhere, except devices that logged in before. */
  loginAccount: RateLimitRule | null;
  /** Failed logins from one IP, whatever the account. */
  loginIp: RateLimitRule | null;
  signupIp: RateLimitRule | null;
  refreshIp: RateLimitRule | null;
  /** Password reset requests from one IP, whatever the email. */
  passwordResetIp: RateLimitRule | null;
  /** Password reset requests for one email, known or not. */
  passwordResetEmail: RateLimitRule | null;
  /** Emails with a link that proves an address (verification, email change), per account. */
  verificationEmailUser: RateLimitRule | null;
}

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  /** Unset: the server runs an embedded PostgreSQL in `.data/postgres`. */
  databaseUrl: string | undefined;
  /**
   * A direct (unpooled) connection for LISTEN/NOTIFY and migrations, set when `DATABASE_URL` goes
   * through a pooler in transaction mode; the hot paths then use no named prepared statements.
   */
  databaseDirectUrl: string | undefined;
  embeddedPostgresPort: number;
  /** Unset: `.data/postgres` at the repository root. */
  embeddedPostgresDir: string | undefined;
  publicOrigin: string;
  allowedOrigins: string[];
  accessTokenTtlMs: number;
  refreshIdleTtlMs: number;
  sessionMaxAgeMs: number;
  refreshGraceMs: number;
  /** How often each instance re-reads recent revocations, in case a notification was lost. */
  revocationCatchUpMs: number;
  cleanupIntervalMs: number;
  bcryptCost: number;
  rateLimits: RateLimits;
  /** How long a password reset link works. */
  passwordResetTtlMs: number;
  /** How long a verification or email-change link works. */
  emailVerificationTtlMs: number;
  /** Unverified accounts cannot log in (`EMAIL_NOT_VERIFIED`). */
  requireEmailVerification: boolean;
  /** Largest request body accepted, in bytes. */
  requestBodyLimitBytes: number;
  /** Longest a request may take to arrive (headers within the shorter of this and 10 s) and a socket may sit idle. */
  requestTimeoutMs: number;
  /** How long an idle keep-alive connection stays open; longer than a load balancer's own idle timeout behind one. */
  keepAliveTimeoutMs: number;
  /** Open connections at most; the next one is closed at once. */
  maxConnections: number;
  /** Unset: keys are generated once and kept in the database. */
  jwtPrivateKeys: PrivateJwk[] | undefined;
  /**
   * Encrypts the signing keys kept in the database. Unset outside production: one is generated
   * into `.data/` at start-up (see key-encryption-secret.ts).
   */
  keyEncryptionSecret: string | undefined;
  /** The secret being replaced: still opens what it sealed, which is then sealed again under the new one. */
  keyEncryptionSecretPrevious: string | undefined;
  /** Proxies in front whose `X-Forwarded-For` entries are believed; 0 means the socket's address. */
  trustProxyHops: number;
  introspection: boolean;
  logLevel: string;
  /** Cookies get `Secure` and the `__Host-` prefix unless the origin is plain-http localhost. */
  secureCookies: boolean;
  /** Set: `/metrics` answers only `Authorization: Bearer <token>`; unset: anyone who reaches it. */
  metricsToken: string | undefined;
  /** The relay emails go through; unset: kept for `/dev/mail` outside production, left in the outbox in production. */
  smtpUrl: string | undefined;
  /** The sender of every email. */
  emailFrom: Mailbox;
  /** The product's name in emails. */
  appName: string;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads and validates the configuration; throws a `ConfigError` naming every bad variable. */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const blankless = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = environment.safeParse(blankless);
  const problems = parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  // Check the rest against whatever parsed, so one start names every bad variable.
  const env = parsed.success ? parsed.data : environment.safeParse(withoutFailed(blankless, parsed.error.issues)).data;
  if (!env) throw new ConfigError(formatProblems(problems));
  const production = env.NODE_ENV === 'production';
  const port = env.PORT;

  const publicOrigin = env.PUBLIC_ORIGIN ?? `http://localhost:${port}`;
  if (production && !env.PUBLIC_ORIGIN && !('PUBLIC_ORIGIN' in blankless)) {
    problems.push('PUBLIC_ORIGIN: required in production (it decides cookie security)');
  }
  const publicUrl = new URL(publicOrigin);
  const plainLocalhost = publicUrl.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(publicUrl.hostname);
  if (publicUrl.protocol === 'http:' && !plainLocalhost) {
    problems.push('PUBLIC_ORIGIN: plain http is allowed only for localhost; use https');
  }

  const allowedOrigins: string[] = [];
  for (const entry of (env.ALLOWED_ORIGINS ?? publicOrigin).split(',').map((text) => text.trim()).filter(Boolean)) {
    const result = origin.safeParse(entry);
    if (result.success) allowedOrigins.push(result.data);
    else problems.push(`ALLOWED_ORIGINS: ${result.error.issues[0]?.message}`);
  }

  if (production && !env.KEY_ENCRYPTION_SECRET && !env.JWT_PRIVATE_KEYS && !('KEY_ENCRYPTION_SECRET' in blankless)) {
    problems.push('KEY_ENCRYPTION_SECRET: required in production unless JWT_PRIVATE_KEYS is set (it encrypts the signing keys kept in the database); generate one with `openssl rand -base64 32`');
  }
  if (env.DATABASE_DIRECT_URL && !env.DATABASE_URL) problems.push('DATABASE_DIRECT_URL: set DATABASE_URL too (the pooled connection it stands beside)');
  if (production && env.BCRYPT_COST < 10) problems.push('BCRYPT_COST: at least 10 in production');
  if (env.REFRESH_IDLE_TTL <= env.ACCESS_TOKEN_TTL) problems.push('REFRESH_IDLE_TTL: must be longer than ACCESS_TOKEN_TTL');
  if (env.SESSION_MAX_AGE < env.REFRESH_IDLE_TTL) problems.push('SESSION_MAX_AGE: must not be shorter than REFRESH_IDLE_TTL');
  if (env.REFRESH_GRACE >= env.REFRESH_IDLE_TTL) problems.push('REFRESH_GRACE: must be shorter than REFRESH_IDLE_TTL');
  const emailFrom = env.EMAIL_FROM === undefined ? { name: env.APP_NAME, address: `no-reply@${publicUrl.hostname}` } : parseMailbox(env.EMAIL_FROM);
  if (!emailFrom) problems.push('EMAIL_FROM: expected an address like no-reply@example.com or "Name" <no-reply@example.com>, on one line');

  if (problems.length > 0 || !emailFrom) throw new ConfigError(formatProblems(problems));

  return {
    env: env.NODE_ENV,
    port,
    host: env.HOST,
    databaseUrl: env.DATABASE_URL,
    databaseDirectUrl: env.DATABASE_DIRECT_URL,
    embeddedPostgresPort: env.EMBEDDED_POSTGRES_PORT,
    embeddedPostgresDir: env.EMBEDDED_POSTGRES_DIR,
    publicOrigin,
    allowedOrigins,
    accessTokenTtlMs: env.ACCESS_TOKEN_TTL,
    refreshIdleTtlMs: env.REFRESH_IDLE_TTL,
    sessionMaxAgeMs: env.SESSION_MAX_AGE,
    refreshGraceMs: env.REFRESH_GRACE,
    revocationCatchUpMs: env.REVOCATION_CATCH_UP,
    cleanupIntervalMs: env.CLEANUP_INTERVAL,
    bcryptCost: env.BCRYPT_COST,
    requestBodyLimitBytes: env.REQUEST_BODY_LIMIT,
    requestTimeoutMs: env.REQUEST_TIMEOUT,
    keepAliveTimeoutMs: env.KEEP_ALIVE_TIMEOUT,
    maxConnections: env.MAX_CONNECTIONS,
    rateLimits: {
      loginAccountIp: env.LOGIN_LIMIT_ACCOUNT_IP,
      loginAccount: env.LOGIN_LIMIT_ACCOUNT,
      loginIp: env.LOGIN_LIMIT_IP,
      signupIp: env.SIGNUP_LIMIT_IP,
      refreshIp: env.REFRESH_LIMIT_IP,
      passwordResetIp: env.PASSWORD_RESET_LIMIT_IP,
      passwordResetEmail: env.PASSWORD_RESET_LIMIT_EMAIL,
      verificationEmailUser: env.VERIFICATION_EMAIL_LIMIT_USER,
    },
    passwordResetTtlMs: env.PASSWORD_RESET_TTL,
    emailVerificationTtlMs: env.EMAIL_VERIFICATION_TTL,
    requireEmailVerification: env.REQUIRE_EMAIL_VERIFICATION ?? false,
    jwtPrivateKeys: env.JWT_PRIVATE_KEYS,
    keyEncryptionSecret: env.KEY_ENCRYPTION_SECRET,
    keyEncryptionSecretPrevious: env.KEY_ENCRYPTION_SECRET_PREVIOUS,
    trustProxyHops: env.TRUST_PROXY,
    introspection: env.GRAPHQL_INTROSPECTION ?? !production,
    logLevel: env.LOG_LEVEL,
    secureCookies: !plainLocalhost,
    metricsToken: env.METRICS_TOKEN,
    smtpUrl: env.SMTP_URL,
    emailFrom,
    appName: env.APP_NAME,
  };
}

function formatProblems(problems: string[]): string {
  return `Invalid configuration:\n${problems.map((line) => `  ${line}`).join('\n')}`;
}

/** The variables that did not fail, so the remaining checks can run on them. */
function withoutFailed(source: Record<string, string | undefined>, issues: readonly { path: PropertyKey[] }[]) {
  const failed = new Set(issues.map((issue) => String(issue.path[0])));
  return Object.fromEntries(Object.entries(source).filter(([key]) => !failed.has(key)));
}
