/** Shared by the browser tests and the screenshot script: an emulator with the explorer, and headless Chromium. */
import { chromium, type Browser, type Page } from 'playwright-core';
import { createEmulator, createExplorer, type Emulator, type RunningServer } from '../src/index';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface ExplorerSession {
  em: Emulator;
  server: RunningServer;
  browser: Browser;
  page: Page;
  /** Console errors and uncaught page errors seen so far. */
  errors: string[];
  /** Every URL the page requested. */
  requests: string[];
  close(): Promise<void>;
}

export async function startExplorerSession(viewport = { width: 1400, height: 1000 }): Promise<ExplorerSession> {
  const em = createEmulator({ seed: 'demo' });
  await em.admin.setExplorer(createExplorer({ emulator: em }).handle);
  const server = await em.listen();
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
      timeout: 30_000,
    });
    const page = await browser.newPage({ viewport });
    page.setDefaultTimeout(10_000);
    // The page's timers and Date are Playwright's fake clock: tests move time with page.clock.runFor().
    await page.clock.install();
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('request', (r) => requests.push(r.url()));
    const b = browser;
    return {
      em,
      server,
      browser: b,
      page,
      errors,
      requests,
      async close() {
        await b.close().catch(() => undefined);
        await em.close();
      },
    };
  } catch (error) {
    await browser?.close().catch(() => undefined);
    await em.close();
    throw error;
  }
}

export async function openExplorer(s: ExplorerSession): Promise<void> {
  await s.page.goto(`${s.server.url}/explorer`);
  await s.page.waitForSelector('body[data-ready="true"]');
}

export const searchBox = (page: Page) => page.getByLabel('Search operations by name, path or scope');
export const operation = (page: Page, name: string) => page.locator(`li.op[data-op="${name}"]`);
export const chips = (page: Page) => page.locator('#chips li.chip');

/** Keep only `name` visible and click one of its scopes. */
export async function clickScope(page: Page, opName: string, scope: string): Promise<void> {
  await searchBox(page).fill(opName);
  await operation(page, opName).getByRole('button', { name: scope, exact: true }).click();
}

/** Entity + action pickers, then the arrow (pressed from the keyboard). */
export async function addByArrow(page: Page, entity: string, action: string): Promise<void> {
  await page.getByLabel('Entity', { exact: true }).selectOption(entity);
  await page.getByLabel('Action', { exact: true }).selectOption(action);
  await page.getByRole('button', { name: `Add scope ${action}:${entity}` }).press('Enter');
}

export async function mintWith(page: Page, sourceId: string): Promise<void> {
  await page.getByLabel('Mint with').selectOption(sourceId);
  await page.getByRole('button', { name: 'Mint token' }).click();
  await page.locator('#mint-result .ok, #mint-result .error').first().waitFor();
}

export async function tryOperation(page: Page, opName: string, params: Record<string, string> = {}): Promise<void> {
  await searchBox(page).fill(opName);
  await page.getByRole('button', { name: `Try it: ${opName}`, exact: true }).click();
  for (const [k, v] of Object.entries(params)) await page.locator(`#param-${k}`).fill(v);
  await page.getByRole('button', { name: 'Send with the token' }).click();
  await page.locator('#try-status, #try-result .error').first().waitFor();
}
