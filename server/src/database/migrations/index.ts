import type { MigrationObject } from '@mikro-orm/core';
import { InitialSchema } from './20261125-initial-schema.ts';
import { SpentRefreshTokens } from './20261125-spent-refresh-tokens.ts';
import { RateLimitCounters } from './20261125-rate-limit-counters.ts';
import { NormalizedEmails } from './20261204-normalized-emails.ts';
import { SealedSigningKeys } from './20261204-sealed-signing-keys.ts';
import { OrmConstraintNames } from './20261204-orm-constraint-names.ts';
import { AccountEmail } from './20261205-account-email.ts';
import { SecondFactors } from './20261205-second-factors.ts';
import { Passkeys } from './20261205-passkeys.ts';

/** Every migration in order; listed explicitly so start-up needs no file globbing. */
export const migrations: MigrationObject[] = [
  { name: '20261125-initial-schema', class: InitialSchema },
  { name: '20261125-spent-refresh-tokens', class: SpentRefreshTokens },
  { name: '20261125-rate-limit-counters', class: RateLimitCounters },
  { name: '20261204-normalized-emails', class: NormalizedEmails },
  { name: '20261204-sealed-signing-keys', class: SealedSigningKeys },
  { name: '20261204-orm-constraint-names', class: OrmConstraintNames },
  { name: '20261205-account-email', class: AccountEmail },
  { name: '20261205-passkeys', class: Passkeys },
  { name: '20261205-second-factors', class: SecondFactors },
];
