import { defineConfig } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { User } from './entities/user.entity.ts';
import { Session } from './entities/session.entity.ts';
import { SigningKey } from './entities/signing-key.entity.ts';
import { SpentRefreshToken } from './entities/spent-refresh-token.entity.ts';
import { RateLimitCounter } from './entities/rate-limit-counter.entity.ts';
import { OutboxEmail } from './entities/outbox-email.entity.ts';
import { EmailToken } from './entities/email-token.entity.ts';
import { Passkey } from './entities/passkey.entity.ts';
import { WebAuthnChallenge } from './entities/webauthn-challenge.entity.ts';
import { WebAuthnUserHandle } from './entities/webauthn-user-handle.entity.ts';
import { TotpCredential } from './entities/totp-credential.entity.ts';
import { RecoveryCode } from './entities/recovery-code.entity.ts';
import { LoginChallenge } from './entities/login-challenge.entity.ts';
import { migrations } from './migrations/index.ts';

/** The one ORM configuration; tests pass another database's URL. ORM messages (migrations) go to `log`. */
export function ormConfig(clientUrl: string, log: (message: string) => void = () => {}) {
  return defineConfig({
    clientUrl,
    logger: log,
    entities: [User, Session, SigningKey, SpentRefreshToken, RateLimitCounter, OutboxEmail, EmailToken, TotpCredential, RecoveryCode, LoginChallenge, Passkey, WebAuthnChallenge, WebAuthnUserHandle],
    extensions: [Migrator],
    migrations: { migrationsList: migrations, transactional: true, allOrNothing: true, snapshot: false },
    pool: { min: 0, max: 10 },
    // A request must fail fast rather than hang when the database is away (it must answer SERVICE_UNAVAILABLE within 3 s): every query
    // here takes milliseconds, so 2.5 s without an answer means the database is unreachable.
    driverOptions: { connectionTimeoutMillis: 2500, query_timeout: 2500 },
    allowGlobalContext: false,
    debug: false,
  });
}
