/**
 * Which client events are worth a log line, and what it says: retries (debug), a 401 re-mint (info), the
 * offset-pagination limit (warn). Pure: event in, line out. Lines carry the event's facts, never a token or a body.
 */
import type { LogFields, LogLevel } from '@scopebound/token';
import type { ManagementEvent } from './events';

export interface LogLine {
  readonly level: LogLevel;
  readonly fields: LogFields;
  readonly message: string;
}

const callName = (e: { operation: string | undefined; method: string; route: string }) => e.operation ?? `${e.method} ${e.route}`;

export function logLineFor(event: ManagementEvent): LogLine | undefined {
  switch (event.type) {
    case 'retry':
      return {
        level: 'debug',
        fields: { ...event, scopebound: 'management' },
        message: `[@scopebound/management] ${callName(event)}: attempt ${event.attempt} failed (${event.reason}${event.status ? ` ${event.status}` : ''}); retrying in ${event.delayMs} ms.`,
      };
    case 'reauth':
      return {
        level: 'info',
        fields: { ...event, scopebound: 'management' },
        message: `[@scopebound/management] ${callName(event)}: the API answered 401; the token was dropped and the call re-minted once.`,
      };
    case 'pagination-limit':
      return {
        level: 'warn',
        fields: { ...event, scopebound: 'management' },
        message: `[@scopebound/management] ${event.operation}: stopped after ${event.fetched} items at Auth0's offset-pagination limit (${event.limit}); use checkpoint pagination (from/take) or narrow the query to see the rest.`,
      };
    default:
      return undefined;
  }
}
