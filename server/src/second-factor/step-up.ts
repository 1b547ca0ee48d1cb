import type { EntityManager } from '@mikro-orm/postgresql';
import type { GraphQLContext } from '../builder.ts';
import { stepUpRequired } from '../errors.ts';
import { secondFactorMethods } from './methods.ts';
import type { Viewer } from '../auth/request-authentication.ts';

/** How long a second factor proven on a session lets it make sensitive changes. */
export const STEP_UP_WINDOW_MS = 10 * 60_000;

/**
 * Guards a sensitive change (removing a factor, new recovery codes, a new password or email, a
 * deletion): an account with a second factor needs one proven on this very session within the
 * last ten minutes (at login, or since with `verifySecondFactor`), else `STEP_UP_REQUIRED` with
 * the methods to prove it with. Accounts without a second factor pass. Call it before anything
 * is checked or counted.
 */
export async function requireRecentSecondFactor(context: GraphQLContext, viewer: Viewer): Promise<void> {
  const em = context.em();
  const methods = await secondFactorMethods(em, viewer.userId);
  if (methods.length === 0) return;
  const [row] = await em.execute<{ second_factor_at: string | Date | null }[]>('select second_factor_at from sessions where id = ? and user_id = ?', [
    viewer.sessionId,
    viewer.userId,
  ]);
  const provenAt = row?.second_factor_at ? new Date(row.second_factor_at) : undefined;
  if (!provenAt || context.now().getTime() - provenAt.getTime() > STEP_UP_WINDOW_MS) throw stepUpRequired(methods);
}

/** Records that a second factor was just proven on the session, opening the step-up window. */
export async function recordSecondFactorOnSession(em: EntityManager, viewer: Viewer, now: Date): Promise<void> {
  await em.execute('update sessions set second_factor_at = ? where id = ? and user_id = ?', [now, viewer.sessionId, viewer.userId]);
}
