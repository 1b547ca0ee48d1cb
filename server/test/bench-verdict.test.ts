import { describe, expect, it } from 'vitest';
import { benchExitStatus, verdictLine, type Target } from '../bench/verdict.ts';

const target = (met: boolean): Target => ({ target: 'me throughput >= 0.8 x baseline', measured: '1 / 2 req/s', ratio: met ? 0.9 : 0.5, met });

describe("the benchmark's exit status", () => {
  it('is 0 when every target is met', () => {
    expect(benchExitStatus({ targets: [target(true), target(true)], brokenScenarios: 0, reportOnly: false })).toBe(0);
    expect(verdictLine([target(true), target(true)], false)).toBe('2 of 2 targets met');
  });

  it('is 1 when a target is missed, and says so', () => {
    expect(benchExitStatus({ targets: [target(true), target(false)], brokenScenarios: 0, reportOnly: false })).toBe(1);
    expect(verdictLine([target(true), target(false)], false)).toBe('1 of 2 targets met: exit status 1 (--report-only reports without failing)');
  });

  it('is 0 for a missed target with --report-only, which the verdict line says', () => {
    expect(benchExitStatus({ targets: [target(false)], brokenScenarios: 0, reportOnly: true })).toBe(0);
    expect(verdictLine([target(false)], true)).toBe('0 of 1 targets met (--report-only: exit status 0 all the same)');
  });

  it('is 1 for a broken scenario even with --report-only', () => {
    expect(benchExitStatus({ targets: [target(true)], brokenScenarios: 1, reportOnly: true })).toBe(1);
  });
});
