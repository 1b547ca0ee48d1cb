import { isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { badUserInput } from './errors.ts';

// Control characters (NUL above all, which PostgreSQL cannot store in text) have no place in any
// input here; nor lone surrogates (a pair is one code point here), which would be stored as U+FFFD.
const UNSTORABLE = /[\p{Cc}\p{Cs}]/u;

/** The first string in `value` (an argument or an input object, at any depth) that may not be stored, with its field. */
function firstUnstorable(field: string, value: unknown): string | undefined {
  if (typeof value === 'string') {
    return UNSTORABLE.test(value) ? field : undefined;
  }
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = firstUnstorable(field, item);
      if (found) return found;
    }
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = firstUnstorable(key, item);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * Checks every string argument of every field before its resolver runs: one place, so no resolver
 * can forget it, and hostile bytes answer BAD_USER_INPUT naming the field instead of reaching the
 * database as an internal error.
 */
export function guardTextArguments(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const resolve = field.resolve;
      if (field.args.length === 0 || !resolve) continue;
      const guarded: GraphQLFieldResolver<unknown, unknown> = (source, args: Record<string, unknown>, context, info) => {
        const unstorable = firstUnstorable('', args);
        if (unstorable !== undefined) throw badUserInput(unstorable, 'Remove the control characters or invalid Unicode from this field.');
        return resolve(source, args, context, info);
      };
      field.resolve = guarded;
    }
  }
  return schema;
}
