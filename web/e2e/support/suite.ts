import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchBrowser } from './browser.ts';
import { startE2eServer, type E2eServer, type E2eServerOptions } from './e2e-server.ts';

/**
 * Starts the app (on a database of its own, `env` over the test defaults) and Chromium before the
 * suite's tests, hands both to `receive`, and closes them after the tests: the setup every browser
 * suite shares.
 */
export function serveAppToChromium(
  receive: (started: { server: E2eServer; browser: Browser }) => void,
  { env = {}, ...options }: E2eServerOptions & { env?: Record<string, string> } = {},
): void {
  let started: { server: E2eServer; browser: Browser } | undefined;
  beforeAll(async () => {
    const [server, browser] = await Promise.all([startE2eServer(env, options), launchBrowser()]);
    started = { server, browser };
    receive(started);
  });
  afterAll(async () => {
    await started?.browser.close();
    await started?.server.close();
  });
}
