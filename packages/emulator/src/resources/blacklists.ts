/** The legacy token blacklist: revoke a token by its `jti` (optionally scoped to an `aud`). */
import { ok, type HandlerTable } from './types';
import { body } from './common';

export const blacklistsHandlers: HandlerTable = {
  'blacklists.add': (req) => {
    const b = body(req);
    const entry = { jti: b.jti as string, ...(b.aud ? { aud: b.aud as string } : {}) };
    if (!req.tenant.state.blacklist.some((e) => e.jti === entry.jti && e.aud === entry.aud)) req.tenant.state.blacklist.push(entry);
    return { status: 204 };
  },
  'blacklists.list': (req) => {
    const aud = req.query.get('aud');
    return ok(req.tenant.state.blacklist.filter((e) => !aud || e.aud === aud));
  },
};
