/**
 * `pnpm manifests`: bring every published package's packaging facts in line with one rule set — the registry
 * metadata (license, author, repository with its directory, homepage, bugs, keywords), `files` (dist, README,
 * LICENSE; no `src/`), a LICENSE copy of the root one, `publishConfig.exports`/`imports` (the package's own maps
 * without the monorepo's `@scopebound/source` condition: pnpm pack/publish swaps them in) and `typesVersions`
 * (subpaths typed for `moduleResolution: node10`). `--check` fails when anything differs (CI).
 */
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
export const SOURCE_CONDITION = '@scopebound/source';
const REPOSITORY = 'https://github.com/scopebound/scopebound';
const KEYWORDS = ['auth0', 'auth0-management-api', 'least-privilege', 'oauth2', 'scopes'];
/** Extra shipped folders per package (beyond dist, README.md, LICENSE): the emulator README's screenshots. */
const EXTRA_FILES: Record<string, string[]> = { emulator: ['docs'] };
const EXTRA_KEYWORDS: Record<string, string[]> = {
  token: ['token-cache', 'client-credentials'],
  management: ['management-api', 'typed-client'],
  redis: ['redis', 'token-store'],
  express: ['express', 'middleware'],
  koa: ['koa', 'middleware'],
  fastify: ['fastify', 'fastify-plugin'],
  hono: ['hono', 'middleware'],
  emulator: ['emulator', 'testing', 'msw'],
  bulk: ['bulk', 'rate-limit'],
  cli: ['cli'],
};

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Manifest = { [key: string]: Json };

/** A conditions map without the source condition, at every depth (the published `exports`/`imports`). */
export function withoutSourceCondition(map: Json): Json {
  if (map === null || typeof map !== 'object' || Array.isArray(map)) return map;
  const out: { [key: string]: Json } = {};
  for (const [key, value] of Object.entries(map)) if (key !== SOURCE_CONDITION) out[key] = withoutSourceCondition(value);
  return out;
}

/** The CJS declaration file a subpath's `require` branch names (what a node10 resolver should see). */
function requireTypes(entry: Json): string | undefined {
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return undefined;
  const req = entry['require'];
  if (req && typeof req === 'object' && !Array.isArray(req) && typeof req['types'] === 'string') return req['types'];
  return undefined;
}

/** `typesVersions` mapping each subpath (`./adapter` → `adapter`) to its types, or undefined without subpaths. */
export function typesVersionsFor(exportsMap: Json): Manifest | undefined {
  if (exportsMap === null || typeof exportsMap !== 'object' || Array.isArray(exportsMap)) return undefined;
  const paths: { [key: string]: Json } = {};
  for (const [subpath, entry] of Object.entries(exportsMap)) {
    const types = requireTypes(entry);
    if (subpath === '.' || !subpath.startsWith('./') || !types) continue;
    paths[subpath.slice(2)] = [types];
  }
  return Object.keys(paths).length ? { '*': paths } : undefined;
}

/** The manifest as it should be: the same key order as given, packaging keys placed after `engines`. */
export function expectedManifest(dir: string, manifest: Manifest): Manifest {
  const facts: Manifest = {
    license: 'MIT',
    author: 'Scopebound contributors',
    repository: { type: 'git', url: `git+${REPOSITORY}.git`, directory: `packages/${dir}` },
    homepage: `${REPOSITORY}/tree/main/packages/${dir}#readme`,
    bugs: { url: `${REPOSITORY}/issues` },
    keywords: [...KEYWORDS, ...(EXTRA_KEYWORDS[dir] ?? [])],
    files: ['dist', ...(EXTRA_FILES[dir] ?? []), 'README.md', 'LICENSE'],
  };
  const typesVersions = typesVersionsFor(manifest['exports'] ?? null);
  const publishConfig: Manifest = { exports: withoutSourceCondition(manifest['exports'] ?? null) };
  if (manifest['imports']) publishConfig['imports'] = withoutSourceCondition(manifest['imports']);
  const out: Manifest = {};
  for (const [key, value] of Object.entries(manifest)) {
    if (key in facts || key === 'typesVersions' || key === 'publishConfig') continue;
    out[key] = value;
    if (key === 'description') Object.assign(out, { license: facts['license'], author: facts['author'] });
    if (key === 'engines') {
      for (const k of ['repository', 'homepage', 'bugs', 'keywords', 'files']) out[k] = facts[k]!;
    }
    if (key === 'types' && typesVersions) out['typesVersions'] = typesVersions;
  }
  for (const [key, value] of Object.entries(facts)) if (!(key in out)) out[key] = value;
  out['publishConfig'] = publishConfig;
  return out;
}

/** Every published package directory under packages/ (private ones are left alone). */
export function publishedPackages(): string[] {
  return readdirSync(join(ROOT, 'packages'))
    .filter((dir) => existsSync(join(ROOT, 'packages', dir, 'package.json')))
    .filter((dir) => !(JSON.parse(readFileSync(join(ROOT, 'packages', dir, 'package.json'), 'utf8')) as Manifest)['private'])
    .sort();
}

function main(check: boolean): number {
  const license = readFileSync(join(ROOT, 'LICENSE'), 'utf8');
  const stale: string[] = [];
  for (const dir of publishedPackages()) {
    const file = join(ROOT, 'packages', dir, 'package.json');
    const text = readFileSync(file, 'utf8');
    const want = `${JSON.stringify(expectedManifest(dir, JSON.parse(text) as Manifest), null, 2)}\n`;
    const licenseFile = join(ROOT, 'packages', dir, 'LICENSE');
    const licenseNow = existsSync(licenseFile) ? readFileSync(licenseFile, 'utf8') : undefined;
    if (want !== text) stale.push(`packages/${dir}/package.json`);
    if (licenseNow !== license) stale.push(`packages/${dir}/LICENSE`);
    if (!check) {
      writeFileSync(file, want);
      writeFileSync(licenseFile, license);
    }
  }
  if (check && stale.length) {
    console.error(`Packaging facts out of date: ${stale.join(', ')}. Run \`pnpm manifests\` and commit the result.`);
    return 1;
  }
  console.log(check ? 'manifests are current' : `manifests written${stale.length ? `: ${stale.join(', ')}` : ' (no change)'}`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) process.exitCode = main(process.argv.includes('--check'));
