import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type FrameLocator, type Page } from 'playwright-core';

/** Debian's Chromium; CI installs it with apt (`chromium`). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOT_DIR = path.join(__dirname, '..', 'screenshots');

/** A headless Chromium that needs no sandbox, GPU or network of its own. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
    ],
  });
}

/** Saves test/browser/screenshots/<name>.png (git-ignored) and returns its path. */
export async function screenshot(
  page: Page,
  name: string,
  options: { fullPage?: boolean } = {},
): Promise<string> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name.replace(/[^A-Za-z0-9._-]+/g, '-')}.png`);
  await page.screenshot({ path: file, fullPage: options.fullPage ?? false });
  return file;
}

export interface A11yViolation {
  id: string;
  impact: 'serious' | 'critical';
  help: string;
  helpUrl: string;
  nodes: { target: unknown[]; html: string; failureSummary?: string }[];
}

export interface A11yOptions {
  /** CSS selectors to leave out, e.g. third-party frames. */
  exclude?: string[];
  /** Also check inside iframes (axe is injected into every frame). Default: the top document only. */
  frames?: boolean;
}

let axeSource: string | undefined;

/** Runs axe-core (WCAG 2.x A/AA and best practices) and returns the serious and critical violations. */
export async function checkA11y(page: Page, options: A11yOptions = {}): Promise<A11yViolation[]> {
  axeSource ??= fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  const targets = options.frames ? page.frames() : [page.mainFrame()];
  for (const frame of targets) {
    const loaded = await frame.evaluate(() => 'axe' in window).catch(() => true);
    if (!loaded) await frame.addScriptTag({ content: axeSource });
    // Frames from another origin (the sandbox shell frames 127.0.0.1 pages) only answer when this is allowed.
    if (options.frames)
      await frame.evaluate(() => (window as any).axe.configure({ allowedOrigins: ['<unsafe_all_origins>'] }));
  }
  const violations = await page.evaluate(
    async ({ exclude, frames }) => {
      const axe = (window as any).axe;
      const context = exclude.length ? { exclude: exclude.map((s) => [s]) } : document;
      const result = await axe.run(context, { iframes: frames, resultTypes: ['violations'] });
      return result.violations.map((v: any) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        helpUrl: v.helpUrl,
        nodes: v.nodes.map((n: any) => ({
          target: n.target,
          html: n.html,
          failureSummary: n.failureSummary,
        })),
      }));
    },
    { exclude: options.exclude ?? [], frames: options.frames ?? false },
  );
  return (violations as A11yViolation[]).filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** One line per violation and node, for readable assertion failures. */
export function describeViolations(violations: A11yViolation[]): string {
  return violations
    .flatMap((v) => v.nodes.map((n) => `${v.impact} ${v.id}: ${v.help} at ${JSON.stringify(n.target)}`))
    .join('\n');
}

/** How many rows the app's tabs take in the frame (1 when nothing wrapped). */
export function navRows(app: FrameLocator): Promise<number> {
  return app
    .locator('#app-nav a')
    .evaluateAll((links) => new Set(links.map((a) => Math.round(a.getBoundingClientRect().top))).size);
}
