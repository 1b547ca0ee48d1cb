import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@graphql-auth/test-kit/test-app';
import { createLeasedRateLimit, maxLeaseSize } from '../src/auth/leased-rate-limit.ts';
import { hotPool, type HotPool } from '../src/database/hot-statements.ts';

/** The app's own pool, with the statements run through it counted. */
async function countedPool(t: TestApp): Promise<HotPool & { statements: number }> {
  const pool = hotPool(await t.orm.driver.getConnection().getNativeClient(), { prepared: true });
  const counted = {
    statements: 0,
    run: <Row>(statement: Parameters<HotPool['run']>[0]) => {
      counted.statements += 1;
      return pool.run<Row>(statement);
    },
  };
  return counted;
}

const rule = (limit: number) => ({ limit, windowMs: 60_000 });
let keys = 0;
const freshKey = () => `test:leased:${++keys}:${crypto.randomUUID()}`;

async function sharedCount(t: TestApp, key: string): Promise<number> {
  const [row] = await t.orm.em.fork().execute<{ count: number }[]>('select count from rate_limit_counters where key = ?', [key]);
  return row?.count ?? 0;
}

describe('a limit counted in leases', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('lets exactly the limit through on one instance when 30 attempts arrive together', async () => {
    const charge = createLeasedRateLimit(await countedPool(t));
    const key = freshKey();
    const verdicts = await Promise.all(Array.from({ length: 30 }, () => charge({ key, rule: rule(10) }, t.clock.now())));
    expect(verdicts.filter((verdict) => verdict.allowed)).toHaveLength(10);
    const refused = verdicts.find((verdict) => !verdict.allowed);
    expect(refused).toEqual({ allowed: false, retryAfterSeconds: 60 });
  });

  it('never lets more than the limit through across two instances, and at most one lease each fewer', async () => {
    const a = createLeasedRateLimit(await countedPool(t));
    const b = createLeasedRateLimit(await countedPool(t));
    const key = freshKey();
    const limit = 200;
    const attempts = Array.from({ length: 300 }, (_, index) => (index % 2 === 0 ? a : b)({ key, rule: rule(limit) }, t.clock.now()));
    const allowed = (await Promise.all(attempts)).filter((verdict) => verdict.allowed).length;
    expect(allowed).toBeLessThanOrEqual(limit);
    expect(allowed).toBeGreaterThanOrEqual(limit - 2 * maxLeaseSize(rule(limit)));
  });

  it('costs a busy key one statement per lease, not one per attempt', async () => {
    const pool = await countedPool(t);
    const charge = createLeasedRateLimit(pool);
    const key = freshKey();
    for (let attempt = 0; attempt < 1_000; attempt++) expect((await charge({ key, rule: rule(1_000_000) }, t.clock.now())).allowed).toBe(true);
    // Leases of 1, 2, 4 … 64, then 100 each.
    expect(pool.statements).toBe(7 + Math.ceil((1_000 - 127) / 100));
    expect(await sharedCount(t, key)).toBeGreaterThanOrEqual(1_000);
  });

  it('refuses without a statement once the shared counter has nothing left, until the window closes', async () => {
    const pool = await countedPool(t);
    const charge = createLeasedRateLimit(pool);
    const key = freshKey();
    for (let attempt = 0; attempt < 3; attempt++) expect((await charge({ key, rule: rule(3) }, t.clock.now())).allowed).toBe(true);
    expect((await charge({ key, rule: rule(3) }, t.clock.now())).allowed).toBe(false);
    const statements = pool.statements;
    t.clock.advance(30_000);
    expect(await charge({ key, rule: rule(3) }, t.clock.now())).toEqual({ allowed: false, retryAfterSeconds: 30 });
    expect(pool.statements).toBe(statements);
    t.clock.advance(30_001);
    expect((await charge({ key, rule: rule(3) }, t.clock.now())).allowed).toBe(true);
  });

  it('lets attempts leased but not spent lapse with their window, so a new window starts from the shared count', async () => {
    const first = createLeasedRateLimit(await countedPool(t));
    const key = freshKey();
    // 1 + 2 + 4 leased, 4 spent: three are left on this instance.
    for (let attempt = 0; attempt < 4; attempt++) await first({ key, rule: rule(1_000) }, t.clock.now());
    expect(await sharedCount(t, key)).toBe(7);
    t.clock.advance(60_001);
    expect((await first({ key, rule: rule(1_000) }, t.clock.now())).allowed).toBe(true);
    expect(await sharedCount(t, key)).toBe(1);
  });

  it('still holds every limit when more addresses arrive than it keeps leases for: a forgotten lease gives up its attempts', async () => {
    const charge = createLeasedRateLimit(await countedPool(t), { maxKeys: 2 });
    const keys = [freshKey(), freshKey(), freshKey()];
    const allowed = new Map(keys.map((key) => [key, 0]));
    for (let round = 0; round < 8; round++) {
      for (const key of keys) if ((await charge({ key, rule: rule(5) }, t.clock.now())).allowed) allowed.set(key, allowed.get(key)! + 1);
    }
    for (const key of keys) {
      // Each comes back with a lease of one, so nothing is left unspent: exactly the limit.
      expect(allowed.get(key)).toBe(5);
      expect(await sharedCount(t, key)).toBeGreaterThanOrEqual(5);
    }
  });

  it('answers a failed lease with the error, and leases again on the next attempt', async () => {
    const pool = await countedPool(t);
    let failNext = true;
    const failing: HotPool = {
      run: (statement) => {
        if (failNext) {
          failNext = false;
          return Promise.reject(new Error('connection lost'));
        }
        return pool.run(statement);
      },
    };
    const charge = createLeasedRateLimit(failing);
    const key = freshKey();
    const together = await Promise.allSettled([charge({ key, rule: rule(5) }, t.clock.now()), charge({ key, rule: rule(5) }, t.clock.now())]);
    expect(together.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
    expect(await charge({ key, rule: rule(5) }, t.clock.now())).toEqual({ allowed: true });
  });
});
