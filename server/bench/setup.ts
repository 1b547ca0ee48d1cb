/** What lies around the measurement: the database, the server's environment, the migration. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDatabase, startThrowawayCluster } from '@graphql-auth/test-kit/postgres';
import { SERVER_DIR } from '@graphql-auth/test-kit/server-process';
import { PRODUCTION_ENVIRONMENT } from '../production-runtime.ts';

/** Something to undo at the end of the run (or on SIGINT/SIGTERM), in reverse order of registration. */
export type CleanUp = () => Promise<void>;

export interface BenchDatabase {
  url: string;
  /** The server's version and where it runs, for the report's header. */
  description: string;
}

/**
 * A database of the bench's own: on DATABASE_URL's server, or on a throwaway embedded cluster.
 * Registers, through `onCleanUp`, dropping it (and stopping and removing the cluster).
 */
export async function prepareDatabase(onCleanUp: (cleanUp: CleanUp) => void): Promise<BenchDatabase> {
  let adminUrl = process.env.DATABASE_URL;
  let where: string;
  if (adminUrl) {
    where = 'DATABASE_URL';
  } else {
    const cluster = await startThrowawayCluster('graphql-auth-bench-');
    onCleanUp(() => cluster.stop());
    adminUrl = cluster.adminUrl;
    where = 'embedded, throwaway';
  }
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  const version = (await admin.query<{ server_version: string }>('show server_version')).rows[0]?.server_version ?? '?';
  await admin.end();
  const database = await createDatabase(adminUrl, 'bench');
  onCleanUp(() => database.drop());
  return { url: database.url, description: `PostgreSQL ${version} (${where})` };
}

/**
 * The server's environment, as an operator would set it in production, on `port` and `databaseUrl`,
 * with every rate limit raised and `extra` (the `--server-env` experiments) last, so it wins.
 */
export async function serverEnvironment({ port, databaseUrl, bcryptCost, extra }: { port: number; databaseUrl: string; bcryptCost: number; extra: Record<string, string> }): Promise<Record<string, string>> {
  return {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_ORIGIN: `http://localhost:${port}`,
    DATABASE_URL: databaseUrl,
    BCRYPT_COST: String(bcryptCost),
    // The flood scenario tells its two clients apart by X-Forwarded-For, as behind a proxy.
    TRUST_PROXY: '1',
    KEY_ENCRYPTION_SECRET: randomBytes(32).toString('base64url'),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    ...PRODUCTION_ENVIRONMENT,
    ...(await generousLimits()),
    ...extra,
  };
}

/**
 * Attempt limits (per account, address and action) would turn a load test into 429s, so every `*_LIMIT_*` variable the
 * server's configuration declares as a rate limit gets a generous value (the counting still runs),
 * unless the bench's own environment sets it.
 */
async function generousLimits(): Promise<Record<string, string>> {
  const source = await readFile(join(SERVER_DIR, 'src/config.ts'), 'utf8');
  const limits: Record<string, string> = {};
  for (const [, name] of source.matchAll(/\b([A-Z][A-Z0-9]*_LIMIT(?:_[A-Z0-9]+)*)\s*:\s*rateLimit\(/g)) {
    limits[name!] = process.env[name!] ?? '1000000000/1m';
  }
  return limits;
}

/**
 * Migrates the database in `env` (`node dist/migrate.js`, built), so every timed start finds the
 * schema in place, as a restart would.
 *
 * @throws Error with the migration's output when it fails.
 */
export async function migrate(env: Record<string, string>): Promise<void> {
  const command = ['dist/migrate.js'];
  const child = spawn(process.execPath, command, { cwd: SERVER_DIR, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`node ${command.join(' ')} exited with ${code}:\n${output}`);
}
