/**
 * The consumer matrix: the packages as npm users get them. `pnpm pack` (publishConfig applied) of every published
 * package; the tarballs installed with npm, together with the peers a user installs (the versions the packages'
 * own devDependencies use), into a fresh project per module setting (NodeNext ESM, bundler, CommonJS, node10); `tsc`
 * strict (and once with exactOptionalPropertyTypes) WITHOUT skipLibCheck (and without msw, the emulator's optional
 * peer), `lib` without DOM (`types: ['node']`, @types/node@20: the declarations need no browser globals); then the
 * compiled fixtures run against the emulator on loopback: sample.ts (token, management, emulator) and adapters.ts
 * (express, koa, fastify, hono, redis, bulk, opentelemetry, the cli's bin). node10 sets esModuleInterop (as
 * `tsc --init` does): `import express from 'express'` needs it there, the other settings imply it or do not need it.
 * Run by .ci/run as its own step (once, not per Node version): `pnpm --filter @scopebound/consumer-matrix test`.
 */
import { execFile } from 'node:child_process';
import { connect } from 'node:net';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pnpmPack } from '../../../scripts/packed';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../../..');
const TSC = createRequire(join(ROOT, 'package.json')).resolve('typescript/bin/tsc');
const PACKAGES = ['token', 'management', 'emulator', 'express', 'koa', 'fastify', 'hono', 'redis', 'bulk', 'opentelemetry', 'cli'];
const FIXTURES = ['sample.ts', 'adapters.ts'].map((name) => ({ name, text: readFileSync(join(import.meta.dirname, '../fixtures', name), 'utf8') }));
const manifest = (pkg: string) => JSON.parse(readFileSync(join(ROOT, 'packages', pkg, 'package.json'), 'utf8')) as Record<string, unknown> & { devDependencies?: Record<string, string> };
/**
 * The peers a user installs beside the tarballs, at the ranges the packages' own devDependencies use. Plus Koa 3's
 * content-disposition (~1.0.1, untyped: @types/content-disposition applies) at the top of node_modules: only because
 * Express and Koa share these projects; else Express 5.3's content-disposition 2 (which ships its own types, without
 * the `Options` that @types/koa names) may be hoisted there and @types/koa fails without skipLibCheck.
 */
const PEERS = (
  [
    ['express', 'express'],
    ['express', '@types/express'],
    ['koa', 'koa'],
    ['koa', '@types/koa'],
    ['fastify', 'fastify'],
    ['hono', 'hono'],
    ['redis', 'ioredis'],
    ['opentelemetry', '@opentelemetry/api'],
    ['opentelemetry', '@opentelemetry/sdk-trace-base'],
  ] as const
).map(([pkg, dep]) => {
  const range = manifest(pkg).devDependencies?.[dep];
  if (!range) throw new Error(`packages/${pkg}/package.json has no devDependency ${dep}: update PEERS in the consumer matrix`);
  return `${dep}@${range}`;
}).concat('content-disposition@~1.0.1');

interface Setting {
  name: string;
  type: 'module' | 'commonjs';
  compilerOptions: Record<string, string | boolean>;
}
const SETTINGS: Setting[] = [
  { name: 'nodenext-esm', type: 'module', compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext' } },
  { name: 'bundler', type: 'module', compilerOptions: { module: 'esnext', moduleResolution: 'bundler' } },
  { name: 'commonjs', type: 'commonjs', compilerOptions: { module: 'node16', moduleResolution: 'node16' } },
  { name: 'node10', type: 'commonjs', compilerOptions: { module: 'commonjs', moduleResolution: 'node10', esModuleInterop: true } },
];

let work: string;
let tarballs: string[];

/** A fresh npm project with the tarballs and the peers installed in one npm run (and @types/node, which undici's types reference). */
async function project(setting: Setting): Promise<string> {
  const dir = join(work, setting.name);
  mkdirSync(join(dir, 'src'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `consumer-${setting.name}`, private: true, type: setting.type }));
  for (const fixture of FIXTURES) writeFileSync(join(dir, 'src', fixture.name), fixture.text);
  const compilerOptions = { ...setting.compilerOptions, target: 'es2022', lib: ['es2023'], types: ['node'], strict: true, outDir: 'dist', rootDir: 'src' };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['src'] }, null, 2));
  await run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--no-package-lock', '--loglevel=error', ...tarballs, ...PEERS, '@types/node@20'], { cwd: dir, timeout: 150_000 });
  return dir;
}

/** `tsc -p` in a project; resolves to its diagnostics ('' when clean). */
async function typecheck(dir: string, extra: string[] = []): Promise<string> {
  try {
    await run(process.execPath, [TSC, '-p', 'tsconfig.json', '--pretty', 'false', ...extra], { cwd: dir, timeout: 120_000 });
    return '';
  } catch (error) {
    return String((error as { stdout?: string }).stdout ?? error);
  }
}

const projects = new Map<string, Promise<string>>();
const compiled = new Map<string, Promise<string>>();
/** The project's one `tsc` run (both fixtures), shared by the tests that run its output. */
function compile(name: string): Promise<string> {
  if (!compiled.has(name)) compiled.set(name, projects.get(name)!.then((dir) => typecheck(dir)));
  return compiled.get(name)!;
}

/** Whether a Redis answers on 127.0.0.1:6379 (CI starts one): then the fixture's Redis part must have run. */
function redisReachable(): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port: 6379, timeout: 1000 });
    const done = (up: boolean) => {
      socket.destroy();
      resolve(up);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}

it('covers every published package', () => {
  const published = readdirSync(join(ROOT, 'packages')).filter((pkg) => existsSync(join(ROOT, 'packages', pkg, 'package.json')) && !manifest(pkg)['private']);
  expect([...PACKAGES].sort()).toEqual(published.sort());
});

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'scopebound-consumers-'));
  const packDir = join(work, 'tarballs');
  mkdirSync(packDir);
  tarballs = PACKAGES.map((pkg) => pnpmPack(join(ROOT, 'packages', pkg), packDir));
  for (const setting of SETTINGS) projects.set(setting.name, project(setting));
  await Promise.all(projects.values());
}, 240_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe.each(SETTINGS)('a fresh $name project', (setting) => {
  it('installs no TypeScript sources and no monorepo-only condition', async () => {
    const dir = await projects.get(setting.name)!;
    for (const pkg of PACKAGES) {
      const installed = join(dir, 'node_modules', '@scopebound', pkg);
      expect(existsSync(join(installed, 'src')), `${pkg} ships src/`).toBe(false);
      expect(readdirSync(installed)).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'dist', 'package.json']));
      expect(readFileSync(join(installed, 'package.json'), 'utf8')).not.toContain('"@scopebound/source"');
    }
    expect(existsSync(join(dir, 'node_modules', 'msw')), 'msw is an optional peer: not installed').toBe(false);
  }, 180_000);

  it('type-checks strict without skipLibCheck, then mints a narrow token per call against the emulator', async () => {
    const dir = await projects.get(setting.name)!;
    expect(await compile(setting.name)).toBe('');
    const { stdout } = await run(process.execPath, [join('dist', 'sample.js')], { cwd: dir, timeout: 60_000 });
    const out = JSON.parse(stdout.trim()) as Record<string, unknown>;
    expect(out).toMatchObject({ plan: 'pro', missing: '404', operations: true, typesOnly: 2 });
    expect(out['email']).toMatch(/@/);
    expect(out['sent']).toEqual(['users.get read:users', 'users.update update:users_app_metadata', 'users.get read:users']);
    expect(out['mints']).toBe(2);
  }, 180_000);

  it('runs the Express, Koa, Fastify and Hono adapters, bulk, opentelemetry, a Redis store and the cli bin', async () => {
    const dir = await projects.get(setting.name)!;
    expect(await compile(setting.name)).toBe('');
    const { stdout } = await run(process.execPath, [join('dist', 'adapters.js')], { cwd: dir, timeout: 60_000 });
    const out = JSON.parse(stdout.trim()) as Record<string, unknown>;
    const through = { email: expect.stringMatching(/^200 \S+@\S+$/), refused: '403 scope_not_allowed' };
    expect(out['adapters']).toEqual({ express: through, koa: through, fastify: through, hono: through });
    expect(out['bulk']).toEqual({ done: 2, sent: 2, failed: 0 });
    expect(out['cli']).toEqual({ code: 0, readUsers: true, version: manifest('cli')['version'] });
    expect(out['spans']).toEqual(['GET /api/v2/users/{id}', 'scopebound token mint']);
    if (await redisReachable()) expect(out['redis']).toEqual({ mints: 1, secondFrom: ['store'] });
    else expect(out['redis']).toMatch(/^skipped: Redis at 127\.0\.0\.1:6379 did not answer/);
  }, 180_000);
});

it('type-checks with exactOptionalPropertyTypes on too', async () => {
  const dir = await projects.get('nodenext-esm')!;
  await compile('nodenext-esm'); // not alongside the emitting run
  expect(await typecheck(dir, ['--exactOptionalPropertyTypes', '--noEmit'])).toBe('');
}, 180_000);
