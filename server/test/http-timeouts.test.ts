import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenOnFreePort, type Listening } from '@graphql-auth/test-kit/http-listener';
import { createTestApp, type TestApp } from '@graphql-auth/test-kit/test-app';
import { createHttpServer } from '../src/http/http-server.ts';
import { graphql } from '@graphql-auth/test-kit/graphql-request';

/** A raw connection, so the test can stall exactly where a slow client would. */
function openSocket(port: number): Promise<{ socket: Socket; received: () => string; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    let received = '';
    const socket = connect(port, '127.0.0.1');
    const closed = new Promise<void>((done) => socket.once('close', () => done()));
    socket.on('data', (chunk) => (received += chunk.toString()));
    socket.once('error', () => {});
    socket.once('connect', () => resolve({ socket, received: () => received, closed }));
    socket.once('error', reject);
  });
}

describe('the HTTP server with REQUEST_TIMEOUT=2s, KEEP_ALIVE_TIMEOUT=1s and MAX_CONNECTIONS=3', () => {
  let t: TestApp;
  let listening: Listening;
  let port: number;
  beforeAll(async () => {
    t = await createTestApp({ REQUEST_TIMEOUT: '2s', KEEP_ALIVE_TIMEOUT: '1s', MAX_CONNECTIONS: '3' });
    listening = await listenOnFreePort(createHttpServer(t.app, t.config));
    port = listening.port;
  });
  afterAll(async () => {
    await listening.close();
    await t.close();
  });

  it('answers 408 and closes a connection whose headers stall', { timeout: 15_000 }, async () => {
    const { socket, received, closed } = await openSocket(port);
    socket.write('POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    await closed;
    expect(received()).toMatch(/^HTTP\/1\.1 408/);
  });

  it('answers 408 and closes a connection whose body stalls', { timeout: 15_000 }, async () => {
    const { socket, received, closed } = await openSocket(port);
    socket.write('POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"query":');
    await closed;
    expect(received()).toMatch(/^HTTP\/1\.1 408/);
  });

  it('closes an idle keep-alive connection', { timeout: 15_000 }, async () => {
    const { socket, received, closed } = await openSocket(port);
    socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    await closed;
    expect(received()).toMatch(/^HTTP\/1\.1 200/);
  });

  it('closes connections beyond the cap at once, and takes new ones when others have gone', { timeout: 15_000 }, async () => {
    const held = await Promise.all([openSocket(port), openSocket(port), openSocket(port)]);
    // Let the server count them before the next one arrives.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const refused = await openSocket(port);
    refused.socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    await refused.closed;
    expect(refused.received()).toBe('');

    for (const { socket } of held) socket.destroy();
    await Promise.all(held.map(({ closed }) => closed));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const response = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(response.status).toBe(200);
  });
});

describe('field suggestions', () => {
  const UNKNOWN_FIELD = '{ sesions { id } }';

  it('are answered where introspection is on (development)', async () => {
    const t = await createTestApp();
    try {
      expect((await graphql(t.app, UNKNOWN_FIELD)).errors?.[0]?.message).toMatch(/Did you mean "sessions"\?/);
    } finally {
      await t.close();
    }
  });

  it('are not answered where introspection is off (production by default)', async () => {
    const t = await createTestApp({ NODE_ENV: 'production', PUBLIC_ORIGIN: 'https://auth.example.com', BCRYPT_COST: '10' });
    try {
      const response = await graphql(t.app, UNKNOWN_FIELD);
      expect(response.errors?.[0]?.message).toMatch(/Cannot query field "sesions"/);
      expect(response.text).not.toMatch(/Did you mean|sessions/);
    } finally {
      await t.close();
    }
  });
});
