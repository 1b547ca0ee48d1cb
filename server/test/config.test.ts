import { exportJWK, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseDuration } from '../src/config.ts';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const DAY = 24 * 60 * MINUTE;
const SECRET = 'an operator secret of at least 32 characters';

/** The error `loadConfig(env)` throws, which must be a ConfigError. */
function configErrorFor(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw new Error(`expected a ConfigError, got ${String(error)}`);
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify(env)}, but the configuration loaded`);
}

describe("loadConfig defaults (the README's Configuration table)", () => {
  it('uses the documented defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      env: 'development',
      port: 4000,
      host: '127.0.0.1',
      databaseUrl: undefined,
      embeddedPostgresPort: expect.any(Number),
      publicOrigin: 'http://localhost:4000',
      allowedOrigins: ['http://localhost:4000'],
      accessTokenTtlMs: 15 * MINUTE,
      refreshIdleTtlMs: 14 * DAY,
      sessionMaxAgeMs: 30 * DAY,
      refreshGraceMs: 10 * SECOND,
      bcryptCost: 12,
      jwtPrivateKeys: undefined,
      trustProxyHops: 0,
      introspection: true,
      logLevel: 'info',
      secureCookies: false,
    });
  });

  it('runs the embedded PostgreSQL on a port of its own, never 5432', () => {
    const { embeddedPostgresPort } = loadConfig({});
    expect(embeddedPostgresPort).not.toBe(5432);
    expect(configErrorFor({ EMBEDDED_POSTGRES_PORT: '5432' }).message).toContain('EMBEDDED_POSTGRES_PORT');
  });

  it('derives PUBLIC_ORIGIN from PORT, and ALLOWED_ORIGINS from PUBLIC_ORIGIN', () => {
    expect(loadConfig({ PORT: '5173' })).toMatchObject({ port: 5173, publicOrigin: 'http://localhost:5173', allowedOrigins: ['http://localhost:5173'] });
    expect(loadConfig({ PUBLIC_ORIGIN: 'https://auth.example.com' })).toMatchObject({ allowedOrigins: ['https://auth.example.com'] });
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '', ACCESS_TOKEN_TTL: '', PUBLIC_ORIGIN: '' })).toMatchObject({
      port: 4000,
      accessTokenTtlMs: 15 * MINUTE,
      publicOrigin: 'http://localhost:4000',
    });
  });

  it('turns introspection on outside production and off in production, unless GRAPHQL_INTROSPECTION says otherwise', () => {
    expect(loadConfig({ NODE_ENV: 'development' }).introspection).toBe(true);
    expect(loadConfig({ NODE_ENV: 'test' }).introspection).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production', PUBLIC_ORIGIN: 'https://auth.example.com', KEY_ENCRYPTION_SECRET: SECRET }).introspection).toBe(false);
    expect(loadConfig({ GRAPHQL_INTROSPECTION: 'false' }).introspection).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', PUBLIC_ORIGIN: 'https://auth.example.com', KEY_ENCRYPTION_SECRET: SECRET, GRAPHQL_INTROSPECTION: 'true' }).introspection).toBe(true);
  });

  it('reads TRUST_PROXY as a number of proxy hops, with true meaning one and false none', () => {
    expect(loadConfig({}).trustProxyHops).toBe(0);
    for (const value of ['true', 'yes', 'on', '1']) expect(loadConfig({ TRUST_PROXY: value }).trustProxyHops).toBe(1);
    for (const value of ['false', '0', 'no', 'off']) expect(loadConfig({ TRUST_PROXY: value }).trustProxyHops).toBe(0);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxyHops).toBe(2);
  });
});

describe('account recovery and email', () => {
  it('uses the documented defaults: 30-minute reset links, 24-hour verification links, login without verification', () => {
    expect(loadConfig({})).toMatchObject({
      appName: 'GraphQL Auth',
      passwordResetTtlMs: 30 * MINUTE,
      emailVerificationTtlMs: 24 * 60 * MINUTE,
      requireEmailVerification: false,
      rateLimits: {
        passwordResetIp: { limit: 30, windowMs: 60 * MINUTE },
        passwordResetEmail: { limit: 5, windowMs: 60 * MINUTE },
        verificationEmailUser: { limit: 5, windowMs: 60 * MINUTE },
      },
    });
  });

  it('reads the variables', () => {
    const config = loadConfig({
      APP_NAME: '  Acme Accounts ',
      PASSWORD_RESET_TTL: '1h',
      EMAIL_VERIFICATION_TTL: '3d',
      REQUIRE_EMAIL_VERIFICATION: 'true',
      PASSWORD_RESET_LIMIT_IP: 'off',
      PASSWORD_RESET_LIMIT_EMAIL: '3/1d',
      VERIFICATION_EMAIL_LIMIT_USER: '10/1h',
    });
    expect(config).toMatchObject({ appName: 'Acme Accounts', passwordResetTtlMs: 60 * MINUTE, emailVerificationTtlMs: 3 * DAY, requireEmailVerification: true });
    expect(config.rateLimits).toMatchObject({ passwordResetIp: null, passwordResetEmail: { limit: 3, windowMs: DAY }, verificationEmailUser: { limit: 10, windowMs: 60 * MINUTE } });
  });
});

describe('durations', () => {
  it.each([
    ['10s', 10 * SECOND],
    ['15m', 15 * MINUTE],
    ['14d', 14 * DAY],
    ['2h', 2 * 60 * MINUTE],
    ['250ms', 250],
    ['90', 90 * SECOND],
  ])('parses %s as %i ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it('applies parsed durations to every lifetime', () => {
    const config = loadConfig({ ACCESS_TOKEN_TTL: '10s', REFRESH_IDLE_TTL: '15m', SESSION_MAX_AGE: '14d', REFRESH_GRACE: '90' });
    expect(config).toMatchObject({ accessTokenTtlMs: 10 * SECOND, refreshIdleTtlMs: 15 * MINUTE, sessionMaxAgeMs: 14 * DAY, refreshGraceMs: 90 * SECOND });
  });

  it('accepts the short lifetimes the acceptance checks use', () => {
    expect(loadConfig({ ACCESS_TOKEN_TTL: '5s', REFRESH_GRACE: '2s' })).toMatchObject({ accessTokenTtlMs: 5 * SECOND, refreshGraceMs: 2 * SECOND });
  });

  it.each(['banana', '0', '0s', '-5s', '10 years', '15x', ''])('does not parse %j as a positive duration', (text) => {
    const ms = parseDuration(text);
    expect(ms === undefined || ms <= 0).toBe(true);
  });
});

describe('invalid values', () => {
  it.each([
    { variable: 'ACCESS_TOKEN_TTL', value: 'banana' },
    { variable: 'ACCESS_TOKEN_TTL', value: '0s' },
    { variable: 'REFRESH_GRACE', value: '-1s' },
    { variable: 'PORT', value: '99999' },
    { variable: 'PORT', value: 'http' },
    { variable: 'BCRYPT_COST', value: '3' },
    { variable: 'BCRYPT_COST', value: '12.5' },
    { variable: 'PUBLIC_ORIGIN', value: 'not-a-url' },
    { variable: 'PUBLIC_ORIGIN', value: 'http://example.com' },
    { variable: 'PUBLIC_ORIGIN', value: 'https://auth.example.com/app' },
    { variable: 'PUBLIC_ORIGIN', value: 'ftp://auth.example.com' },
    { variable: 'ALLOWED_ORIGINS', value: 'https://a.example.com, not-a-url' },
    { variable: 'JWT_PRIVATE_KEYS', value: 'not-json' },
    { variable: 'JWT_PRIVATE_KEYS', value: '{"keys":[{"kty":"oct","k":"c2VjcmV0"}]}' },
    { variable: 'TRUST_PROXY', value: 'maybe' },
    { variable: 'TRUST_PROXY', value: '-1' },
    { variable: 'TRUST_PROXY', value: '1.5' },
    { variable: 'GRAPHQL_INTROSPECTION', value: 'sometimes' },
    { variable: 'NODE_ENV', value: 'staging' },
    { variable: 'LOG_LEVEL', value: 'loud' },
    { variable: 'DATABASE_URL', value: 'mysql://localhost/auth' },
    { variable: 'APP_NAME', value: 'Acme\r\nBcc: victim@example.com' },
    { variable: 'PASSWORD_RESET_TTL', value: 'soon' },
    { variable: 'EMAIL_VERIFICATION_TTL', value: '0' },
    { variable: 'REQUIRE_EMAIL_VERIFICATION', value: 'sometimes' },
    { variable: 'PASSWORD_RESET_LIMIT_EMAIL', value: '5' },
    { variable: 'VERIFICATION_EMAIL_LIMIT_USER', value: '0/1h' },
  ])('rejects $variable=$value with a ConfigError naming $variable', ({ variable, value }) => {
    const error = configErrorFor({ [variable]: value });
    expect(error.name).toBe('ConfigError');
    expect(error.message).toMatch(new RegExp(`\\b${variable}\\b`));
  });

  it('names every bad variable at once, not only the first', () => {
    const { message } = configErrorFor({ ACCESS_TOKEN_TTL: 'banana', PORT: '99999', TRUST_PROXY: 'maybe' });
    expect(message).toContain('ACCESS_TOKEN_TTL');
    expect(message).toContain('PORT');
    expect(message).toContain('TRUST_PROXY');
  });

  it('names a malformed variable and a missing production requirement in the same message', () => {
    // An operator fixing one problem should not discover the next only on the following start.
    const { message } = configErrorFor({ NODE_ENV: 'production', ACCESS_TOKEN_TTL: 'banana' });
    expect(message).toContain('ACCESS_TOKEN_TTL');
    expect(message).toContain('PUBLIC_ORIGIN');
  });

  it('never echoes the private keys of a JWT_PRIVATE_KEYS it refuses', () => {
    const secret = 'c3VwZXItc2VjcmV0LXByaXZhdGUta2V5LW1hdGVyaWFs';
    const { message } = configErrorFor({ JWT_PRIVATE_KEYS: `{"keys":[{"kty":"OKP","crv":"Ed25519","d":"${secret}"}]}` });
    expect(message).toContain('JWT_PRIVATE_KEYS');
    expect(message).not.toContain(secret);
  });

  it('refuses lifetimes that contradict each other', () => {
    expect(configErrorFor({ ACCESS_TOKEN_TTL: '1d', REFRESH_IDLE_TTL: '1d' }).message).toContain('REFRESH_IDLE_TTL');
    expect(configErrorFor({ REFRESH_IDLE_TTL: '30d', SESSION_MAX_AGE: '7d' }).message).toContain('SESSION_MAX_AGE');
    expect(configErrorFor({ REFRESH_GRACE: '14d' }).message).toContain('REFRESH_GRACE');
  });
});

describe('valid non-default values', () => {
  it('accepts a JWT_PRIVATE_KEYS set of Ed25519 and P-256 keys, the first being current', async () => {
    const ed = await exportJWK((await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true })).privateKey);
    const ec = await exportJWK((await generateKeyPair('ES256', { extractable: true })).privateKey);
    const keys = [
      { ...ed, kid: 'current' },
      { ...ec, kid: 'previous' },
    ];
    const config = loadConfig({ JWT_PRIVATE_KEYS: JSON.stringify({ keys }) });
    expect(config.jwtPrivateKeys?.map((key) => key.kid)).toEqual(['current', 'previous']);
  });

  it('reads ALLOWED_ORIGINS as a comma-separated list, trimmed, without trailing slashes', () => {
    const config = loadConfig({ PUBLIC_ORIGIN: 'https://auth.example.com/', ALLOWED_ORIGINS: ' https://app.example.com , https://admin.example.com/ ' });
    expect(config.publicOrigin).toBe('https://auth.example.com');
    expect(config.allowedOrigins).toEqual(['https://app.example.com', 'https://admin.example.com']);
  });

  it('allows the test bcrypt cost of 4 outside production', () => {
    expect(loadConfig({ BCRYPT_COST: '4' }).bcryptCost).toBe(4);
    expect(loadConfig({ NODE_ENV: 'test', BCRYPT_COST: '4' }).bcryptCost).toBe(4);
  });
});

describe('production', () => {
  it('requires PUBLIC_ORIGIN', () => {
    expect(configErrorFor({ NODE_ENV: 'production' }).message).toContain('PUBLIC_ORIGIN');
    expect(configErrorFor({ NODE_ENV: 'production', DATABASE_URL: 'postgres://auth@db/auth' }).message).toContain('PUBLIC_ORIGIN');
  });

  it('requires a bcrypt cost of at least 10', () => {
    const production = { NODE_ENV: 'production', PUBLIC_ORIGIN: 'https://auth.example.com', KEY_ENCRYPTION_SECRET: SECRET };
    expect(configErrorFor({ ...production, BCRYPT_COST: '4' }).message).toContain('BCRYPT_COST');
    expect(configErrorFor({ ...production, BCRYPT_COST: '9' }).message).toContain('BCRYPT_COST');
    expect(loadConfig({ ...production, BCRYPT_COST: '10' }).bcryptCost).toBe(10);
  });

  it('requires KEY_ENCRYPTION_SECRET, unless JWT_PRIVATE_KEYS takes the keys out of the database', () => {
    const production = { NODE_ENV: 'production', PUBLIC_ORIGIN: 'https://auth.example.com' };
    expect(configErrorFor(production).message).toMatch(/^\s*KEY_ENCRYPTION_SECRET: required in production/m);
    expect(configErrorFor({ ...production, KEY_ENCRYPTION_SECRET: 'too short' }).message).toMatch(/KEY_ENCRYPTION_SECRET: expected at least 32 characters/);
    expect(configErrorFor({ ...production, KEY_ENCRYPTION_SECRET: SECRET, KEY_ENCRYPTION_SECRET_PREVIOUS: 'short' }).message).toContain('KEY_ENCRYPTION_SECRET_PREVIOUS');
    const jwk = { kid: 'k1', kty: 'OKP', crv: 'Ed25519', d: 'ZA', x: 'eA' };
    expect(loadConfig({ ...production, JWT_PRIVATE_KEYS: JSON.stringify({ keys: [jwk] }) }).keyEncryptionSecret).toBeUndefined();
  });

  it('loads with only an https PUBLIC_ORIGIN and KEY_ENCRYPTION_SECRET set: keys come from the database, cookies are Secure', () => {
    const config = loadConfig({ NODE_ENV: 'production', PUBLIC_ORIGIN: 'https://auth.example.com', KEY_ENCRYPTION_SECRET: SECRET });
    expect(config).toMatchObject({
      env: 'production',
      publicOrigin: 'https://auth.example.com',
      allowedOrigins: ['https://auth.example.com'],
      bcryptCost: 12,
      jwtPrivateKeys: undefined,
      databaseUrl: undefined,
      secureCookies: true,
      introspection: false,
      trustProxyHops: 0,
      keyEncryptionSecret: SECRET,
    });
  });

  it('loads with only DATABASE_URL, an https PUBLIC_ORIGIN and KEY_ENCRYPTION_SECRET set', () => {
    const config = loadConfig({ NODE_ENV: 'production', PUBLIC_ORIGIN: 'https://auth.example.com', DATABASE_URL: 'postgres://auth@db:5432/auth', KEY_ENCRYPTION_SECRET: SECRET });
    expect(config.databaseUrl).toBe('postgres://auth@db:5432/auth');
  });
});

describe('secure cookies', () => {
  it.each(['http://localhost:4000', 'http://localhost', 'http://127.0.0.1:4000', 'http://[::1]:4000'])(
    'drops Secure only for the plain-http localhost origin %s',
    (publicOrigin) => {
      expect(loadConfig({ PUBLIC_ORIGIN: publicOrigin }).secureCookies).toBe(false);
    },
  );

  it.each(['https://localhost:4000', 'https://127.0.0.1', 'https://auth.example.com', 'https://auth.example.com:8443'])(
    'keeps Secure for the https origin %s',
    (publicOrigin) => {
      expect(loadConfig({ PUBLIC_ORIGIN: publicOrigin }).secureCookies).toBe(true);
    },
  );

  it('refuses plain http for any host but localhost rather than sending cookies without Secure', () => {
    for (const publicOrigin of ['http://example.com', 'http://192.168.1.10:4000', 'http://localhost.example.com']) {
      expect(configErrorFor({ PUBLIC_ORIGIN: publicOrigin }).message).toContain('PUBLIC_ORIGIN');
    }
  });
});

describe('email settings', () => {
  it('defaults the sender to "APP_NAME" <no-reply@host of PUBLIC_ORIGIN>, and APP_NAME to GraphQL Auth', () => {
    expect(loadConfig({})).toMatchObject({ smtpUrl: undefined, appName: 'GraphQL Auth', emailFrom: { name: 'GraphQL Auth', address: 'no-reply@localhost' } });
    expect(loadConfig({ PUBLIC_ORIGIN: 'https://auth.example.com:8443', APP_NAME: '  Acme Login ' })).toMatchObject({
      appName: 'Acme Login',
      emailFrom: { name: 'Acme Login', address: 'no-reply@auth.example.com' },
    });
  });

  it.each([
    ['no-reply@example.com', { name: '', address: 'no-reply@example.com' }],
    ['"Acme, Inc." <hello@mail.example.com>', { name: 'Acme, Inc.', address: 'hello@mail.example.com' }],
    ['Acme Login <login+auth@example.com>', { name: 'Acme Login', address: 'login+auth@example.com' }],
  ])('reads EMAIL_FROM=%s', (value, mailbox) => {
    expect(loadConfig({ EMAIL_FROM: value }).emailFrom).toEqual(mailbox);
  });

  it.each(['smtp://localhost:1025', 'smtps://user:p%40ss@smtp.example.com:465', 'smtp://mailpit:1025/?pool=false'])('accepts SMTP_URL=%s as it is', (value) => {
    expect(loadConfig({ SMTP_URL: value }).smtpUrl).toBe(value);
  });

  it.each([
    { variable: 'SMTP_URL', value: 'http://smtp.example.com' },
    { variable: 'SMTP_URL', value: 'smtp.example.com:465' },
    { variable: 'SMTP_URL', value: 'smtp://' },
    { variable: 'SMTP_URL', value: 'smtp://relay.example.com\u0000:25' },
    { variable: 'SMTP_URL', value: 'smtp://relay.example.com:25\r\nRCPT TO:<x@example.com>' },
    { variable: 'EMAIL_FROM', value: 'no-reply@example.com\r\nBcc: everyone@example.com' },
    { variable: 'EMAIL_FROM', value: '"Acme\r\nBcc: x@example.com" <no-reply@example.com>' },
    { variable: 'EMAIL_FROM', value: 'not an address' },
    { variable: 'EMAIL_FROM', value: '"Acme" <no-reply@example.com>, other@example.com' },
    { variable: 'EMAIL_FROM', value: 'Acme <no-reply@example.com' },
    { variable: 'EMAIL_FROM', value: 'no-reply@exa\u0000mple.com' },
    { variable: 'APP_NAME', value: 'Acme\nLogin' },
    { variable: 'APP_NAME', value: 'Acme\u202eLogin' },
    { variable: 'APP_NAME', value: 'A'.repeat(61) },
  ])('rejects $variable=$value with a ConfigError naming $variable', ({ variable, value }) => {
    expect(configErrorFor({ [variable]: value }).message).toMatch(new RegExp(`^\\s*${variable}: `, 'm'));
  });

  it('never echoes the password of an SMTP_URL it refuses', () => {
    for (const value of ['ftp://mailer:hunter2-relay-password@smtp.example.com', 'smtps://mailer:hunter2-relay-password@smtp.example.com:465\u0000']) {
      const { message } = configErrorFor({ SMTP_URL: value });
      expect(message).toContain('SMTP_URL');
      expect(message).not.toContain('hunter2');
      expect(message).not.toContain('mailer');
    }
  });

  it('starts in production without SMTP_URL: mail then waits in the outbox', () => {
    expect(loadConfig({ NODE_ENV: 'production', PUBLIC_ORIGIN: 'https://auth.example.com', KEY_ENCRYPTION_SECRET: SECRET }).smtpUrl).toBeUndefined();
  });
});
