import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PRODUCTION_ENVIRONMENT, PRODUCTION_NODE_FLAGS } from '../production-runtime.ts';

const ROOT = join(import.meta.dirname, '../..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

/** The variables named in the first column of the README's Configuration table. */
function documentedVariables(): string[] {
  const readme = read('README.md');
  const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('\n## ', readme.indexOf('## Configuration') + 1));
  const rows = section.split('\n').filter((line) => line.startsWith('| `'));
  return rows.flatMap((row) => [...(row.split('|')[1] ?? '').matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map(([, name = '']) => name));
}

/** The variables docker-compose.yml gives the server container. */
function composeServerVariables(): string[] {
  const compose = read('docker-compose.yml');
  const server = compose.slice(compose.indexOf('\n  server:'));
  const environment = server.slice(server.indexOf('    environment:\n'), server.indexOf('\n    ports:'));
  return [...environment.matchAll(/^ {6}([A-Z][A-Z0-9_]+):/gm)].map(([, name = '']) => name);
}

/** One service's block of docker-compose.yml, up to the next service or the volumes. */
function composeService(name: string): string {
  const compose = read('docker-compose.yml');
  const start = compose.indexOf(`\n  ${name}:\n`);
  if (start < 0) throw new Error(`docker-compose.yml has no ${name} service`);
  const rest = compose.slice(start + 1);
  const end = rest.slice(1).search(/\n {2}[a-z][\w-]*:\n|\n[a-z]/);
  return end < 0 ? rest : rest.slice(0, end + 1);
}

// The image has no embedded PostgreSQL: its variables mean nothing there.
const NOT_FOR_THE_CONTAINER = ['EMBEDDED_POSTGRES_PORT', 'EMBEDDED_POSTGRES_DIR'];

describe('the deployment files', () => {
  it('pass every documented variable through to the server container', () => {
    const documented = documentedVariables();
    expect(documented).toEqual(expect.arrayContaining(['PORT', 'DATABASE_URL', 'REQUEST_BODY_LIMIT', 'REVOCATION_CATCH_UP', 'CLEANUP_INTERVAL', 'METRICS_TOKEN', 'SMTP_URL', 'EMAIL_FROM', 'APP_NAME']));
    const passed = composeServerVariables();
    const missing = documented.filter((name) => !NOT_FOR_THE_CONTAINER.includes(name) && !passed.includes(name));
    expect(missing, 'documented in the README, missing from docker-compose.yml').toEqual([]);
  });

  it('send the emails to a mail catcher, whose page only this machine can open, until SMTP_URL names a relay', () => {
    const mailpit = composeService('mailpit');
    expect(mailpit).toMatch(/^ {4}image: axllent\/mailpit:v\d+\.\d+\.\d+$/m);
    // The web UI shows every link: published on loopback; its SMTP port not at all.
    expect(mailpit).toMatch(/^ {6}- "\$\{MAILPIT_PUBLISH:-127\.0\.0\.1:8025\}:8025"$/m);
    expect(mailpit.split('\n').filter((line) => /^ {6}- "/.test(line))).toEqual(['      - "${MAILPIT_PUBLISH:-127.0.0.1:8025}:8025"']);
    expect(composeService('server')).toMatch(/^ {6}SMTP_URL: \$\{SMTP_URL:-smtp:\/\/mailpit:1025\}$/m);
  });

  it('build the image without the optional Node and PostgreSQL packages', () => {
    const dockerfile = read('Dockerfile');
    const installs = [...dockerfile.matchAll(/^RUN npm ci (.*)$/gm)].map(([, args = '']) => args);
    expect(installs).toHaveLength(3);
    expect(installs[0], 'the build stage: the web app only').toMatch(/--workspace=web\b/);
    expect(installs[1], 'the server build stage: the server workspace only').toMatch(/--workspace=server\b/);
    expect(installs[2], 'the runtime dependencies').toMatch(/--workspace=server --omit=dev --omit=optional/);
    // The runtime runs the compiled server, not its TypeScript.
    expect(dockerfile).toMatch(/^COPY --from=build-server \/app\/server\/dist server\/dist$/m);
    expect(dockerfile).toContain(`CMD ${JSON.stringify(['node', ...PRODUCTION_NODE_FLAGS, 'dist/main.js']).replaceAll(',', ', ')}`);
  });

  it('run the built server as the benchmark measured it: npm start, the server workspace and the image', () => {
    const settings = Object.entries(PRODUCTION_ENVIRONMENT);
    for (const script of [JSON.parse(read('package.json')).scripts.start, JSON.parse(read('server/package.json')).scripts.start] as string[]) {
      for (const [name, value] of settings) expect(script).toContain(`${name}=\${${name}:-${value}} node ${PRODUCTION_NODE_FLAGS.join(' ')} `);
    }
    const dockerfile = read('Dockerfile');
    for (const [name, value] of settings) expect(dockerfile).toMatch(new RegExp(`^\\s+${name}=${value}$`, 'm'));
  });
});
