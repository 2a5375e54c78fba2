/** Response helpers with Auth0's error shapes, and `ApiProblem`, the refusal resource handlers throw to produce one. */
import { EmulatorError } from './errors';
import { JsonResponse } from './light-http';

export const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export type HeadersRecord = Record<string, string>;

const JSON_TYPE = 'application/json; charset=utf-8';

/** A JSON answer (a light `Response`, see light-http.ts: hosts that hand it out make it a real one). */
export function json(status: number, body: unknown, headers?: HeadersRecord): Response {
  return new JsonResponse(status, JSON.stringify(body), headers ? { 'content-type': JSON_TYPE, ...headers } : { 'content-type': JSON_TYPE }).asResponse();
}

export function empty(status = 204, headers: HeadersRecord = {}): Response {
  return new Response(null, { status, headers });
}

/** Auth0's Management API error body: `{statusCode, error, message, errorCode}`. */
export interface ApiErrorBody {
  statusCode: number;
  error: string;
  message: string;
  errorCode?: string;
  attributes?: Record<string, unknown>;
}

export function apiErrorBody(status: number, message: string, errorCode?: string): ApiErrorBody {
  const body: ApiErrorBody = { statusCode: status, error: STATUS_TEXT[status] ?? 'Error', message };
  if (errorCode) body.errorCode = errorCode;
  return body;
}

export function apiError(status: number, message: string, errorCode?: string, headers: HeadersRecord = {}): Response {
  return json(status, apiErrorBody(status, message, errorCode), headers);
}

/**
 * A Management API refusal thrown by resource handlers; handleApi (and the admin API) turn it into Auth0's
 * error body. It is an `EmulatorError` (`ERR_EMULATOR_API`) because it can also reach a caller: seeding
 * runs the same record builders, so a bad seed or client (a duplicate id, a key that is not a public key)
 * rejects `ready()` / `admin.seed()` with it. `status` and `errorCode` are what the API would answer.
 */
export class ApiProblem extends EmulatorError {
  static override readonly code: string = 'ERR_EMULATOR_API';
  declare readonly code: 'ERR_EMULATOR_API';
  readonly status: number;
  readonly errorCode: string | undefined;
  constructor(status: number, message: string, errorCode?: string) {
    super('ERR_EMULATOR_API', message);
    this.status = status;
    this.errorCode = errorCode;
  }
}

export const notFound = (message: string, errorCode = 'inexistent_resource'): ApiProblem =>
  new ApiProblem(404, message, errorCode);
export const badRequest = (message: string, errorCode = 'invalid_body'): ApiProblem =>
  new ApiProblem(400, message, errorCode);
export const conflict = (message: string, errorCode = 'conflict'): ApiProblem => new ApiProblem(409, message, errorCode);

/** OAuth 2.0 error body used by `/oauth/token`: `{error, error_description}`. */
export function oauthError(status: number, error: string, description: string, headers: HeadersRecord = {}): Response {
  return json(status, { error, error_description: description }, { 'cache-control': 'no-store', ...headers });
}
