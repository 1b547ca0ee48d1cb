import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logDestination } from '../src/log-destination.ts';
import { freePort } from '@graphql-auth/test-kit/free-port';
import { SERVER_DIR } from '@graphql-auth/test-kit/server-process';
import { createTestDatabase } from '@graphql-auth/test-kit/test-database';

describe('the log format', () => {
  it('is JSON unless a person watches a development server at a terminal', async () => {
    expect(await logDestination('development', { isTTY: false })).toBeUndefined();
    expect(await logDestination('production', { isTTY: true })).toBeUndefined();
    expect(await logDestination('test', { isTTY: true })).toBeUndefined();
    expect(await logDestination('development', { isTTY: true })).toBeDefined();
  });

  describe('of the server started at a terminal (a pseudo-terminal from util-linux script)', () => {
    let database: { url: string; drop(): Promise<void> };
    beforeAll(async () => {
      database = await createTestDatabase();
    });
    afterAll(() => database.drop());

    it('is readable lines, not JSON, in development', { timeout: 30_000 }, async () => {
      const port = await freePort();
      // script gives the command a terminal as stdout and copies what it prints to ours.
      const terminal = spawn('/usr/bin/script', ['-qec', 'node src/main.ts', '/dev/null'], {
        cwd: SERVER_DIR,
        env: { PATH: process.env.PATH ?? '', DATABASE_URL: database.url, PORT: String(port), BCRYPT_COST: '4', NODE_ENV: 'development' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const exited = new Promise((resolve) => terminal.once('exit', resolve));
      let output = '';
      try {
        await new Promise<void>((resolve, reject) => {
          terminal.stdout.setEncoding('utf8').on('data', (chunk: string) => {
            output += chunk;
            if (output.includes(`Serving http://127.0.0.1:${port}/graphql`)) resolve();
          });
          void exited.then(() => reject(new Error(`the server exited:\n${output}`)));
        });
      } finally {
        // Closing the terminal hangs the server up, as closing a terminal window would.
        terminal.kill('SIGTERM');
        await exited;
      }
      const plain = output.replace(/\x1b\[[0-9;]*m/g, '');
      expect(plain).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: Serving http:\/\/127\.0\.0\.1:\d+\/graphql/m);
      expect(plain).not.toContain('{"level"');
    });
  });
});
