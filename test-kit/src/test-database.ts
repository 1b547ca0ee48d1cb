import { inject } from 'vitest';
// Declares what the global setup provides (`postgresAdminUrl`).
import type {} from './global-setup.ts';
import { createDatabase, type OwnDatabase } from './postgres.ts';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.ts';

/** The PostgreSQL server the suite runs on (from the global setup): each test file creates its databases there. */
export function postgresAdminUrl(): string {
  return inject('postgresAdminUrl');
}

/** Creates a database of its own for one test file and returns its URL and a way to drop it. */
export function createTestDatabase(): Promise<OwnDatabase> {
  return createDatabase(postgresAdminUrl(), 'test');
}

/** A proxy in front of the suite's PostgreSQL that a test can cut; `proxy.via` is what `connectVia` of the test app wants. */
export function startPostgresProxy(): Promise<TcpProxy> {
  const admin = new URL(postgresAdminUrl());
  return startTcpProxy({ host: admin.hostname, port: Number(admin.port || 5432) });
}
