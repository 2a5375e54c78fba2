/** Every error class the package exports is a ScopeboundError whose static `code` is the code of its instances. */
import { describe, expect, it } from 'vitest';
import { ScopeboundError } from '@scopebound/token';
import * as adapter from '../src/adapter/index';
import * as testingKit from '../src/adapter/testing/index';
import * as management from '../src/index';
import * as operations from '../src/operations';

const details = { method: 'GET', route: '/api/v2/users/{id}', operation: 'users.get', status: 500, headers: {} };
const info = { method: 'GET', route: '/api/v2/users' };

/** One instance per concrete exported error class (a new class without an entry fails the first test). */
const instances: Record<string, () => ScopeboundError> = {
  ManagementApiError: () => new management.ManagementApiError(details),
  InsufficientScopeError: () => new management.InsufficientScopeError({ ...details, status: 403 }, ['read:users'], 'any', []),
  RateLimitError: () => new management.RateLimitError({ ...details, status: 429 }, undefined, 10, 0),
  ScopeNotAllowedError: () => new management.ScopeNotAllowedError('users.delete', [['delete:users']], ['read:users'], 'server'),
  TimeoutError: () => new management.TimeoutError(info, 100),
  NetworkError: () => new management.NetworkError(info, new Error('ECONNRESET')),
  ResponseTooLargeError: () => new management.ResponseTooLargeError(info, 200, 1024),
  InvalidResponseError: () => new management.InvalidResponseError(info, 200, 'bad json'),
  InvalidOptionError: () => new management.InvalidOptionError('timeout', 'must be greater than 0.'),
  InvalidRequestError: () => new management.InvalidRequestError('bad'),
  ClientClosedError: () => new management.ClientClosedError(),
  ResultWindowError: () => new management.ResultWindowError('users.list', 1000, 1100, false),
  MissingUserTokenError: () => new adapter.MissingUserTokenError(),
};

/** Roots: every other class extends them; their static code names the family. */
const ROOTS = new Set<unknown>([ScopeboundError, management.ManagementError]);

function errorClasses(): [string, abstract new (...args: never[]) => Error][] {
  const seen = new Map<unknown, string>();
  for (const mod of [management, adapter, operations, testingKit] as Record<string, unknown>[]) {
    for (const [name, value] of Object.entries(mod)) {
      if (typeof value === 'function' && value.prototype instanceof Error && !seen.has(value)) seen.set(value, name);
    }
  }
  return [...seen].map(([cls, name]) => [name, cls as abstract new (...args: never[]) => Error]);
}

describe('exported error classes', () => {
  it('every concrete exported error class is listed here', () => {
    const concrete = errorClasses().filter(([, cls]) => !ROOTS.has(cls)).map(([name]) => name).sort();
    expect(concrete).toEqual(Object.keys(instances).sort());
  });

  it.each(Object.entries(instances))('%s is a ScopeboundError with Class.code === instance.code', (name, make) => {
    const error = make();
    const cls = errorClasses().find(([n]) => n === name)?.[1] as unknown as { code: string };
    expect(error).toBeInstanceOf(ScopeboundError);
    expect(error).toBeInstanceOf(cls as never);
    expect(typeof cls.code).toBe('string');
    expect(error.code).toBe(cls.code);
    expect(error.name).toBe(name);
  });

  it('the roots are ScopeboundErrors with their own family code', () => {
    expect(management.ScopeboundError).toBe(ScopeboundError);
    expect(management.ManagementError.code).toBe('ERR_MANAGEMENT');
    expect(new management.ClientClosedError()).toBeInstanceOf(management.ManagementError);
    expect(Object.prototype.isPrototypeOf.call(ScopeboundError, management.ManagementError)).toBe(true);
  });

  it('InvalidOptionError is the one class of @scopebound/token', async () => {
    const token = await import('@scopebound/token');
    expect(management.InvalidOptionError).toBe(token.InvalidOptionError);
  });
});
