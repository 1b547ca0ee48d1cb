import { MikroORM } from '@mikro-orm/postgresql';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ormConfig } from '../../server/src/database/mikro-orm.config.ts';
import { secretEnvelopeOf } from '../../server/src/auth/secret-envelope.ts';
import { queueTestEmail, testEmail } from '@graphql-auth/test-kit/outbox';
import type { E2eServer } from './support/e2e-server.ts';
import { serveAppToChromium } from './support/suite.ts';

declare global {
  interface Window {
    /** Set by a message's script, were it ever to run in the mailbox page. */
    __mailboxOwned?: boolean;
  }
}

/**
 * The development mailbox in Chromium: a message's links work, and nothing a message carries (a
 * user's name in the subject, markup in either body) runs as script in the server's origin.
 */
describe('the development mailbox in a browser', () => {
  let server: E2eServer;
  let browser: Browser;
  let orm: MikroORM;
  serveAppToChromium((started) => ({ server, browser } = started), { devMailbox: true });
  beforeAll(async () => {
    orm = await MikroORM.init(ormConfig(server.config.databaseUrl!));
  });
  afterAll(() => orm?.close());

  /** Queues `message` and waits until the mailbox lists it. */
  async function deliver(message: ReturnType<typeof testEmail>) {
    await queueTestEmail(orm, message, { envelope: secretEnvelopeOf(server.config), now: server.clock.now() });
    await expect.poll(async () => (await fetch(`${server.origin}/dev/mail`)).text()).toContain(message.to);
  }

  it('opens a message’s link, from the text body and from the HTML body, in a new tab without a Referer', async () => {
    const message = testEmail({ origin: server.origin });
    await deliver(message);
    const context = await browser.newContext({ baseURL: server.origin });
    const page = await context.newPage();
    // Every navigation to the link: a new tab's (its frame is not known yet) or a frame's.
    const opened: { url: string; referer: string | undefined; inFrame: boolean }[] = [];
    context.on('request', (request) => {
      if (!request.isNavigationRequest() || request.url() !== message.link) return;
      let inFrame = false;
      try {
        inFrame = request.frame().parentFrame() !== null;
      } catch {
        // A new tab's first navigation, before its frame exists.
      }
      opened.push({ url: request.url(), referer: request.headers().referer, inFrame });
    });
    await page.goto('/dev/mail');
    const article = page.locator('article', { hasText: message.to });

    await article.locator('pre').getByRole('link', { name: message.link }).click();
    const newTab = { url: message.link, referer: undefined, inFrame: false };
    await expect.poll(() => opened).toEqual([newTab]);

    const frame = article.frameLocator('iframe');
    await frame.getByRole('link', { name: 'Choose a new password' }).click();
    await expect.poll(() => opened).toEqual([newTab, newTab]);
    // The mailbox itself stayed where it was, beside the two tabs.
    expect(page.url()).toBe(`${server.origin}/dev/mail`);
    await expect.poll(() => context.pages().length).toBe(3);
    await context.close();
  });

  it('runs no script from a message whose subject, name and bodies carry markup', async () => {
    const name = '"><img src=x onerror="window.__mailboxOwned=true;alert(1)">';
    const message = testEmail({
      origin: server.origin,
      subject: `<script>window.__mailboxOwned=true</script> Welcome ${name}`,
      text: `Hello ${name}<script>window.__mailboxOwned=true</script>\n`,
      html: `<p id="hostile">Hello ${name}</p><script>parent.__mailboxOwned = true; alert(2)</script><img src=x onerror="parent.__mailboxOwned = true"><a href="javascript:parent.__mailboxOwned=true">click</a>`,
    });
    await deliver(message);
    const context = await browser.newContext({ baseURL: server.origin });
    const page = await context.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto('/dev/mail');
    const article = page.locator('article', { hasText: message.to });
    // The hostile text is shown as text, in the page and in the frame.
    await expect.poll(() => article.locator('h2').textContent()).toBe(`<script>window.__mailboxOwned=true</script> Welcome ${name}`);
    const frame = article.frameLocator('iframe');
    await expect.poll(() => frame.locator('#hostile').textContent()).toBe('Hello ">');
    await frame.getByRole('link', { name: 'click' }).click();
    await page.waitForLoadState('load');

    expect(await page.evaluate(() => window.__mailboxOwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(await page.locator('img, script').count()).toBe(0);
    expect(await page.title()).toBe('Development mailbox · GraphQL Auth');
    await context.close();
  });
});
