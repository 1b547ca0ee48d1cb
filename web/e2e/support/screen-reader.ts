import { createRequire } from 'node:module';
import { mkdirSync } from 'node:fs';
import type { AxeResults, RunOptions } from 'axe-core';
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import { expect } from 'vitest';
import { SCREENSHOT_DIR } from './browser.ts';

declare global {
  interface Window {
    /** What a screen reader would have announced since the document loaded, in order. */
    __announcements?: string[];
    /** axe-core, once `axeViolations` injected it. */
    axe?: { run(context: Document, options: RunOptions): Promise<AxeResults> };
  }
}

/**
 * Records, in every tab of `context`, what a screen reader would announce from live regions, by
 * the rules they follow in practice: a change inside a live region (`aria-live`, `role=status`,
 * `role=alert`) that was already in the page is read (the added nodes' text, or the region's whole
 * text when it is `aria-atomic` or only its text changed); a `role=alert` element inserted with its
 * text is read; any other region inserted with its text already in it is not, since screen readers
 * miss those.
 */
export async function recordAnnouncements(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const heard: string[] = [];
    window.__announcements = heard;
    const LIVE = '[aria-live]:not([aria-live="off"]), [role="status"], [role="alert"], [role="log"]';
    const known = new WeakSet<Element>();
    const remember = () => {
      for (const region of document.querySelectorAll(LIVE)) known.add(region);
    };
    const say = (text: string | null | undefined) => {
      const spoken = (text ?? '').replace(/\s+/g, ' ').trim();
      if (spoken) heard.push(spoken);
    };
    const regionOf = (node: Node) => (node instanceof Element ? node : node.parentElement)?.closest(LIVE) ?? null;
    new MutationObserver((mutations) => {
      for (const mutation of mutations) {
        const region = regionOf(mutation.target);
        if (region && known.has(region)) {
          const atomic = region.getAttribute('aria-atomic') === 'true';
          if (atomic || mutation.type === 'characterData') say(region.textContent);
          else for (const node of mutation.addedNodes) say(node.textContent);
          continue;
        }
        for (const node of mutation.addedNodes) {
          if (!(node instanceof Element)) continue;
          const alerts = [...(node.matches('[role="alert"]') ? [node] : []), ...node.querySelectorAll('[role="alert"]')];
          for (const alert of alerts) say(alert.textContent);
        }
      }
      remember();
    }).observe(document, { childList: true, subtree: true, characterData: true });
    document.addEventListener('DOMContentLoaded', remember);
  });
}

/** Everything announced in `page` since its document loaded. */
export function announcements(page: Page): Promise<string[]> {
  return page.evaluate(() => window.__announcements ?? []);
}

/** Forgets what was announced so far, so the next assertion sees only what follows. */
export function forgetAnnouncements(page: Page): Promise<void> {
  return page.evaluate(() => void window.__announcements?.splice(0));
}

/** Waits until the announcements include `text`, then returns all of them since the last forgetting, and forgets them. */
export async function hear(page: Page, text: string): Promise<string[]> {
  await expect.poll(() => announcements(page)).toContain(text);
  const said = await announcements(page);
  await forgetAnnouncements(page);
  return said;
}

const cdpSessions = new WeakMap<Page, Promise<CDPSession>>();

/** One DevTools session per tab, for what only Chromium itself knows (its accessibility tree). */
export function devtools(page: Page): Promise<CDPSession> {
  let session = cdpSessions.get(page);
  if (!session) {
    session = page.context().newCDPSession(page);
    cdpSessions.set(page, session);
  }
  return session;
}

/** The focused element as Chromium's accessibility tree presents it to a screen reader. */
export interface FocusedElement {
  role: string;
  name: string;
  description: string;
  invalid: boolean;
  disabled: boolean;
}

interface AxValue {
  value?: unknown;
}

interface AxNode {
  ignored: boolean;
  role?: AxValue;
  name?: AxValue;
  description?: AxValue;
  properties?: { name: string; value: AxValue }[];
}

const text = (value: AxValue | undefined) => (typeof value?.value === 'string' ? value.value : '');

/**
 * What has keyboard focus, read from Chromium's accessibility tree: role, accessible name and
 * description (its error or hint), and its invalid and disabled states. `<body>` shows as the
 * document (`RootWebArea`).
 */
export async function focusedElement(page: Page): Promise<FocusedElement> {
  const cdp = await devtools(page);
  const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: AxNode[] };
  const property = (node: AxNode, name: string) => node.properties?.find((item) => item.name === name)?.value.value;
  const focused = nodes.filter((node) => !node.ignored && property(node, 'focused') === true);
  // The document counts as focused while an element inside it is; the element is the answer.
  const element = focused.find((node) => text(node.role) !== 'RootWebArea') ?? focused[0];
  if (!element) return { role: 'none', name: '', description: '', invalid: false, disabled: false };
  return {
    role: text(element.role),
    name: text(element.name),
    description: text(element.description),
    invalid: property(element, 'invalid') === 'true',
    disabled: property(element, 'disabled') === true,
  };
}

/**
 * Presses Tab (or Shift+Tab) until the focused element has `role` and `name`, as a keyboard user
 * looks for a control; fails after `limit` presses.
 */
export async function tabTo(page: Page, role: string, name: string | RegExp, { backwards = false, limit = 25 } = {}): Promise<FocusedElement> {
  const seen: string[] = [];
  for (let presses = 0; presses < limit; presses += 1) {
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
    const focused = await focusedElement(page);
    if (focused.role === role && (typeof name === 'string' ? focused.name === name : name.test(focused.name))) return focused;
    seen.push(`${focused.role} "${focused.name}"`);
  }
  throw new Error(`no ${role} "${String(name)}" within ${limit} presses of ${backwards ? 'Shift+Tab' : 'Tab'}; focus went to: ${seen.join(', ')}`);
}

const require = createRequire(import.meta.url);
/** axe-core's browser bundle, from the npm package; injected through DevTools, so the page's CSP is untouched. */
const AXE_SOURCE: string = (require('axe-core') as { source: string }).source;

/** One rule axe-core found broken, with the elements that break it. */
export interface AxeViolation {
  id: string;
  help: string;
  targets: string[];
}

/** Runs axe-core on the page as it is: WCAG 2.1 A and AA, and best practice. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    if (!window.axe) throw new Error('axe-core did not load');
    const results = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
    return results.violations.map((violation) => ({
      id: violation.id,
      help: violation.help,
      targets: violation.nodes.map((node) => node.target.map(String).join(' ')),
    }));
  });
}

/** The focus ring of the focused element: its outline, and its contrast against what surrounds it. */
export interface FocusRing {
  element: string;
  outlineStyle: string;
  outlineWidthPx: number;
  outlineOffsetPx: number;
  /** Outline colour against the first opaque background behind the element (the outline sits outside it). */
  contrast: number;
}

/** Measures the focused element's outline in the page. */
export function focusRing(page: Page): Promise<FocusRing> {
  return page.evaluate(() => {
    const parse = (color: string) => {
      const parts = color.match(/[\d.]+/g)?.map(Number) ?? [];
      return { rgb: parts.slice(0, 3), alpha: parts.length > 3 ? parts[3]! : 1 };
    };
    const luminance = (rgb: number[]) => {
      const [r, g, b] = rgb.map((channel) => {
        const value = channel / 255;
        return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    };
    const element = document.activeElement;
    if (!(element instanceof HTMLElement)) throw new Error('nothing is focused');
    const style = getComputedStyle(element);
    let behind = element.parentElement;
    let background = { rgb: [255, 255, 255], alpha: 1 };
    while (behind) {
      const color = parse(getComputedStyle(behind).backgroundColor);
      if (color.alpha === 1) {
        background = color;
        break;
      }
      behind = behind.parentElement;
    }
    const outline = luminance(parse(style.outlineColor).rgb);
    const surround = luminance(background.rgb);
    const contrast = (Math.max(outline, surround) + 0.05) / (Math.min(outline, surround) + 0.05);
    const name = (element.getAttribute('aria-label') ?? element.textContent ?? '').trim().slice(0, 40);
    return {
      element: `${element.tagName.toLowerCase()} "${name || element.getAttribute('name') || ''}"`,
      outlineStyle: style.outlineStyle,
      outlineWidthPx: parseFloat(style.outlineWidth),
      outlineOffsetPx: parseFloat(style.outlineOffset),
      contrast: Math.round(contrast * 100) / 100,
    };
  });
}

/**
 * Every stop of the page's Tab order, from where the keyboard is now (the top of a page just
 * loaded) to where it comes round again, with its focus ring (at most `limit` stops).
 */
export async function focusRingsOfEveryTabStop(page: Page, limit = 30): Promise<FocusRing[]> {
  const rings: FocusRing[] = [];
  const visited = new Set<string>();
  for (let stop = 0; stop < limit; stop += 1) {
    await page.keyboard.press('Tab');
    const key = await page.evaluate(() => {
      const element = document.activeElement;
      if (!element || element === document.body) return '';
      // A stable path to the element: its position among the document's elements.
      return String([...document.querySelectorAll('*')].indexOf(element));
    });
    if (!key || visited.has(key)) break;
    visited.add(key);
    rings.push(await focusRing(page));
  }
  return rings;
}

/** Emulates `forced-colors: active` (Windows High Contrast and the like) through Chromium's DevTools. */
export async function emulateForcedColors(page: Page, active: boolean): Promise<void> {
  const cdp = await devtools(page);
  await cdp.send('Emulation.setEmulatedMedia', { features: [{ name: 'forced-colors', value: active ? 'active' : 'none' }] });
}

/** Saves the viewport (not the full page: the focused control is in it) to test-results/screenshots/<name>.png. */
export async function screenshotFocus(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOT_DIR}${name}.png`, caret: 'hide', animations: 'disabled' });
}
