import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { User } from './user.entity.ts';

/**
 * A single-use token sent by email (password reset, email verification, email change). Only its
 * SHA-256 is stored, so a copy of the database holds no usable link.
 */
export const EmailToken = defineEntity({
  name: 'EmailToken',
  tableName: 'email_tokens',
  indexes: [{ name: 'email_tokens_user_purpose_index', properties: ['user', 'purpose'] }],
  properties: {
    tokenHash: p.blob().primary(),
    user: () => p.manyToOne(User).deleteRule('cascade'),
    purpose: p.string().length(20),
    // The address an email change moves to; proven by following the link sent there.
    newEmail: p.string().length(254).nullable(),
    createdAt: p.datetime(),
    expiresAt: p.datetime().index(),
  },
});

export type EmailToken = InferEntity<typeof EmailToken>;
