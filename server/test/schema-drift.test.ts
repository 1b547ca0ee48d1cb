import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  astFromValue,
  buildSchema,
  isEnumType,
  isInputObjectType,
  isNonNullType,
  isObjectType,
  isScalarType,
  print,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { printSortedSchema, schema as liveSchema } from '../src/schema.ts';

const SCHEMA_FILE = fileURLToPath(new URL('../../schema.graphql', import.meta.url));

/** The published contract (docs/architecture.md), verbatim: additions are fine; renaming or removing any of this is not. */
const CONTRACT = /* GraphQL */ `
  scalar DateTime

  type User { id: ID!  email: String!  name: String!  avatarUrl: String  createdAt: DateTime! }

  type Session {            # one login on one device; a refresh token family
    id: ID!  createdAt: DateTime!  lastUsedAt: DateTime!  expiresAt: DateTime!
    userAgent: String  ip: String  current: Boolean!
  }

  enum TokenTransport { COOKIE BEARER }

  type AuthPayload {
    user: User!
    accessTokenExpiresAt: DateTime!
    refreshTokenExpiresAt: DateTime!
    accessToken: String     # only for transport BEARER; null for COOKIE
    refreshToken: String    # only for transport BEARER; null for COOKIE
  }

  input SignupInput { email: String!  password: String!  name: String! }
  input LoginInput  { email: String!  password: String! }

  type Query {
    me: User!
    sessions: [Session!]!
  }

  type Mutation {
    signup(input: SignupInput!, transport: TokenTransport = COOKIE): AuthPayload!
    login(input: LoginInput!, transport: TokenTransport = COOKIE): AuthPayload!
    refresh(refreshToken: String): AuthPayload!   # no argument: the refresh cookie
    logout(refreshToken: String): Boolean!        # idempotent; clears cookies
    logoutAll(exceptCurrent: Boolean = false): Int!
    revokeSession(id: ID!): Boolean!
    changePassword(currentPassword: String!, newPassword: String!): Boolean!
    updateProfile(name: String, avatarUrl: String): User!
  }

  # Account recovery and email, added to the above.
  extend type User { emailVerified: Boolean! }

  extend type Mutation {
    requestPasswordReset(email: String!): Boolean!
    resetPassword(token: String!, newPassword: String!, transport: TokenTransport = COOKIE): AuthPayload!
    sendVerificationEmail: Boolean!
    verifyEmail(token: String!): User!
    changeEmail(newEmail: String!, currentPassword: String!): Boolean!
    confirmEmailChange(token: String!): User!
    deleteAccount(currentPassword: String!): Boolean!
  }

  # Second factors, added to the above.
  type SecondFactors { totpEnabled: Boolean!  recoveryCodesLeft: Int! }
  type TotpEnrollment { secret: String!  uri: String! }
  extend type User { secondFactors: SecondFactors! }

  extend type Mutation {
    completeLogin(challenge: String!, code: String, passkeyResponse: String, transport: TokenTransport = COOKIE): AuthPayload!
    beginTotpEnrollment: TotpEnrollment!
    confirmTotpEnrollment(code: String!): [String!]!
    disableTotp: Boolean!
    regenerateRecoveryCodes: [String!]!
    verifySecondFactor(code: String, passkeyResponse: String): Boolean!
    passkeySecondFactorOptions(challenge: String): String!
  }

  # Passkeys, added to the above.
  type Passkey { id: ID!  name: String!  createdAt: DateTime!  lastUsedAt: DateTime }

  extend type Query { passkeys: [Passkey!]! }

  extend type Mutation {
    passkeyRegistrationOptions: String!
    registerPasskey(response: String!, name: String!): Passkey!
    renamePasskey(id: ID!, name: String!): Passkey!
    removePasskey(id: ID!): Boolean!
    passkeyLoginOptions: String!
    loginWithPasskey(response: String!, transport: TokenTransport = COOKIE): AuthPayload!
  }
`;

function printArgument(argument: GraphQLArgument): string {
  const defaultValue = argument.defaultValue === undefined ? undefined : astFromValue(argument.defaultValue, argument.type);
  return `${argument.name}: ${String(argument.type)}${defaultValue ? ` = ${print(defaultValue)}` : ''}`;
}

/** A field as SDL writes it, with arguments in the order given: `name(arg: Type = default): Type`. */
function signature(field: GraphQLField<unknown, unknown>, argumentOrder?: string[]): string {
  const byName = new Map(field.args.map((argument) => [argument.name, argument]));
  const names = argumentOrder ?? field.args.map((argument) => argument.name);
  const args = names.map((name) => byName.get(name)).filter((argument) => argument !== undefined);
  return `${field.name}${args.length > 0 ? `(${args.map(printArgument).join(', ')})` : ''}: ${String(field.type)}`;
}

function kindOf(type: GraphQLNamedType): string {
  if (isObjectType(type)) return 'object';
  if (isInputObjectType(type)) return 'input';
  if (isEnumType(type)) return 'enum';
  if (isScalarType(type)) return 'scalar';
  return 'other';
}

/** Every way `actual` breaks the contract: a missing or changed type, field, argument or enum value. */
function contractViolations(actual: GraphQLSchema): string[] {
  const contract = buildSchema(CONTRACT);
  const violations: string[] = [];
  for (const expected of Object.values(contract.getTypeMap())) {
    if (expected.name.startsWith('__') || ['String', 'Boolean', 'Int', 'Float', 'ID'].includes(expected.name)) continue;
    const found = actual.getType(expected.name);
    if (!found) {
      violations.push(`type ${expected.name} is missing`);
      continue;
    }
    if (kindOf(found) !== kindOf(expected)) {
      violations.push(`${expected.name} is a ${kindOf(found)}, not a ${kindOf(expected)}`);
      continue;
    }
    if (isObjectType(expected) && isObjectType(found)) {
      const foundFields = found.getFields();
      for (const field of Object.values(expected.getFields())) {
        const actualField = foundFields[field.name];
        if (!actualField) {
          violations.push(`${expected.name}.${field.name} is missing`);
          continue;
        }
        const order = field.args.map((argument) => argument.name);
        if (signature(actualField, order) !== signature(field)) {
          violations.push(`${expected.name}.${signature(actualField, order)} should be ${expected.name}.${signature(field)}`);
        }
        for (const extra of actualField.args.filter((argument) => !order.includes(argument.name))) {
          if (isNonNullType(extra.type) && extra.defaultValue === undefined) {
            violations.push(`${expected.name}.${field.name} gained a required argument ${printArgument(extra)}`);
          }
        }
      }
    }
    if (isInputObjectType(expected) && isInputObjectType(found)) {
      const foundFields = found.getFields();
      for (const field of Object.values(expected.getFields())) {
        const actualField = foundFields[field.name];
        if (!actualField) violations.push(`${expected.name}.${field.name} is missing`);
        else if (String(actualField.type) !== String(field.type)) {
          violations.push(`${expected.name}.${field.name}: ${String(actualField.type)} should be ${String(field.type)}`);
        }
      }
      for (const extra of Object.values(foundFields).filter((field) => !(field.name in expected.getFields()))) {
        if (isNonNullType(extra.type) && extra.defaultValue === undefined) {
          violations.push(`${expected.name} gained a required field ${extra.name}: ${String(extra.type)}`);
        }
      }
    }
    if (isEnumType(expected) && isEnumType(found)) {
      const values = found.getValues().map((value) => value.name);
      for (const value of expected.getValues()) {
        if (!values.includes(value.name)) violations.push(`${expected.name}.${value.name} is missing`);
      }
    }
  }
  return violations;
}

describe('the committed schema.graphql', () => {
  const committed = readFileSync(SCHEMA_FILE);

  it('equals the schema the code builds, byte for byte', () => {
    const printed = printSortedSchema();
    const message = `${SCHEMA_FILE} is out of date with server/src: run \`npm run schema\` and commit the result`;
    expect(committed.toString('utf8'), message).toBe(printed);
    expect(committed.equals(Buffer.from(printed, 'utf8')), message).toBe(true);
  });

  it('is sorted, so it diffs cleanly', () => {
    const typeNames = [...committed.toString('utf8').matchAll(/^(?:type|input|enum|scalar|interface|union) (\w+)/gm)].map((match) => match[1] ?? '');
    expect(typeNames.length).toBeGreaterThan(0);
    expect(typeNames).toEqual([...typeNames].sort());
  });

  it('keeps every type, field, argument and default of the published contract', () => {
    expect(contractViolations(buildSchema(committed.toString('utf8')))).toEqual([]);
  });

  it('has the exact signatures of the auth mutations', () => {
    const mutation = buildSchema(committed.toString('utf8')).getMutationType();
    expect(mutation).toBeDefined();
    const fields = mutation!.getFields();
    const signatureOf = (name: string, order: string[]) => {
      const field = fields[name];
      return field ? signature(field, order) : `${name} is missing`;
    };
    expect(signatureOf('signup', ['input', 'transport'])).toBe('signup(input: SignupInput!, transport: TokenTransport = COOKIE): AuthPayload!');
    expect(signatureOf('login', ['input', 'transport'])).toBe('login(input: LoginInput!, transport: TokenTransport = COOKIE): AuthPayload!');
    expect(signatureOf('refresh', ['refreshToken'])).toBe('refresh(refreshToken: String): AuthPayload!');
    expect(signatureOf('logout', ['refreshToken'])).toBe('logout(refreshToken: String): Boolean!');
    expect(signatureOf('logoutAll', ['exceptCurrent'])).toBe('logoutAll(exceptCurrent: Boolean = false): Int!');
    expect(signatureOf('revokeSession', ['id'])).toBe('revokeSession(id: ID!): Boolean!');
    expect(signatureOf('changePassword', ['currentPassword', 'newPassword'])).toBe('changePassword(currentPassword: String!, newPassword: String!): Boolean!');
    expect(signatureOf('updateProfile', ['name', 'avatarUrl'])).toBe('updateProfile(name: String, avatarUrl: String): User!');
    expect(signatureOf('requestPasswordReset', ['email'])).toBe('requestPasswordReset(email: String!): Boolean!');
    expect(signatureOf('resetPassword', ['token', 'newPassword', 'transport'])).toBe('resetPassword(token: String!, newPassword: String!, transport: TokenTransport = COOKIE): AuthPayload!');
    expect(signatureOf('sendVerificationEmail', [])).toBe('sendVerificationEmail: Boolean!');
    expect(signatureOf('verifyEmail', ['token'])).toBe('verifyEmail(token: String!): User!');
    expect(signatureOf('changeEmail', ['newEmail', 'currentPassword'])).toBe('changeEmail(newEmail: String!, currentPassword: String!): Boolean!');
    expect(signatureOf('confirmEmailChange', ['token'])).toBe('confirmEmailChange(token: String!): User!');
    expect(signatureOf('deleteAccount', ['currentPassword'])).toBe('deleteAccount(currentPassword: String!): Boolean!');
    expect(signatureOf('registerPasskey', ['response', 'name'])).toBe('registerPasskey(response: String!, name: String!): Passkey!');
    expect(signatureOf('renamePasskey', ['id', 'name'])).toBe('renamePasskey(id: ID!, name: String!): Passkey!');
    expect(signatureOf('loginWithPasskey', ['response', 'transport'])).toBe('loginWithPasskey(response: String!, transport: TokenTransport = COOKIE): AuthPayload!');
    expect(signatureOf('completeLogin', ['challenge', 'code', 'passkeyResponse', 'transport'])).toBe('completeLogin(challenge: String!, code: String, passkeyResponse: String, transport: TokenTransport = COOKIE): AuthPayload!');
    expect(signatureOf('verifySecondFactor', ['code', 'passkeyResponse'])).toBe('verifySecondFactor(code: String, passkeyResponse: String): Boolean!');
    expect(signatureOf('confirmTotpEnrollment', ['code'])).toBe('confirmTotpEnrollment(code: String!): [String!]!');
  });
});

describe('the schema the server serves', () => {
  it('keeps every type, field, argument and default of the published contract', () => {
    expect(contractViolations(liveSchema)).toEqual([]);
  });

  it('reports a renamed field, a changed type and a lost default as contract violations', () => {
    const drifted = buildSchema(
      CONTRACT.replace('lastUsedAt: DateTime!', 'lastUsed: DateTime!')
        .replace('me: User!', 'me: User')
        .replace('logoutAll(exceptCurrent: Boolean = false)', 'logoutAll(exceptCurrent: Boolean)')
        .replace('enum TokenTransport { COOKIE BEARER }', 'enum TokenTransport { COOKIE }'),
    );
    expect(contractViolations(drifted)).toEqual([
      'Session.lastUsedAt is missing',
      'TokenTransport.BEARER is missing',
      'Query.me: User should be Query.me: User!',
      'Mutation.logoutAll(exceptCurrent: Boolean): Int! should be Mutation.logoutAll(exceptCurrent: Boolean = false): Int!',
    ]);
  });
});
