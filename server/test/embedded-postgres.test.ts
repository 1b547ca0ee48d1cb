import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { EmbeddedPostgresError, startEmbeddedPostgres, type EmbeddedPostgres } from '../src/database/embedded-postgres.ts';
import { freePort } from '@graphql-auth/test-kit/free-port';
import { SERVER_DIR } from '@graphql-auth/test-kit/server-process';

const runningAsRoot = process.getuid?.() === 0;

/** Directories and clusters a test made; removed whatever the test's outcome. */
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A fresh directory under the system temp dir that the postgres user can pass through (mkdtemp makes 0700). */
async function reachableTempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'embedded-postgres-test-'));
  await chmod(dir, 0o755);
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function listen(port = 0): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return server;
}

function portOf(server: Server): number {
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('not listening on a port');
  return address.port;
}

async function start(options: { dataDir: string; port: number; onLog?: (line: string) => void }): Promise<EmbeddedPostgres> {
  const cluster = await startEmbeddedPostgres({ ...options, persistent: false });
  cleanups.push(() => cluster.stop());
  return cluster;
}

/** The rejection of `promise`, which must reject. */
async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`rejected with a non-Error: ${String(error)}`);
  }
  throw new Error('expected a rejection, but it resolved');
}

/** The pid of a process that has already exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.once('exit', resolve));
  if (child.pid === undefined) throw new Error('could not spawn a process');
  return child.pid;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, but belongs to another user (the postgres user, when run as root).
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A postmaster.pid as PostgreSQL writes it, naming `pid`. */
function postmasterPid(pid: number, dataDir: string, port: number): string {
  return `${pid}\n${dataDir}\n${Math.floor(Date.now() / 1000)}\n${port}\n\n127.0.0.1\n  1234567     98304\nready   \n`;
}

async function selectOne(cluster: EmbeddedPostgres): Promise<number> {
  return selectOneAt(cluster.url('postgres'));
}

async function selectOneAt(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<{ one: number }>('select 1 as one');
    return result.rows[0]?.one ?? 0;
  } finally {
    await client.end();
  }
}

describe('starting the embedded PostgreSQL', () => {
  it('rejects a port that is already taken with an EmbeddedPostgresError naming the port', async () => {
    const parent = await reachableTempDir();
    const taken = portOf(await listen());

    const error = await rejectionOf(startEmbeddedPostgres({ dataDir: join(parent, 'data'), port: taken, persistent: false }));
    expect(error).toBeInstanceOf(EmbeddedPostgresError);
    expect(error.message).toContain(String(taken));
    expect(error.message).toMatch(/EMBEDDED_POSTGRES_PORT|DATABASE_URL/);
  });

  it('rejects a data directory that cannot be created with an EmbeddedPostgresError naming the directory', async () => {
    const dataDir = '/dev/null/embedded-postgres/data';
    const error = await rejectionOf(startEmbeddedPostgres({ dataDir, port: await freePort(), persistent: false }));
    expect(error).toBeInstanceOf(EmbeddedPostgresError);
    expect(error.message).toContain(dataDir);
    expect(error.message).toMatch(/DATABASE_URL/);
  });

  describe('a data directory inside a directory only its owner may enter (0700)', () => {
    it.runIf(runningAsRoot)('as root, grants the postgres user passage (o+x only) and starts the cluster', async () => {
      const parent = await reachableTempDir();
      const privateDir = join(parent, 'private');
      await mkdir(privateDir, { mode: 0o700 });
      await chmod(privateDir, 0o700);
      const logs: string[] = [];

      const cluster = await start({ dataDir: join(privateDir, 'data'), port: await freePort(), onLog: (line) => logs.push(line) });
      expect(await selectOne(cluster)).toBe(1);
      expect((await stat(privateDir)).mode & 0o777).toBe(0o701);
      expect(logs.join('\n')).toContain(`granted search permission (o+x) on ${privateDir}`);
    });

    it.skipIf(runningAsRoot)('as a normal user, is accepted: the cluster runs as that user, who owns it', async () => {
      const parent = await reachableTempDir();
      const privateDir = join(parent, 'private');
      await mkdir(privateDir, { mode: 0o700 });
      await chmod(privateDir, 0o700);

      const cluster = await start({ dataDir: join(privateDir, 'data'), port: await freePort() });
      expect(await selectOne(cluster)).toBe(1);
    });
  });

  it('removes a stale postmaster.pid naming a dead process and starts the cluster', async () => {
    const parent = await reachableTempDir();
    const dataDir = join(parent, 'data');
    const port = await freePort();
    const dead = await deadPid();
    expect(isAlive(dead)).toBe(false);
    await mkdir(dataDir, { mode: 0o700 });
    await writeFile(join(dataDir, 'postmaster.pid'), postmasterPid(dead, dataDir, port));

    const cluster = await start({ dataDir, port });
    expect(await selectOne(cluster)).toBe(1);
    // The lock file now belongs to the running server, not to the dead process.
    const pid = Number((await readFile(join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
    expect(pid).not.toBe(dead);
    expect(isAlive(pid)).toBe(true);

    await cleanups.pop()?.();
    expect(existsSync(dataDir)).toBe(false);
  });

  it('leaves alone a live process named by postmaster.pid that is not its PostgreSQL', async () => {
    const parent = await reachableTempDir();
    const dataDir = join(parent, 'data');
    const port = await freePort();
    const bystander = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
    const exited = new Promise((resolve) => bystander.once('exit', resolve));
    cleanups.push(async () => {
      bystander.kill('SIGKILL');
      await exited;
    });
    const bystanderPid = bystander.pid!;
    await mkdir(dataDir, { mode: 0o700 });
    await writeFile(join(dataDir, 'postmaster.pid'), postmasterPid(bystanderPid, dataDir, port));

    const cluster = await start({ dataDir, port });
    expect(await selectOne(cluster)).toBe(1);
    expect(isAlive(bystanderPid)).toBe(true);
    expect(bystander.exitCode).toBeNull();
  });
});

/** The postmaster's pid, from the data directory's lock file. */
async function postmasterPidOf(dataDir: string): Promise<number> {
  return Number((await readFile(join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
}

/** Another process that starts a persistent cluster in `dataDir` and keeps it running. */
async function startOwnerProcess(dataDir: string, port: number): Promise<{ pid: number; kill(signal: NodeJS.Signals): Promise<void> }> {
  const owner = spawn(process.execPath, ['test/support/embedded-cluster-owner.ts', dataDir, String(port)], { cwd: SERVER_DIR, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => owner.once('exit', () => resolve()));
  const kill = async (signal: NodeJS.Signals) => {
    if (owner.exitCode === null && owner.signalCode === null) owner.kill(signal);
    await exited;
  };
  cleanups.push(() => kill('SIGTERM'));
  let output = '';
  await new Promise<void>((resolve, reject) => {
    owner.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      if (output.includes('ready')) resolve();
    });
    owner.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    void exited.then(() => reject(new Error(`the owner process exited before its cluster was ready:\n${output}`)));
  });
  return { pid: owner.pid!, kill };
}

describe('a data directory whose cluster another process runs', () => {
  it('is used, never stopped, while its owner lives; stopping the user leaves it running', { timeout: 60_000 }, async () => {
    const dataDir = join(await reachableTempDir(), 'data');
    const ownerPort = await freePort();
    const owner = await startOwnerProcess(dataDir, ownerPort);
    const postmaster = await postmasterPidOf(dataDir);

    // Asked for another port, the second process still finds the running cluster on the owner's.
    const user = await startEmbeddedPostgres({ dataDir, port: await freePort(), persistent: true });
    expect(user.ownerPid).toBe(owner.pid);
    expect(user.port).toBe(ownerPort);
    expect(await selectOne(user)).toBe(1);

    await user.stop();
    expect(isAlive(postmaster)).toBe(true);
    expect(await postmasterPidOf(dataDir)).toBe(postmaster);
    expect(await selectOne(user)).toBe(1);
  });

  it('is refused, naming the owner, when its password cannot be read', { timeout: 60_000 }, async () => {
    const dataDir = join(await reachableTempDir(), 'data');
    const owner = await startOwnerProcess(dataDir, await freePort());
    const postmaster = await postmasterPidOf(dataDir);

    const error = await rejectionOf(startEmbeddedPostgres({ dataDir, port: await freePort(), persistent: false }));
    expect(error).toBeInstanceOf(EmbeddedPostgresError);
    expect(error.message).toContain(`running process ${owner.pid}`);
    expect(isAlive(postmaster)).toBe(true);
  });

  it('is stopped and started anew once its owner is gone (SIGKILL leaves the cluster orphaned)', { timeout: 60_000 }, async () => {
    const dataDir = join(await reachableTempDir(), 'data');
    const port = await freePort();
    const owner = await startOwnerProcess(dataDir, port);
    const orphan = await postmasterPidOf(dataDir);
    await owner.kill('SIGKILL');
    expect(isAlive(orphan)).toBe(true);

    const cluster = await startEmbeddedPostgres({ dataDir, port, persistent: true });
    cleanups.push(() => cluster.stop());
    expect(cluster.ownerPid).toBeUndefined();
    expect(isAlive(orphan)).toBe(false);
    expect(await postmasterPidOf(dataDir)).not.toBe(orphan);
    expect(await selectOneAt(cluster.url('postgres'))).toBe(1);
  });
});
