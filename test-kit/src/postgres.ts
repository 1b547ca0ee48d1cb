import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../server/src/database/embedded-postgres.ts';
import { freePort } from './free-port.ts';

/** A PostgreSQL server of one run, and its removal. */
export interface ThrowawayCluster {
  /** The `postgres` database's URL, from which the run creates its own databases. */
  adminUrl: string;
  stop(): Promise<void>;
}

/** Starts an embedded PostgreSQL cluster in a fresh temporary folder, on a free port; `stop` removes it all. */
export async function startThrowawayCluster(folderPrefix: string): Promise<ThrowawayCluster> {
  const parent = await mkdtemp(join(tmpdir(), folderPrefix));
  // Reachable for the postgres user when this runs as root.
  await chmod(parent, 0o755);
  const removeFolder = () => rm(parent, { recursive: true, force: true });
  const cluster = await startEmbeddedPostgres({ dataDir: join(parent, 'data'), port: await freePort(), persistent: false }).catch(async (error: unknown) => {
    await removeFolder();
    throw error;
  });
  return {
    adminUrl: cluster.url('postgres'),
    async stop() {
      await cluster.stop();
      await removeFolder();
    },
  };
}

/** A database of its own, and a way to drop it. */
export interface OwnDatabase {
  url: string;
  drop(): Promise<void>;
}

/** Creates a database named `<prefix>_<random>` on the server of `adminUrl`. */
export async function createDatabase(adminUrl: string, prefix: string): Promise<OwnDatabase> {
  const name = `${prefix}_${crypto.randomUUID().replaceAll('-', '')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`drop database if exists "${name}" with (force)`);
      await client.end();
    },
  };
}
