/**
 * The scenarios: each one runs its load against the running server and returns what it measured.
 * The state they share within a run (the refresh token pool, the measured span) is passed in.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  call,
  dataOk,
  describeFailure,
  logIn,
  loginBody,
  requestBody,
  signUp,
  BASELINE,
  LOGIN,
  ME,
  REFRESH,
  type Account,
  type GraphQLBody,
} from './graphql-client.ts';
import { runLoad, type LoadResult, type LoadSpec } from './load.ts';
import type { BenchOptions } from './options.ts';

/** The options the scenarios read. */
export type LoadSettings = Pick<BenchOptions, 'durationS' | 'warmupS' | 'connections' | 'loginConnections' | 'mixedConnections' | 'bcryptCost'>;

/** A time window in microseconds of the monotonic clock (`process.hrtime`), which V8's profile timestamps share. */
export interface TimeWindow {
  fromUs: number;
  toUs: number;
}

/**
 * From the first measured run's start to the last one's end: the CPU profile summary covers only
 * this window, so warm-ups and start-ups stay out of it.
 */
export class MeasuredSpan {
  #window: TimeWindow | undefined;

  /** Runs `measurement`, stretching the window over it. */
  async time<T>(measurement: () => Promise<T>): Promise<T> {
    const fromUs = nowUs();
    const outcome = await measurement();
    this.#window = { fromUs: this.#window?.fromUs ?? fromUs, toUs: nowUs() };
    return outcome;
  }

  /** Undefined until a measured run has ended. */
  get window(): TimeWindow | undefined {
    return this.#window;
  }
}

const nowUs = () => Number(process.hrtime.bigint() / 1000n);

/** What every scenario needs: where the server listens, the options, and the span to record into. */
export interface ScenarioContext {
  base: string;
  settings: LoadSettings;
  span: MeasuredSpan;
}

/**
 * Current refresh tokens, one per session, for the refresh scenario: every BEARER login of the run
 * adds one, and every refresh takes the oldest and puts back its successor.
 */
export type RefreshTokenPool = string[];

/** A warm-up run (unless there is none), then the measured run. */
async function warmThenMeasure({ base, settings, span }: ScenarioContext, spec: LoadSpec): Promise<LoadResult> {
  if (settings.warmupS > 0) await runLoad(base, { ...spec, durationS: settings.warmupS });
  return span.time(() => runLoad(base, spec));
}

/** The bare yoga pipeline of this server: `{ __typename }`. */
export function runBaseline(context: ScenarioContext): Promise<LoadResult> {
  const { connections, durationS } = context.settings;
  return warmThenMeasure(context, { label: 'bare yoga { __typename }', connections, durationS, body: requestBody(BASELINE), check: dataOk('__typename') });
}

/** `me` with a valid bearer token. */
export function runMe(context: ScenarioContext, accessToken: string): Promise<LoadResult> {
  const { connections, durationS } = context.settings;
  return warmThenMeasure(context, {
    label: 'me (valid bearer token)',
    connections,
    durationS,
    body: requestBody(ME),
    headers: { authorization: `Bearer ${accessToken}` },
    check: dataOk('me'),
  });
}

/** A successful login's check that also adds the new session's refresh token to `pool`. */
function loginAddingTo(pool: RefreshTokenPool): LoadSpec['check'] {
  const loggedIn = dataOk('login');
  return (status, parsed) => {
    const verdict = loggedIn(status, parsed);
    const token = parsed.data?.login?.refreshToken;
    if (verdict === true && token) pool.push(token);
    return verdict;
  };
}

/** Logins with the right password, one account, without a warm-up. */
export function runLogin({ base, settings, span }: ScenarioContext, account: Account, pool: RefreshTokenPool): Promise<LoadResult> {
  return span.time(() =>
    runLoad(base, {
      label: `login (bcrypt cost ${settings.bcryptCost})`,
      connections: settings.loginConnections,
      durationS: settings.durationS,
      body: loginBody(account),
      check: loginAddingTo(pool),
    }),
  );
}

/** `me` while logins saturate the CPU; returns the `me` figures (the logins are only the background). */
export async function runMixed({ base, settings, span }: ScenarioContext, account: Account, accessToken: string, pool: RefreshTokenPool): Promise<LoadResult> {
  const [, me] = await span.time(() =>
    Promise.all([
      runLoad(base, { label: 'logins (background load)', connections: settings.loginConnections, durationS: settings.durationS, body: loginBody(account), check: loginAddingTo(pool) }),
      runLoad(base, {
        label: `me while ${settings.loginConnections} login connections saturate the CPU`,
        connections: settings.mixedConnections,
        durationS: settings.durationS,
        body: requestBody(ME),
        headers: { authorization: `Bearer ${accessToken}` },
        check: dataOk('me'),
      }),
    ]),
  );
  return me;
}

/**
 * One address floods wrong passwords for `account` (limits raised, so every attempt costs a hash)
 * while a real user from another address logs in over and over: the fair hashing queue should
 * keep them apart. Returns the real user's figures.
 */
export async function runFlood({ base, settings, span }: ScenarioContext): Promise<LoadResult> {
  const victim: Account = { email: `victim-${crypto.randomUUID().slice(0, 8)}@example.com`, password: 'victim password 12345', name: 'Victim' };
  // An account of its own to flood: the queue the flood leaves behind must not refuse later scenarios' logins.
  const target: Account = { email: `target-${crypto.randomUUID().slice(0, 8)}@example.com`, password: 'target password 12345', name: 'Target' };
  await signUp(base, victim);
  await signUp(base, target);
  const refusedOrWrong = (status: number, parsed: GraphQLBody): true | string => {
    const code = parsed.errors?.[0]?.extensions?.code;
    return code === 'INVALID_CREDENTIALS' || code === 'RATE_LIMITED' ? true : describeFailure(status, parsed);
  };
  const [, victimLogins] = await span.time(() =>
    Promise.all([
      runLoad(base, {
        label: 'wrong passwords from one address (background)',
        connections: settings.connections,
        durationS: settings.durationS,
        body: requestBody(LOGIN, { input: { email: target.email, password: 'not the password' } }),
        headers: { 'x-forwarded-for': '203.0.113.66' },
        check: refusedOrWrong,
      }),
      runLoad(base, {
        label: 'victim login while one address floods',
        connections: 1,
        durationS: settings.durationS,
        body: loginBody(victim),
        headers: { 'x-forwarded-for': '198.51.100.7' },
        check: dataOk('login'),
      }),
    ]),
  );
  await untilHashingDrained(base, target);
  return victimLogins;
}

/** Waits until the flood's queued checks have run: the flooded account's own login gets through again. */
async function untilHashingDrained(base: string, account: Account): Promise<void> {
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; ) {
    const answer = await call(base, LOGIN, { input: { email: account.email, password: account.password } });
    if (answer.status === 200 && !answer.body.errors) return;
    await sleep(250);
  }
  throw new Error('the hashing queue did not drain within 60 s of the flood');
}

/**
 * Refreshes, each presenting a different, current refresh token: the pool is topped up by logins
 * to at least twice the connections, and each request takes the oldest token and puts back its
 * successor, so no request ever hits the grace window or reuse detection. `starved` counts the
 * requests that found the pool empty (they send a token that cannot work).
 */
export async function runRefresh(context: ScenarioContext, account: Account, pool: RefreshTokenPool): Promise<{ result: LoadResult; starved: number }> {
  const { base, settings } = context;
  const wanted = Math.max(2 * settings.connections, 8);
  const missing = wanted - pool.length;
  for (let made = 0; made < missing; made += settings.loginConnections) {
    const batch = await Promise.all(Array.from({ length: Math.min(settings.loginConnections, missing - made) }, () => logIn(base, account)));
    pool.push(...batch.map((tokens) => tokens.refreshToken));
  }
  let starved = 0;
  const result = await warmThenMeasure(context, {
    label: 'refresh (distinct sessions)',
    connections: settings.connections,
    durationS: settings.durationS,
    body: () => {
      const token = pool.shift();
      if (token === undefined) starved += 1;
      return requestBody(REFRESH, { refreshToken: token ?? 'pool.exhausted' });
    },
    check: (status, parsed) => {
      const successor = parsed.data?.refresh?.refreshToken;
      if (status === 200 && !parsed.errors && successor) {
        pool.push(successor);
        return true;
      }
      return describeFailure(status, parsed);
    },
  });
  return { result, starved };
}

/** How 20 parallel refreshes of one session went. */
export interface ParallelRefreshResult {
  requests: number;
  errors: number;
  distinctSuccessors: number;
  firstError?: string;
}

/** A performance target: 20 parallel refreshes of one fresh session should rotate it once and agree on the successor. */
export async function runParallelRefreshes(base: string, account: Account): Promise<ParallelRefreshResult> {
  const { refreshToken } = await logIn(base, account);
  const answers = await Promise.all(Array.from({ length: 20 }, () => call(base, REFRESH, { refreshToken })));
  const successors = new Set<string>();
  let errors = 0;
  let firstError: string | undefined;
  for (const answer of answers) {
    const successor = answer.body.data?.refresh?.refreshToken;
    if (answer.status === 200 && !answer.body.errors && successor) successors.add(successor);
    else {
      errors += 1;
      firstError ??= describeFailure(answer.status, answer.body);
    }
  }
  return { requests: answers.length, errors, distinctSuccessors: successors.size, firstError };
}
