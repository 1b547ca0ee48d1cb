import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../config.ts';

const DATA_DIR = fileURLToPath(new URL('../../../.data', import.meta.url));
export const KEY_ENCRYPTION_SECRET_FILE = 'key-encryption-secret';

/**
 * Outside production an unset `KEY_ENCRYPTION_SECRET` is generated once into `.data/` (readable by
 * its owner only), so `npm start` stays one command; production refuses to start without one (see
 * config.ts). Keys configured in `JWT_PRIVATE_KEYS` are never stored, so they need none.
 */
export async function withKeyEncryptionSecret(config: Config, dataDir = DATA_DIR): Promise<Config> {
  if (config.keyEncryptionSecret || config.jwtPrivateKeys || config.env === 'production') return config;
  const path = join(dataDir, KEY_ENCRYPTION_SECRET_FILE);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const generated = randomBytes(32).toString('base64url');
  try {
    // 'wx': two processes starting together keep whichever secret was written first.
    await writeFile(path, `${generated}\n`, { flag: 'wx', mode: 0o600 });
    return { ...config, keyEncryptionSecret: generated };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return { ...config, keyEncryptionSecret: await readWrittenSecret(path) };
  }
}

/** The file another process created, once its content is there (it is created empty, then written). */
async function readWrittenSecret(path: string): Promise<string> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const secret = (await readFile(path, 'utf8')).trim();
    if (secret) return secret;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`${path} is empty: delete it to generate a new KEY_ENCRYPTION_SECRET, or set the variable`);
}
