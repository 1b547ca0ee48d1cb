import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCookieJar } from '@graphql-auth/test-kit/cookie-jar';
import { graphql } from '@graphql-auth/test-kit/graphql-request';
import { createTestApp, serveTestApp, type ServedTestApp, type TestApp } from '@graphql-auth/test-kit/test-app';

const ROOT = join(import.meta.dirname, '../..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
/** The address the README's snippets use: a fresh `npm start`. */
const README_ORIGIN = 'http://localhost:4000';

/** Every fenced code block of the README with its language. */
const blocks = [...README.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map(([, language = '', code = '']) => ({ language, code }));
/** Program blocks start with a comment naming their file: `// bearer-example.mjs`. */
const programs = blocks
  .filter((block) => block.language === 'js' || block.language === 'ts')
  .map((block) => ({ ...block, file: /^\/\/ (\S+)\n/.exec(block.code)?.[1] ?? '' }));

describe('the README', () => {
  it('names the file of every JavaScript and TypeScript block', () => {
    expect(programs.length).toBeGreaterThanOrEqual(4);
    for (const program of programs) expect(program.file, program.code.slice(0, 80)).toMatch(/\.(mjs|ts)$/);
  });

  it('quotes the files of the repository it names exactly as they are', () => {
    const quoted = programs.filter((program) => program.file.includes('/'));
    expect(quoted.map((program) => program.file)).toEqual(['web/src/client.ts']);
    for (const program of quoted) expect(program.code).toBe(readFileSync(join(ROOT, program.file), 'utf8').replace(/^/, `// ${program.file}\n`));
  });
});

describe("the README's GraphQL operations, run in order as GraphiQL would on a fresh start", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('each answers without an error, with the cookies of the signup', async () => {
    const graphqlBlocks = blocks.filter((block) => block.language === 'graphql');
    expect(graphqlBlocks).toHaveLength(1);
    const operations = graphqlBlocks[0]!.code.split(/\n\s*\n/).map((text) => text.trim()).filter(Boolean);
    expect(operations[0]).toMatch(/^mutation \{ signup/);
    const jar = createCookieJar();
    for (const operation of operations) {
      const response = await graphql(t.app, operation, { jar, headers: { 'x-graphql-yoga-csrf': 'graphiql' } });
      expect(response.errors, operation).toBeUndefined();
      expect(response.status, operation).toBe(200);
    }
  });
});

describe("the README's programs, saved under their names at the repository root and run against a fresh server", () => {
  let t: ServedTestApp;
  let origin: string;
  let workDir: string;
  beforeAll(async () => {
    t = await serveTestApp();
    origin = t.origin;
    // A stand-in for the repository root: the programs import ./web/src/auth and @urql/core from there.
    workDir = await mkdtemp(join(tmpdir(), 'readme-snippets-'));
    await symlink(join(ROOT, 'web'), join(workDir, 'web'));
    await symlink(join(ROOT, 'node_modules'), join(workDir, 'node_modules'));
  });
  afterAll(async () => {
    await t.close();
    await rm(workDir, { recursive: true, force: true });
  });

  async function run(file: string): Promise<string> {
    const program = programs.find((candidate) => candidate.file === file);
    expect(program, `the README has a program ${file}`).toBeDefined();
    expect(program!.code).toContain(README_ORIGIN);
    await writeFile(join(workDir, file), program!.code.replaceAll(README_ORIGIN, origin));
    const { stdout } = await promisify(execFile)(process.execPath, [file], { cwd: workDir, env: { PATH: process.env.PATH ?? '' }, timeout: 20_000 });
    return stdout;
  }

  it('bearer-example.mjs signs up on the first run and logs in on the second', async () => {
    expect(await run('bearer-example.mjs')).toBe('logged in as ada@example.com\n');
    expect(await run('bearer-example.mjs')).toBe('logged in as ada@example.com\n');
    expect(t.logs.join('\n')).not.toMatch(/"level":50/);
  });

  it('my-client.ts logs in (the account exists), keeps the session in session.json, and uses it on the next run', async () => {
    expect(await run('my-client.ts')).toBe('logged in as ada@example.com\n');
    const stored = JSON.parse(readFileSync(join(workDir, 'session.json'), 'utf8')) as { refreshToken?: string };
    expect(stored.refreshToken).toBeTruthy();
    expect(await run('my-client.ts')).toBe('logged in as ada@example.com\n');
  });

  it('own-client.ts sends the query through the exchange, which the server answers TOKEN_MISSING', async () => {
    expect(await run('own-client.ts')).toBe('TOKEN_MISSING\n');
  });
});
