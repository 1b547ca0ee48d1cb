import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { User } from './user.entity.ts';

/**
 * One single-use recovery code: only its SHA-256 (bound to the user) is stored, so a copy of the
 * database holds no usable code. Spending one deletes its row.
 */
export const RecoveryCode = defineEntity({
  name: 'RecoveryCode',
  tableName: 'recovery_codes',
  properties: {
    codeHash: p.blob().primary(),
    user: () => p.manyToOne(User).deleteRule('cascade').index(),
    createdAt: p.datetime(),
  },
});

export type RecoveryCode = InferEntity<typeof RecoveryCode>;
