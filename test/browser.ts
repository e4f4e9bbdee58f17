// Debian's headless Chromium driven by playwright-core, for tests of the HTML report.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** The Chromium binary: $DLX_CHROMIUM, else Debian's headless shell or full Chromium. */
export const chromiumPath = [process.env.DLX_CHROMIUM, '/usr/bin/chromium-headless-shell', '/usr/lib/chromium/headless_shell', '/usr/bin/chromium'].find((p): p is string => !!p && existsSync(p));

export const noChromium = chromiumPath ? false : 'no Chromium found (install Debian\'s chromium-headless-shell, or set DLX_CHROMIUM): the report\'s browser tests are skipped';

/** A fresh browser profile, no network features, closed and removed after `use`. */
export async function withBrowser<T>(use: (context: BrowserContext) => Promise<T>): Promise<T> {
  const profile = mkdtempSync(join(tmpdir(), 'dlx-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    return await use(context);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
