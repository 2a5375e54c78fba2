/**
 * End to end in headless Chromium (Debian's chromium, driven by playwright-core): find an operation, add scopes by
 * clicking and with the entity/action arrow, mint, decode in the page, try a call that succeeds and one that
 * fails with 403 naming the missing scope.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_IDS } from '../src/index';
import { operations } from '../src/table';
import { addByArrow, chips, CHROMIUM, clickScope, mintWith, openExplorer, operation, searchBox, startExplorerSession, tryOperation, type ExplorerSession } from './explorer-browser';

/** "expires in 1d 2h 3m 4s" → seconds. */
function seconds(text: string): number {
  const units: Record<string, number> = { d: 86_400, h: 3_600, m: 60, s: 1 };
  return [...text.matchAll(/(\d+)([dhms])/g)].reduce((sum, m) => sum + Number(m[1]) * units[m[2]!]!, 0);
}

// Outside CI a machine without Chromium skips these; in CI a missing browser is a failure, never a silent skip.
if (process.env.CI && !existsSync(CHROMIUM)) {
  throw new Error(`Chromium is missing at ${CHROMIUM}: install Debian's chromium (scripts/setup.sh does) or set CHROMIUM_PATH.`);
}

describe.skipIf(!existsSync(CHROMIUM))('explorer in headless Chromium', () => {
  let s: ExplorerSession;

  beforeAll(async () => {
    s = await startExplorerSession();
    await openExplorer(s);
  }, 60_000);

  afterAll(async () => {
    await s?.close();
  });

  it('loads without errors, from this server only, with every operation', async () => {
    expect(await s.page.locator('#op-count').textContent()).toBe(`${operations.length} of ${operations.length} operations`);
    const origin = new URL(s.server.url).origin;
    expect(s.requests.every((u) => new URL(u).origin === origin || u.startsWith('data:'))).toBe(true);
    expect(s.errors).toEqual([]);
  });

  it('finds an operation by name, by path and by scope', async () => {
    const page = s.page;
    await searchBox(page).fill('users.update');
    await expect.poll(() => page.locator('li.op:visible').count()).toBe(1);
    const op = operation(page, 'users.update');
    await expect.poll(() => op.isVisible()).toBe(true);
    expect(await op.locator('.op-call').textContent()).toBe('mgmt.users.update({ id }, body)');
    expect(await op.locator('.method').textContent()).toBe('PATCH');
    expect(await op.textContent()).toContain('body with only app_metadata: update:users_app_metadata or update:users');
    expect(await op.textContent()).toContain('pagination: none');

    await searchBox(page).fill('/organizations/{id}/members');
    await expect.poll(() => operation(page, 'organizations.members.list').isVisible()).toBe(true);
    await searchBox(page).fill('read:role_members');
    await expect.poll(() => operation(page, 'roles.users.list').isVisible()).toBe(true);
    expect(await operation(page, 'users.update').isVisible()).toBe(false);
    expect(await page.locator('#op-count').textContent()).toMatch(new RegExp(`^\\d+ of ${operations.length} operations$`));
  });

  it('adds scopes by clicking a scope and with the entity/action arrow; chips can be removed; current_user scopes warn', async () => {
    const page = s.page;
    await clickScope(page, 'users.list', 'read:users');
    await expect.poll(() => chips(page).allTextContents()).toEqual(['read:users×']);
    expect(await operation(page, 'users.list').getByRole('button', { name: 'read:users', exact: true }).getAttribute('aria-pressed')).toBe('true');

    await addByArrow(page, 'roles', 'read');
    await expect.poll(() => chips(page).allTextContents()).toEqual(['read:users×', 'read:roles×']);

    await addByArrow(page, 'current_user_metadata', 'update');
    await expect.poll(() => page.locator('#special-warning').isVisible()).toBe(true);
    expect(await page.locator('#special-warning').textContent()).toContain('update:current_user_metadata is a current_user scope');

    await page.getByRole('button', { name: 'Remove update:current_user_metadata' }).click();
    await page.getByRole('button', { name: 'Remove read:roles' }).press('Enter');
    await expect.poll(() => chips(page).allTextContents()).toEqual(['read:users×']);
    expect(await page.locator('#special-warning').isVisible()).toBe(false);
  });

  it('mints through the server for a chosen client and shows requested vs granted', async () => {
    const page = s.page;
    await mintWith(page, 'client:sb-demo-read-users');
    expect(await page.locator('#mint-result .ok').textContent()).toBe('Token minted: 1 scope granted.');
    const token = await page.getByLabel('Access token').inputValue();
    expect(token.split('.')).toHaveLength(3);

    // The admin client is granted everything, whatever is requested (as Auth0 does).
    await mintWith(page, 'client:sb-demo-admin');
    expect(await page.locator('#mint-result').textContent()).toMatch(/The tenant granted \d+ more scopes than requested/);
    // Back to the narrow reader for the calls below.
    await mintWith(page, 'client:sb-demo-read-users');
  });

  it('decodes in the page: header, claims, scopes and a live expiry countdown, with no request', async () => {
    const page = s.page;
    const before = s.requests.length;
    await page.getByRole('button', { name: 'Decode (in this page)' }).click();
    expect(JSON.parse((await page.locator('#decoded-header').textContent())!)).toMatchObject({ alg: 'RS256', typ: 'JWT' });
    const claims = JSON.parse((await page.locator('#decoded-claims').textContent())!);
    expect(claims).toMatchObject({ scope: 'read:users', azp: 'sb-demo-read-users', sub: 'sb-demo-read-users@clients' });
    expect(await page.locator('#decoded-scopes li').allTextContents()).toEqual(['read:users']);
    const first = await page.locator('#countdown').textContent();
    expect(first).toMatch(/^expires in (23h 59m|1d 0h 0m) \d+s$/);
    // One hour later on the page's fake clock the countdown shows exactly an hour less; a day later it has expired.
    await page.clock.runFor(3_600_000);
    const later = (await page.locator('#countdown').textContent())!;
    expect(Math.abs(seconds(first!) - seconds(later) - 3600)).toBeLessThanOrEqual(1);
    await page.clock.runFor(86_400_000);
    expect(await page.locator('#countdown').textContent()).toMatch(/^expired (59m \d+s|1h 0m \d+s) ago$/);
    expect(await page.locator('#countdown').getAttribute('class')).toContain('expired');
    // A pasted token that is not a JWT is refused, still without any request.
    await page.getByLabel('Access token').fill('not-a-token');
    await page.getByRole('button', { name: 'Decode (in this page)' }).click();
    expect(await page.locator('#decoded .error').textContent()).toContain('This is not a JWT');
    expect(s.requests.length).toBe(before);
  });

  it('tries a call that succeeds: status, headers with rate limits highlighted, body', async () => {
    const page = s.page;
    await mintWith(page, 'client:sb-demo-read-users');
    await tryOperation(page, 'users.get', { id: DEMO_IDS.firstUser });
    expect(await page.locator('#try-status').textContent()).toBe('200 OK');
    const rateRows = page.locator('#try-headers tr.ratelimit th');
    expect(await rateRows.allTextContents()).toEqual(['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset']);
    expect(JSON.parse((await page.locator('#try-body-out').textContent())!)).toMatchObject({ user_id: DEMO_IDS.firstUser });
  });

  it('tries a call that fails with 403 and names the missing scope', async () => {
    const page = s.page;
    await tryOperation(page, 'roles.list');
    expect(await page.locator('#try-status').textContent()).toBe('403 Forbidden');
    expect(await page.locator('#missing-scope strong').textContent()).toBe('Missing scope: read:roles');
    expect(await page.locator('#missing-scope').textContent()).toContain('Insufficient scope, expected any of: read:roles');
  });

  it('is operable from the keyboard: a scope button takes Enter, focus is visible', async () => {
    const page = s.page;
    await page.getByRole('button', { name: 'Clear scopes' }).click();
    await searchBox(page).fill('roles.list');
    const scope = operation(page, 'roles.list').getByRole('button', { name: 'read:roles', exact: true });
    await scope.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => chips(page).allTextContents()).toEqual(['read:roles×']);
    const outline = await scope.evaluate((el) => getComputedStyle(el).outlineStyle);
    expect(outline).toBe('solid');
    expect(s.errors).toEqual([]);
  });
});
