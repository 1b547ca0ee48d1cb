import { describe, expect, it } from 'vitest';
import {
  accountDeletedNotice,
  emailChangeConfirmation,
  emailChangedNotice,
  emailChangeRequestedNotice,
  lifetimeInWords,
  passwordChangedNotice,
  passwordResetEmail,
  passwordResetNotice,
  subjectLine,
  verificationEmail,
} from '../src/email/messages.ts';

const sender = { appName: 'Acme <Accounts>', publicOrigin: 'https://auth.example.com' };
const hostileName = '<script>alert("hi")</script> & Co';
const to = { email: 'ada@example.com', name: hostileName };
const token = 'A'.repeat(43);

const withLinks = [
  { message: passwordResetEmail(sender, to, { token, lifetimeMs: 30 * 60_000 }), page: '/reset-password', lifetime: '30 minutes' },
  { message: verificationEmail(sender, to, { token, lifetimeMs: 24 * 3_600_000 }), page: '/verify-email', lifetime: '24 hours' },
  { message: emailChangeConfirmation(sender, to, { token, lifetimeMs: 24 * 3_600_000 }), page: '/confirm-email', lifetime: '24 hours' },
];
const notices = [
  emailChangeRequestedNotice(sender, to, { newEmail: 'new+<b>@example.com' }),
  emailChangedNotice(sender, to, { newEmail: 'new+<b>@example.com' }),
  passwordChangedNotice(sender, to),
  passwordResetNotice(sender, to),
  accountDeletedNotice(sender, to),
];
const every = [...withLinks.map(({ message }) => message), ...notices];

describe('the emails', () => {
  it('are eight kinds, each to the recipient, with the app name in the subject, both bodies and the signature', () => {
    expect(new Set(every.map((message) => message.kind)).size).toBe(8);
    for (const message of every) {
      expect(message.to).toBe('ada@example.com');
      expect(message.subject).toContain('Acme <Accounts>');
      expect(message.text).toContain('— Acme <Accounts>');
      expect(message.html).toContain('— Acme &lt;Accounts&gt;');
      expect(message.html).toMatch(/^<!doctype html>/);
    }
  });

  it('carry the link to PUBLIC_ORIGIN/<page>?token=… in both bodies, with its lifetime in words', () => {
    for (const { message, page, lifetime } of withLinks) {
      const link = `https://auth.example.com${page}?token=${token}`;
      expect(message.text).toContain(`\n${link}\n`);
      expect(message.html).toContain(`href="${link}"`);
      expect(message.text).toContain(lifetime);
      expect(message.html).toContain(lifetime);
    }
    for (const message of notices) expect(message.text).not.toContain('token=');
  });

  it('escape what users chose in the HTML body, and keep it out of subjects', () => {
    for (const message of every) {
      expect(message.html).not.toContain('<script>');
      expect(message.html).toContain('Hello &lt;script&gt;alert(&quot;hi&quot;)&lt;/script&gt; &amp; Co,');
      expect(message.text).toContain(`Hello ${hostileName},`);
      expect(message.subject).not.toContain('script');
    }
    for (const message of notices.slice(0, 2)) {
      expect(message.html).toContain('new+&lt;b&gt;@example.com');
      expect(message.html).not.toContain('<b>');
    }
  });

  it('have subjects on one line, whatever they are built from', () => {
    expect(subjectLine('Reset\r\nBcc: victim@example.com\u0000 now')).toBe('Reset Bcc: victim@example.com now');
    expect(subjectLine('x'.repeat(300))).toHaveLength(200);
    const injected = passwordResetEmail({ ...sender, appName: 'Acme\r\nBcc: victim@example.com' }, to, { token, lifetimeMs: 60_000 });
    expect(injected.subject).not.toMatch(/[\r\n]/);
  });
});

describe('a lifetime in words', () => {
  it.each([
    [30 * 60_000, '30 minutes'],
    [60 * 60_000, '1 hour'],
    [24 * 3_600_000, '24 hours'],
    [48 * 3_600_000, '48 hours'],
    [36 * 3_600_000, '36 hours'],
    [3 * 86_400_000, '3 days'],
    [90_000, '90 seconds'],
    [1000, '1 second'],
  ])('%d ms reads %s', (ms, words) => {
    expect(lifetimeInWords(ms)).toBe(words);
  });
});
