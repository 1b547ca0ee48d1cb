/**
 * The bench's options: each one a `--flag=value` on the command line or an environment variable.
 * The top comment of run-bench.ts documents them; `--help` prints it.
 */
import { parseArgs } from 'node:util';

/** The scenarios, in the order they run. */
export const SCENARIOS = ['baseline', 'me', 'login', 'mixed', 'flood', 'refresh'] as const;
export type Scenario = (typeof SCENARIOS)[number];

/** Every flag and the environment variable that stands in for it, in the order the unknown-argument message lists them. */
const FLAGS = {
  duration: 'BENCH_DURATION',
  'bcrypt-cost': 'BCRYPT_COST',
  connections: 'BENCH_CONNECTIONS',
  'login-connections': 'BENCH_LOGIN_CONNECTIONS',
  'mixed-connections': 'BENCH_MIXED_CONNECTIONS',
  warmup: 'BENCH_WARMUP',
  starts: 'BENCH_STARTS',
  only: 'BENCH_ONLY',
  'cpu-prof': 'BENCH_CPU_PROF',
  json: 'BENCH_JSON',
  'server-env': 'BENCH_SERVER_ENV',
  'node-flags': 'BENCH_NODE_FLAGS',
  'server-log': 'BENCH_SERVER_LOG',
  'report-only': 'BENCH_REPORT_ONLY',
  help: 'BENCH_HELP',
} as const;
type Flag = keyof typeof FLAGS;
const FLAG_NAMES = Object.keys(FLAGS) as Flag[];

/**
 * A value is only ever given as `--flag=value`, and a bare `--flag` means "true" (`--cpu-prof`
 * alone, `--cpu-prof=DIR`). Declaring every flag a boolean keeps parseArgs from taking the next
 * argument as a value; the `=value` still arrives in the flag's token.
 */
const PARSE_ARGS_OPTIONS = Object.fromEntries(FLAG_NAMES.map((flag) => [flag, { type: 'boolean' as const }]));

export interface BenchOptions {
  durationS: number;
  /** Connections for baseline, `me`, refresh and the flood's wrong passwords. */
  connections: number;
  /** Logins in flight (the login scenario, the background of the mixed one, topping up the refresh pool). */
  loginConnections: number;
  /** `me` connections while logins saturate the CPU. */
  mixedConnections: number;
  /** Unrecorded run before baseline, `me` and refresh; 0 for none. */
  warmupS: number;
  /** Timed start-ups. */
  starts: number;
  bcryptCost: number;
  /** In the order given, which is the order the header and the profile's name list them. */
  only: Set<Scenario>;
  /** `null`: no profile; `undefined`: profile into a new temporary directory; a string: into that directory. */
  cpuProfileDir: string | null | undefined;
  /** Where to write the figures as JSON, if anywhere. */
  json: string | undefined;
  /** Extra environment for the server. */
  serverEnv: Record<string, string>;
  /** Extra node flags for the measured server. */
  nodeFlags: string[];
  /** Where to append the measured server's output, if anywhere. */
  serverLog: string | undefined;
  /** Exit 0 even when a target is missed. */
  reportOnly: boolean;
}

/** What the command line asks for. */
export type CommandLine =
  | { kind: 'run'; options: BenchOptions }
  | { kind: 'help' }
  /** An argument that is no known flag: the caller prints `message` and exits 2. */
  | { kind: 'unknown-argument'; message: string };

/**
 * Reads the bench's options from its arguments (without `node` and the script) and the
 * environment; a flag wins over its environment variable, and the first of a repeated flag wins.
 * An argument that is no known flag makes an `unknown-argument` answer, even after `--help`.
 *
 * @throws Error for a value out of range (a number below its minimum, an unknown scenario, a
 *   malformed `--server-env`), naming the flag and its environment variable.
 */
export function readCommandLine(args: readonly string[], env: NodeJS.ProcessEnv): CommandLine {
  const given = new Map<Flag, string>();
  const { tokens } = parseArgs({ args: [...args], options: PARSE_ARGS_OPTIONS, strict: false, allowPositionals: true, tokens: true });
  for (const token of tokens) {
    if (token.kind === 'option' && isFlag(token.name) && token.rawName === `--${token.name}`) {
      if (!given.has(token.name)) given.set(token.name, token.value ?? 'true');
    } else {
      return { kind: 'unknown-argument', message: `Unknown argument "${args[token.index]}". Options: ${FLAG_NAMES.map((flag) => `--${flag}`).join(' ')}` };
    }
  }
  // An empty environment variable counts as unset; an empty `--flag=` is taken as given.
  const text = (flag: Flag): string | undefined => given.get(flag) ?? (env[FLAGS[flag]] || undefined);
  if (text('help') === 'true') return { kind: 'help' };

  const cpuProf = text('cpu-prof');
  const cpuProfile = cpuProf !== undefined && cpuProf !== 'false' && cpuProf !== '0';
  const only = scenarioSet(text('only'), cpuProfile);
  const number = (flag: Flag, fallback: number, limits?: NumberLimits) => numberOption(flag, text(flag), fallback, limits);
  const options: BenchOptions = {
    durationS: number('duration', 10),
    connections: number('connections', 50),
    loginConnections: number('login-connections', 8),
    mixedConnections: number('mixed-connections', 10),
    warmupS: number('warmup', 2, { min: 0 }),
    starts: number('starts', 3),
    bcryptCost: number('bcrypt-cost', 12),
    only,
    cpuProfileDir: cpuProfile ? (cpuProf === 'true' || cpuProf === '1' ? undefined : cpuProf) : null,
    json: text('json'),
    serverEnv: environmentPairs(text('server-env')),
    nodeFlags: (text('node-flags') ?? '').split(/\s+/).filter(Boolean),
    serverLog: text('server-log'),
    reportOnly: ['true', '1'].includes(text('report-only') ?? 'false'),
  };
  return { kind: 'run', options };
}

function isFlag(name: string): name is Flag {
  return Object.hasOwn(FLAGS, name);
}

interface NumberLimits {
  integer?: boolean;
  min?: number;
}

function numberOption(flag: Flag, text: string | undefined, fallback: number, { integer = true, min = 1 }: NumberLimits = {}): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
    throw new Error(`--${flag} / ${FLAGS[flag]}: expected ${integer ? 'an integer' : 'a number'} >= ${min}, got "${text}"`);
  }
  return value;
}

/** `--only`'s scenarios; without it every scenario, or only `me` when profiling (a profile of one scenario reads clearly). */
function scenarioSet(text: string | undefined, cpuProfile: boolean): Set<Scenario> {
  if (!text) return new Set<Scenario>(cpuProfile ? ['me'] : SCENARIOS);
  return new Set(
    text.split(',').map((name) => {
      const scenario = SCENARIOS.find((candidate) => candidate === name.trim());
      if (!scenario) throw new Error(`--only: unknown scenario "${name}" (${SCENARIOS.join(', ')})`);
      return scenario;
    }),
  );
}

/** `NAME=value,NAME=value` as an environment; a value may contain `=`. */
function environmentPairs(text: string | undefined): Record<string, string> {
  return Object.fromEntries(
    (text ?? '')
      .split(',')
      .filter(Boolean)
      .map((pair) => {
        const separator = pair.indexOf('=');
        if (separator < 1) throw new Error(`--server-env: expected NAME=value pairs separated by commas, got "${pair}"`);
        return [pair.slice(0, separator).trim(), pair.slice(separator + 1)];
      }),
  );
}
