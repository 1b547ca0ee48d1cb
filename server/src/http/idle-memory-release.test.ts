import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import { releaseMemoryWhenIdle } from './idle-memory-release.ts';

const MiB = 1024 * 1024;

/** A real HTTP server, a clock the test moves, a resident size it sets, and the collections asked for. */
async function quietServer() {
  const server: Server = createServer((_request, response) => response.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
  const state = { now: 0, resident: 100 * MiB, collections: [] as unknown[], logs: [] as string[] };
  const logger = pino({ level: 'info' }, { write: (line: string) => state.logs.push(line) });
  const release = releaseMemoryWhenIdle(server, logger, {
    gc: ((options: unknown) => {
      state.collections.push(options);
      state.resident = 120 * MiB;
    }) as NodeJS.GCFunction,
    now: () => state.now,
    residentBytes: () => state.resident,
  });
  const close = () => {
    release.stop();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { server, url, state, release, close };
}

describe('releasing memory when the server is quiet', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  it('runs one last-resort collection once a burst that grew the process has been followed by a quiet second', async () => {
    const quiet = await quietServer();
    close = quiet.close;
    quiet.state.now = 5_000;
    await fetch(quiet.url);
    quiet.state.resident = 300 * MiB;
    quiet.state.now = 5_500;
    quiet.release.check();
    expect(quiet.state.collections).toEqual([]);
    quiet.state.now = 6_000;
    quiet.release.check();
    expect(quiet.state.collections).toEqual([{ type: 'major', execution: 'sync', flavor: 'last-resort' }]);
    expect(JSON.parse(quiet.state.logs.at(-1)!)).toMatchObject({ msg: 'memory released after a burst of requests', residentMiBBefore: 300, residentMiBAfter: 120 });
    quiet.state.now = 60_000;
    quiet.release.check();
    expect(quiet.state.collections).toHaveLength(1);
  });

  it('leaves a process alone that has not grown by 32 MB since the last release, however quiet', async () => {
    const quiet = await quietServer();
    close = quiet.close;
    quiet.state.resident = 130 * MiB;
    quiet.state.now = 60_000;
    quiet.release.check();
    expect(quiet.state.collections).toEqual([]);
  });

  it('waits while requests keep arriving', async () => {
    const quiet = await quietServer();
    close = quiet.close;
    quiet.state.resident = 400 * MiB;
    for (let at = 1_000; at <= 10_000; at += 500) {
      quiet.state.now = at;
      await fetch(quiet.url);
      quiet.release.check();
    }
    expect(quiet.state.collections).toEqual([]);
  });
});
