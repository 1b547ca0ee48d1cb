import { createGraphQLError, type Plugin } from 'graphql-yoga';

/** The header that marks a request as sent by a script, which a cross-site form or link cannot add. */
export const CSRF_HEADER = 'x-graphql-yoga-csrf';

/** Content types a cross-site form can send without a CORS preflight. */
const FORM_CONTENT_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

/**
 * yoga's CSRF prevention, answered with a code of its own: a GET, or a POST whose content type a
 * form could send, must carry `x-graphql-yoga-csrf` (any value). A JSON POST is preflighted by
 * browsers and needs nothing.
 */
export function useCsrfHeaderCheck(): Plugin {
  return {
    onRequestParse({ request }) {
      const contentType = request.headers.get('content-type')?.toLowerCase();
      const preflighted = contentType !== undefined && !FORM_CONTENT_TYPES.some((formType) => contentType.startsWith(formType));
      if (preflighted || request.headers.has(CSRF_HEADER)) return;
      throw createGraphQLError(
        `Send the header ${CSRF_HEADER} (any value) with GET requests and with posts that are not application/json; a page on another site cannot add it.`,
        { extensions: { code: 'CSRF_HEADER_MISSING', http: { status: 403 } } },
      );
    },
  };
}
