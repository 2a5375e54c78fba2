/**
 * The explorer's layout and defaults in headless Chromium at 390, 1024 and 1440 px: no sideways scroll, the
 * Try-it result in the viewport after Send, "Mint with" defaulting to the least-privileged application that can
 * make the call, no body field on GET forms, booleans as selects, and a hint when a search matches nothing.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_IDS } from '../src/index';
import { BOOLEAN_QUERY_PARAMS, bodyField } from '../src/explorer/operations-view';
import { operations } from '../src/table';
import { chips, CHROMIUM, openExplorer, searchBox, startExplorerSession, type ExplorerSession } from './explorer-browser';

if (process.env.CI && !existsSync(CHROMIUM)) {
  throw new Error(`Chromium is missing at ${CHROMIUM}: install Debian's chromium (scripts/setup.sh does) or set CHROMIUM_PATH.`);
}

it('every boolean query parameter the explorer knows is a query parameter of the table; GET forms take no body', () => {
  const query = new Set(operations.flatMap((o) => o.queryParams));
  expect([...BOOLEAN_QUERY_PARAMS].filter((p) => !query.has(p))).toEqual([]);
  expect(operations.filter((o) => o.method === 'GET').map(bodyField).every((f) => f === 'none')).toBe(true);
  expect(bodyField({ method: 'PATCH', body: 'required' })).toBe('required');
});

/** Whether an element lies wholly inside the viewport and inside every scrolling ancestor's visible box. */
const fullyVisible = (selector: string) => `(() => {
  const el = document.querySelector(${JSON.stringify(selector)});
  if (!el) return false;
  const r = el.getBoundingClientRect();
  if (r.top < 0 || r.bottom > innerHeight || r.left < 0 || r.right > innerWidth) return false;
  for (let p = el.parentElement; p; p = p.parentElement) {
    const s = getComputedStyle(p);
    if (!/(auto|scroll)/.test(s.overflowY)) continue;
    const b = p.getBoundingClientRect();
    if (r.top < b.top - 1 || r.top > b.bottom) return false;
  }
  return true;
})()`;

for (const width of [390, 1024, 1440]) {
  describe.skipIf(!existsSync(CHROMIUM))(`explorer at ${width} px`, () => {
    let s: ExplorerSession;

    beforeAll(async () => {
      s = await startExplorerSession({ width, height: width === 390 ? 844 : 800 });
      await openExplorer(s);
    }, 60_000);

    afterAll(async () => {
      await s?.close();
    });

    it('does not scroll sideways', async () => {
      expect(await s.page.evaluate(() => [document.documentElement.scrollWidth, innerWidth])).toSatisfy(([scroll, inner]: number[]) => scroll! <= inner!);
    });

    it('defaults "Mint with" to the least-privileged application that can make the call, with its scopes', async () => {
      const page = s.page;
      const source = page.getByLabel('Mint with');
      expect(await source.inputValue()).not.toBe('client:sb-demo-admin');
      await searchBox(page).fill('users.get');
      await page.getByRole('button', { name: 'Try it: users.get', exact: true }).click();
      expect(await source.inputValue()).toBe('client:sb-demo-read-users');
      await expect.poll(() => chips(page).allTextContents()).toEqual(['read:users×']);
      // No body for a GET.
      expect(await page.locator('#try-body-field').isVisible()).toBe(false);
      expect(await page.locator('#try-body').isEnabled()).toBe(false);
    });

    it('after Send the result is in view, inside the side column too', async () => {
      const page = s.page;
      await page.getByRole('button', { name: 'Mint token' }).click();
      await page.locator('#mint-result .ok').waitFor();
      await page.locator('#param-id').fill(DEMO_IDS.firstUser);
      await page.getByRole('button', { name: 'Send with the token' }).click();
      await page.locator('#try-status').waitFor();
      expect(await page.locator('#try-status').textContent()).toBe('200 OK');
      await expect.poll(() => page.evaluate(fullyVisible('#try-status'))).toBe(true);
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth)).toBe(true);
      // Nor does the side column scroll sideways inside itself (code blocks may, within their own box).
      expect(await page.evaluate(() => [...document.querySelectorAll('.side, .panel')].every((e) => e.scrollWidth <= e.clientWidth + 1))).toBe(true);
    });

    it('picks the narrowest covering application per call; booleans are selects; a body field where a body is taken', async () => {
      const page = s.page;
      await page.getByRole('button', { name: 'Clear scopes' }).click();
      await searchBox(page).fill('roles.list');
      await page.getByRole('button', { name: 'Try it: roles.list', exact: true }).click();
      // read:roles: the private_key_jwt demo client (2 scopes) is narrower than the roles manager (4) or the admin.
      expect(await page.getByLabel('Mint with').inputValue()).toBe('client:sb-demo-private-key-jwt');
      await searchBox(page).fill('users.list');
      await page.getByRole('button', { name: 'Try it: users.list', exact: true }).click();
      expect(await page.locator('#param-include_totals').evaluate((e) => e.tagName)).toBe('SELECT');
      expect(await page.locator('#param-include_totals option').allTextContents()).toEqual(['(not sent)', 'true', 'false']);
      expect(await page.locator('#param-q').getAttribute('type')).toBe('text');
      await searchBox(page).fill('users.update');
      await page.getByRole('button', { name: 'Try it: users.update', exact: true }).click();
      expect(await page.locator('#try-body').isVisible()).toBe(true);
    });

    it('says what to try when a search matches nothing', async () => {
      await searchBox(s.page).fill('frobnicate widgets');
      expect(await s.page.locator('#op-count').textContent()).toBe('No operation matches "frobnicate widgets". Try a resource (users), a path (/roles/{id}), a scope (read:users), or fewer words.');
      await searchBox(s.page).fill('');
      expect(await s.page.locator('#op-count').textContent()).toBe(`${operations.length} of ${operations.length} operations`);
      expect(s.errors).toEqual([]);
    });
  });
}
