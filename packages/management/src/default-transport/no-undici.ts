/**
 * What `#undici` resolves to outside Node's export conditions: no undici in worker/edge bundles. Never reached
 * there (the default transport is fetch); asking for the undici transport anyway is a typed error.
 */
import type { Agent as UndiciAgent } from 'undici';
import { InvalidOptionError } from '../errors';

export const Agent = function Agent(): never {
  throw new InvalidOptionError('transport', "undici's Agent is only available under Node's export conditions; this runtime uses fetch.");
} as unknown as typeof UndiciAgent;
