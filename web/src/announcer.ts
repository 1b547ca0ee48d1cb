/** The id of the polite live region in index.html, outside React's tree so it outlives every page. */
const REGION_ID = 'announcements';

/** How long a message stays in the region; screen readers have read it long before. */
const KEEP_MS = 10_000;

/**
 * Reads `text` to screen-reader users once, politely (after what they are hearing). Each message is
 * a new node in a region that was in the page from the start: a region inserted with its text
 * already in it is not reliably announced, and a repeated text (the same error twice) still counts.
 */
export function announce(text: string): void {
  const region = document.getElementById(REGION_ID);
  if (!region) return;
  const message = document.createElement('p');
  message.textContent = text;
  region.append(message);
  setTimeout(() => message.remove(), KEEP_MS);
}
