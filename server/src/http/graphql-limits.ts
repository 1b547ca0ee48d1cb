import { GraphQLError, Kind, type ASTVisitor, type SelectionSetNode, type ValidationContext } from 'graphql';
import type { Plugin, YogaInitialContext } from 'graphql-yoga';
import { costLimitPlugin } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { blockFieldSuggestionsPlugin } from '@escape.tech/graphql-armor-block-field-suggestions';

/** The mutations that cost a bcrypt hash, rotate a token, check a second factor's code, charge a limit on emails or run a passkey ceremony: one per request, however they are dressed up. */
const AUTH_MUTATIONS = new Set([
  'signup',
  'login',
  'refresh',
  'changePassword',
  'requestPasswordReset',
  'resetPassword',
  'changeEmail',
  'deleteAccount',
  'completeLogin',
  'passkeySecondFactorOptions',
  'verifySecondFactor',
  'confirmTotpEnrollment',
  'passkeyRegistrationOptions',
  'registerPasskey',
  'passkeyLoginOptions',
  'loginWithPasskey',
]);

function countAuthMutations(selectionSet: SelectionSetNode, context: ValidationContext, seen: Set<string>): number {
  let count = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) count += AUTH_MUTATIONS.has(selection.name.value) ? 1 : 0;
    else if (selection.kind === Kind.INLINE_FRAGMENT) count += countAuthMutations(selection.selectionSet, context, seen);
    else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      const fragment = context.getFragment(selection.name.value);
      if (fragment) count += countAuthMutations(fragment.selectionSet, context, seen);
    }
  }
  return count;
}

/** Aliases and fragments cannot smuggle a second password guess or refresh into one request. */
export function singleAuthMutationRule(context: ValidationContext): ASTVisitor {
  return {
    OperationDefinition(node) {
      if (node.operation !== 'mutation') return;
      if (countAuthMutations(node.selectionSet, context, new Set()) > 1) {
        context.reportError(
          new GraphQLError(`A request may run at most one of ${[...AUTH_MUTATIONS].slice(0, -1).join(', ')} and ${[...AUTH_MUTATIONS].at(-1)}.`, {
            nodes: [node],
            extensions: { code: 'BAD_USER_INPUT' },
          }),
        );
      }
    },
  };
}

/** Refuses bodies over `maxBytes` (413) and chunked uploads whose size is unknown up front (411). */
function useRequestBodyLimit(maxBytes: number): Plugin {
  return {
    onRequest({ request, endResponse, fetchAPI }) {
      const refuse = (status: number, message: string) =>
        endResponse(fetchAPI.Response.json({ errors: [{ message, extensions: { code: 'BAD_REQUEST' } }] }, { status }));
      if (request.headers.get('transfer-encoding')?.toLowerCase().includes('chunked')) {
        return refuse(411, 'Send the request body with a Content-Length.');
      }
      const length = Number(request.headers.get('content-length') ?? 0);
      if (length > maxBytes) return refuse(413, `The request body exceeds ${maxBytes} bytes.`);
    },
  };
}

/**
 * Bounds on what one request may ask for. The schema is shallow (`me { ... }` is depth 2), so these
 * leave room for every real client while refusing queries built to exhaust the server.
 */
export function graphqlLimits({ maxBodyBytes, suggestFields }: { maxBodyBytes: number; suggestFields: boolean }): Plugin[] {
  return [
    useRequestBodyLimit(maxBodyBytes),
    maxTokensPlugin({ n: 1000 }),
    // Introspection counts too (GraphiQL's own query is 13 deep), so deep `ofType` chains are refused.
    maxDepthPlugin({ n: 15, ignoreIntrospection: false, flattenFragments: true }),
    maxAliasesPlugin({ n: 10 }),
    // The largest real operation here (sessions with every field, plus me) costs about 30.
    costLimitPlugin({ maxCost: 300, ignoreIntrospection: true }),
    { onValidate: ({ addValidationRule }) => addValidationRule(singleAuthMutationRule) },
    // "Did you mean …?" maps the schema field by field: where introspection is off, so are suggestions.
    ...(suggestFields ? [] : [blockFieldSuggestionsPlugin<YogaInitialContext>()]),
  ];
}
