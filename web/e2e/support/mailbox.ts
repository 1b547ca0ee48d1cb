import { linkIn, type ReceivedEmail, type TestRelay } from '@graphql-auth/test-kit/smtp-relay';

/** Where the relay's list of received messages stands now: pass it to {@link nextLink} to skip what came before. */
export function mailMark(relay: TestRelay): number {
  return relay.received.length;
}

const hasLink = (email: ReceivedEmail, path: string) => {
  try {
    linkIn(email, path);
    return true;
  } catch {
    return false;
  }
};

/**
 * The first email to `address` that arrived after `mark` and links to `path` (`/reset-password`,
 * `/verify-email`, `/confirm-email`), waiting for it; the message and its link (in both bodies).
 */
export async function nextLink(relay: TestRelay, address: string, path: string, mark = 0): Promise<{ email: ReceivedEmail; link: URL }> {
  const email = await relay.waitForEmail((candidate) => relay.received.indexOf(candidate) >= mark && candidate.to.includes(address) && hasLink(candidate, path));
  return { email, link: linkIn(email, path) };
}

/** The emails to `address` that arrived after `mark`, as they are now. */
export function emailsTo(relay: TestRelay, address: string, mark = 0): ReceivedEmail[] {
  return relay.received.slice(mark).filter((email) => email.to.includes(address));
}
