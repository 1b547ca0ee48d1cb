import { chmod, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/database/embedded-postgres.ts';
import { freePort } from './server-process.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A PostgreSQL server on which each test file creates its own database. */
    postgresAdminUrl: string;
  }
}

let cluster: EmbeddedPostgres | undefined;

/** Uses `DATABASE_URL` when set; otherwise a throwaway embedded cluster on a free port. */
export async function setup(project: TestProject) {
  if (process.env.DATABASE_URL) {
    project.provide('postgresAdminUrl', process.env.DATABASE_URL);
    return;
  }
  const parent = await mkdtemp(join(tmpdir(), 'graphql-auth-test-'));
  // Reachable for the postgres user when the tests run as root.
  await chmod(parent, 0o755);
  cluster = await startEmbeddedPostgres({ dataDir: join(parent, 'data'), port: await freePort(), persistent: false });
  project.provide('postgresAdminUrl', cluster.url('postgres'));
}

export async function teardown() {
  await cluster?.stop();
}
