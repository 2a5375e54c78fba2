/**
 * Regenerates the explorer screenshots in docs/ (run `pnpm --filter @scopebound/emulator screenshots`).
 * Drives the page the same way the browser tests do, in Debian's headless Chromium.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEMO_IDS } from '../src/index';
import { addByArrow, clickScope, mintWith, openExplorer, searchBox, startExplorerSession, tryOperation } from './explorer-browser';

const docs = fileURLToPath(new URL('../docs/', import.meta.url));
mkdirSync(docs, { recursive: true });
const shot = (name: string) => `${docs}${name}`;

const s = await startExplorerSession({ width: 1400, height: 900 });
const timer = setTimeout(() => {
  console.error('screenshots: timed out after 120 s');
  process.exit(1);
}, 120_000);
try {
  const page = s.page;
  await openExplorer(s);

  // 1. Operations: search, scopes with their rule, the call shape; scopes added by click and by the arrow.
  await clickScope(page, 'users.list', 'read:users');
  await addByArrow(page, 'users_app_metadata', 'update');
  await searchBox(page).fill('users.update');
  await page.screenshot({ path: shot('explorer-operations.png') });

  // 2. Token generator + decoder: requested vs granted (like Auth0, every scope of the app), decoded claims.
  // The panels below are captured whole: a tall viewport keeps the side column from scrolling.
  await page.setViewportSize({ width: 1400, height: 2400 });
  await page.getByRole('button', { name: 'Remove update:users_app_metadata' }).click();
  await mintWith(page, 'client:sb-demo-app-metadata');
  await page.locator('#generator').screenshot({ path: shot('explorer-token.png') });
  await page.locator('#decoder').screenshot({ path: shot('explorer-decoder.png') });

  // 3. Try it: a call that succeeds (rate-limit headers highlighted) and one refused for a missing scope.
  await tryOperation(page, 'users.get', { id: DEMO_IDS.firstUser });
  await page.locator('#try').screenshot({ path: shot('explorer-try-200.png') });
  await tryOperation(page, 'roles.list');
  await page.locator('#try').screenshot({ path: shot('explorer-try-403.png') });

  // 4. The page after a Send at phone, laptop and desktop widths: a fresh page each, defaults untouched.
  for (const width of [390, 1024, 1440]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 800 });
    await openExplorer(s);
    await searchBox(page).fill('users.get');
    await page.getByRole('button', { name: 'Try it: users.get', exact: true }).click();
    await page.getByRole('button', { name: 'Mint token' }).click();
    await page.locator('#mint-result .ok').waitFor();
    await page.locator('#param-id').fill(DEMO_IDS.firstUser);
    await page.getByRole('button', { name: 'Send with the token' }).click();
    await page.locator('#try-status').waitFor();
    await page.screenshot({ path: shot(`explorer-after-send-${width}.png`) });
  }

  if (s.errors.length > 0) throw new Error(`page errors: ${s.errors.join('; ')}`);
  console.log(`screenshots written to ${docs}`);
} finally {
  clearTimeout(timer);
  await s.close();
}
