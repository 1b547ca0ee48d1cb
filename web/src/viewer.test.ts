import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuthTestServer, type AuthTestServer } from './auth/test-support/auth-test-server.ts';
import { collect, cookieClient, signUp } from './auth/test-support/clients.ts';
import { readViewerAfresh, ViewerQuery } from './viewer.ts';

describe('reading the viewer afresh after a change', () => {
  let server: AuthTestServer;
  beforeAll(async () => {
    server = await startAuthTestServer();
  });
  afterAll(() => server.close());

  it('sends a new `me` after the change even while one sent before it is still in flight, and every watcher gets its answer', async () => {
    const { client, auth } = cookieClient(server);
    await signUp(client, auth);

    // The app's first `me`, sent as the page loaded, is still on its way when the change answers.
    const held = server.hold('Viewer');
    const frame = collect(client.query(ViewerQuery, {}, { requestPolicy: 'network-only' }));
    await held.reached;
    const renamed = await client.mutation('mutation Rename { updateProfile(name: "Grace Hopper") { id name } }', {}).toPromise();
    expect(renamed.data).toBeDefined();
    const changeSeq = server.requests.find((entry) => entry.operationName === 'Rename')!.seq;

    const reading = readViewerAfresh(client);
    held.release();
    await reading;

    const viewerReads = server.requests.filter((entry) => entry.operationName === 'Viewer');
    expect(viewerReads.map((entry) => entry.status)).toEqual([200, 200]);
    expect(viewerReads[1]!.seq, 'the second read left after the change answered').toBeGreaterThan(changeSeq);
    const last = await frame.settled(frame.results.length);
    expect(last.data?.me?.name).toBe('Grace Hopper');
    frame.stop();
    auth.dispose();
  });

  it('costs one extra `me` when none is in flight', async () => {
    const { client, auth } = cookieClient(server);
    await signUp(client, auth);
    const before = server.count('Viewer');
    await readViewerAfresh(client);
    expect(server.count('Viewer', 200)).toBe(before + 2);
    auth.dispose();
  });
});
