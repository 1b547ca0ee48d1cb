import { Counter, type Registry } from 'prom-client';

/** The auth events an operator watches: failures, refreshes, theft signals, revocations, refusals. */
export interface AuthMetrics {
  loginFailures: Counter;
  refreshes: Counter<'result'>;
  reuseDetections: Counter;
  revocations: Counter<'reason'>;
  rateLimited: Counter<'action'>;
}

/** Registered on the app's own registry; every label takes values from a fixed set. */
export function createAuthMetrics(registry: Registry): AuthMetrics {
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
    new Counter<L>({ name, help, labelNames, registers: [registry] });
  return {
    loginFailures: counter('auth_login_failures_total', 'Password checks refused for a wrong email or password (logins and changePassword), and second-factor codes refused.'),
    refreshes: counter('auth_refreshes_total', 'Refresh attempts by result.', ['result']),
    reuseDetections: counter('auth_refresh_token_reuse_total', 'Spent refresh tokens presented again (the session was ended).'),
    revocations: counter('auth_sessions_revoked_total', 'Sessions ended, by reason.', ['reason']),
    rateLimited: counter('auth_rate_limited_total', 'Requests refused by a rate limit, by action.', ['action']),
  };
}
