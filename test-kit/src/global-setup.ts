import type { TestProject } from 'vitest/node';
import { startThrowawayCluster, type ThrowawayCluster } from './postgres.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A PostgreSQL server on which each test file creates its own database. */
    postgresAdminUrl: string;
  }
}

let cluster: ThrowawayCluster | undefined;

/** Uses `DATABASE_URL` when set; otherwise a throwaway embedded cluster on a free port. */
export async function setup(project: TestProject) {
  if (process.env.DATABASE_URL) {
    project.provide('postgresAdminUrl', process.env.DATABASE_URL);
    return;
  }
  cluster = await startThrowawayCluster('graphql-auth-test-');
  project.provide('postgresAdminUrl', cluster.adminUrl);
}

export async function teardown() {
  await cluster?.stop();
}
