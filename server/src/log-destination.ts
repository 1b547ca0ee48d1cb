import type { DestinationStream } from 'pino';
import type { Config } from './config.ts';

/**
 * Where log lines go: readable, coloured lines for a person at a terminal in development; JSON
 * lines everywhere else (pipes, files, log collectors, production), which is what machines read.
 */
export async function logDestination(env: Config['env'], stdout: { isTTY?: boolean } = process.stdout): Promise<DestinationStream | undefined> {
  if (env !== 'development' || stdout.isTTY !== true) return undefined;
  try {
    const { default: pretty } = await import('pino-pretty');
    return pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname', sync: true });
  } catch {
    // pino-pretty is a development dependency; without it the lines stay JSON.
    return undefined;
  }
}
