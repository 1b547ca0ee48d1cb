/** One performance target as measured in a run. */
export interface Target {
  target: string;
  measured: string;
  ratio: number;
  met: boolean;
}

/**
 * The bench's exit status: 1 when a scenario broke or a target was missed, so CI and readers
 * cannot take a miss for a pass; with `reportOnly`, missed targets are reported and exit 0.
 */
export function benchExitStatus({ targets, brokenScenarios, reportOnly }: { targets: Target[]; brokenScenarios: number; reportOnly: boolean }): number {
  if (brokenScenarios > 0) return 1;
  return !reportOnly && targets.some((target) => !target.met) ? 1 : 0;
}

/** The last line about the targets: how many were missed and what that does to the exit status. */
export function verdictLine(targets: Target[], reportOnly: boolean): string {
  const missed = targets.filter((target) => !target.met).length;
  const met = `${targets.length - missed} of ${targets.length} targets met`;
  if (missed === 0) return met;
  return reportOnly ? `${met} (--report-only: exit status 0 all the same)` : `${met}: exit status 1 (--report-only reports without failing)`;
}
