import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

export const User = defineEntity({
  name: 'User',
  tableName: 'users',
  properties: {
    id: p.uuid().primary().onCreate(() => crypto.randomUUID()),
    // Stored trimmed and lower-cased: the unique index then makes sign-up case-insensitive.
    email: p.string().length(254).unique(),
    name: p.string().length(100),
    avatarUrl: p.string().length(2048).nullable(),
    passwordHash: p.string().length(100).lazy(),
    // Set once the owner followed a link sent to `email` (or reset the password through one).
    emailVerified: p.boolean().default(false),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});

export type User = InferEntity<typeof User>;
