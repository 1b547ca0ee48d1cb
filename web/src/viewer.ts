import { useCallback, useRef } from 'react';
import { useClient, type Client } from 'urql';
import { graphql } from './gql';
import { useAuthState } from './session.ts';

/** Who is logged in, for the app's frame: the name, the address and whether it is verified (the banner). */
export const ViewerQuery = graphql(`
  query Viewer {
    me {
      id
      email
      emailVerified
      name
      avatarUrl
    }
  }
`);

/**
 * Reads the viewer with a request sent after this call, so its answer holds every change that
 * answered before it. urql does not send a query while one with the same document is in flight:
 * it hands the caller that one's answer, which may have read the row before the change (the app's
 * first `me`, sent as the page loaded, and a link's token sent alongside it). So the first read
 * waits for such a request, if any, and the second one is sent afresh.
 */
export async function readViewerAfresh(client: Client): Promise<void> {
  await client.query(ViewerQuery, {}, { requestPolicy: 'network-only' }).toPromise();
  await client.query(ViewerQuery, {}, { requestPolicy: 'network-only' }).toPromise();
}

/**
 * Reads the viewer afresh after a change made outside its own query (an emailed link followed).
 * The change's own answer is not enough: a `me` that was in flight while the change committed
 * can answer after it with the old values, and the frame would keep them.
 */
export function useRefreshViewer(): () => Promise<void> {
  const client = useClient();
  // Read when the change has answered, not when the page first rendered: a remembered session may still be confirming then.
  const { status: now } = useAuthState();
  const status = useRef(now);
  status.current = now;
  return useCallback(async () => {
    if (status.current === 'logged-out') return;
    await readViewerAfresh(client);
  }, [client]);
}
