/**
 * The explorer's browser code. `explorerApp` is never called on the server: its source text is served as
 * /explorer/app.js (see app-js.ts), so it must stay self-contained: no imports, no outer variables.
 * It builds every element with textContent (no innerHTML), and sends the session's CSRF token on every API call.
 */
export function explorerApp(): void {
  interface BodyRule {
    when: { onlyKeys: string[] } | 'otherwise';
    anyOf: string[][];
  }
  interface Op {
    name: string;
    group: string;
    method: string;
    path: string;
    scopes: string[];
    rule: 'any' | 'all' | 'mixed';
    anyOf: string[][];
    bodyRules?: BodyRule[];
    pagination: string;
    pathParams: string[];
    queryParams: string[];
    body: 'none' | 'optional' | 'required';
    bodyField: 'none' | 'optional' | 'required';
    booleanParams: string[];
    deprecated: boolean;
    call: string;
  }
  interface Source {
    id: string;
    label: string;
    kind: string;
    grants?: string[];
  }
  interface ApiFailure extends Error {
    code?: string;
    details?: { missing?: string[]; granted?: string[] };
  }
  type Child = Node | string | null | undefined | false;

  const csrf = document.querySelector('meta[name="scopebound-csrf"]')?.getAttribute('content') ?? '';
  const byId = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

  function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Record<string, string | boolean> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(props)) {
      if (v === false) continue;
      if (k === 'class') node.className = String(v);
      else if (k === 'text') node.textContent = String(v);
      else node.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children) if (c !== null && c !== undefined && c !== false) node.append(c);
    return node;
  }

  function put(target: Element, ...children: Child[]): void {
    target.replaceChildren(...children.filter((c): c is Node | string => c !== null && c !== undefined && c !== false));
  }

  async function api<T>(path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { 'x-scopebound-csrf': csrf, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`/explorer/api/${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers,
      credentials: 'same-origin',
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const data = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (!res.ok) {
      const error = new Error(typeof data.message === 'string' ? data.message : `The explorer answered ${res.status}.`) as ApiFailure;
      if (typeof data.errorCode === 'string') error.code = data.errorCode;
      if (data.details && typeof data.details === 'object') error.details = data.details as ApiFailure['details'];
      throw error;
    }
    return data as T;
  }

  const state = {
    ops: [] as Op[],
    special: new Set<string>(),
    entities: new Map<string, string[]>(),
    chosen: [] as string[],
    selected: undefined as Op | undefined,
    sources: [] as Source[],
    countdown: undefined as number | undefined,
    /** The user picked a source themselves: stop choosing one for them. */
    sourceChosen: false,
  };

  // ---------- Token generator ----------
  const chipsList = byId<HTMLUListElement>('chips');
  const chipsEmpty = byId<HTMLParagraphElement>('chips-empty');
  const specialWarning = byId<HTMLDivElement>('special-warning');
  const entitySelect = byId<HTMLSelectElement>('entity');
  const actionSelect = byId<HTMLSelectElement>('action');
  const addButton = byId<HTMLButtonElement>('add-scope');
  const sourceSelect = byId<HTMLSelectElement>('source');
  const userField = byId<HTMLDivElement>('user-field');
  const tokenField = byId<HTMLTextAreaElement>('token');
  const mintResult = byId<HTMLDivElement>('mint-result');

  function addScope(scope: string): void {
    if (!state.chosen.includes(scope)) state.chosen.push(scope);
    renderChips();
  }

  function removeScope(scope: string): void {
    state.chosen = state.chosen.filter((s) => s !== scope);
    renderChips();
  }

  function renderChips(): void {
    chipsList.replaceChildren(
      ...state.chosen.map((scope) => {
        const remove = el('button', { type: 'button', 'aria-label': `Remove ${scope}`, title: `Remove ${scope}`, text: '×' });
        remove.addEventListener('click', () => {
          const index = state.chosen.indexOf(scope);
          removeScope(scope);
          // Keep keyboard focus in the list.
          const buttons = chipsList.querySelectorAll('button');
          const next = buttons[Math.min(index, buttons.length - 1)] as HTMLButtonElement | undefined;
          (next ?? addButton).focus();
        });
        return el('li', { class: state.special.has(scope) ? 'chip special' : 'chip', 'data-scope': scope }, el('span', { text: scope }), remove);
      }),
    );
    chipsEmpty.hidden = state.chosen.length > 0;
    const special = state.chosen.filter((s) => state.special.has(s));
    specialWarning.hidden = special.length === 0;
    specialWarning.textContent =
      special.length === 0
        ? ''
        : `${special.join(', ')} ${special.length === 1 ? 'is a current_user scope' : 'are current_user scopes'}: ${special.length === 1 ? 'it belongs' : 'they belong'} to a logged-in user's token and act only on that user. A server credential is never granted ${special.length === 1 ? 'it' : 'them'}; mint with "User token" to try such calls.`;
    for (const button of document.querySelectorAll<HTMLButtonElement>('button.scope')) {
      button.setAttribute('aria-pressed', String(state.chosen.includes(button.dataset.scope ?? '')));
    }
  }

  function fillActions(): void {
    const actions = state.entities.get(entitySelect.value) ?? [];
    const previous = actionSelect.value;
    actionSelect.replaceChildren(...actions.map((a) => el('option', { value: a, text: a })));
    if (actions.includes(previous)) actionSelect.value = previous;
    else if (actions.includes('read')) actionSelect.value = 'read';
    updateArrowLabel();
  }

  function updateArrowLabel(): void {
    const scope = `${actionSelect.value}:${entitySelect.value}`;
    addButton.setAttribute('aria-label', `Add scope ${scope}`);
    addButton.title = `Add ${scope}`;
  }

  function setupPickers(scopes: string[]): void {
    for (const scope of scopes) {
      const colon = scope.indexOf(':');
      if (colon <= 0) continue;
      const action = scope.slice(0, colon);
      const entity = scope.slice(colon + 1);
      const list = state.entities.get(entity) ?? [];
      list.push(action);
      state.entities.set(entity, list);
    }
    const entities = [...state.entities.keys()].sort();
    for (const list of state.entities.values()) list.sort();
    entitySelect.replaceChildren(...entities.map((e) => el('option', { value: e, text: state.special.has(`read:${e}`) || e.startsWith('current_user') ? `${e} (current user)` : e })));
    if (entities.includes('users')) entitySelect.value = 'users';
    fillActions();
    entitySelect.addEventListener('change', fillActions);
    actionSelect.addEventListener('change', updateArrowLabel);
    addButton.addEventListener('click', () => {
      if (!entitySelect.value || !actionSelect.value) return;
      addScope(`${actionSelect.value}:${entitySelect.value}`);
    });
  }

  /**
   * The least-privileged source that can make a call: of the applications whose grant holds every scope of one
   * of `alternatives`, the one with the fewest scopes; else the tenant secret (a token with exactly the chosen
   * scopes). With no alternatives, the application with the fewest scopes.
   */
  function leastPrivilegedSource(alternatives: string[][]): Source | undefined {
    const clients = state.sources.filter((s) => s.grants && s.grants.length > 0);
    const covering = alternatives.length === 0 ? clients : clients.filter((s) => alternatives.some((alt) => alt.every((scope) => s.grants!.includes(scope))));
    const best = [...covering].sort((a, b) => a.grants!.length - b.grants!.length)[0];
    return best ?? state.sources.find((s) => s.kind === 'signed-secret');
  }

  function chooseSource(alternatives: string[][]): void {
    if (state.sourceChosen) return;
    const best = leastPrivilegedSource(alternatives);
    if (best) sourceSelect.value = best.id;
    userField.hidden = sourceSelect.value !== 'user-token';
  }

  function renderSources(): void {
    sourceSelect.replaceChildren(...state.sources.map((s) => el('option', { value: s.id, text: s.grants ? `${s.label} · ${s.grants.length} scope${s.grants.length === 1 ? '' : 's'}` : s.label })));
    chooseSource(state.selected ? state.selected.anyOf : state.chosen.length > 0 ? [state.chosen] : []);
  }

  function scopeList(scopes: readonly string[]): HTMLElement {
    return el('ul', { class: 'chips' }, ...scopes.map((s) => el('li', { class: state.special.has(s) ? 'chip special' : 'chip' }, el('span', { text: s }))));
  }

  async function mint(): Promise<void> {
    const button = byId<HTMLButtonElement>('mint');
    if (state.chosen.length === 0) {
      put(mintResult, el('p', { class: 'error', text: 'Add at least one scope first.' }));
      return;
    }
    button.disabled = true;
    put(mintResult, el('p', { class: 'muted', text: 'Minting…' }));
    try {
      const body: Record<string, unknown> = { source: sourceSelect.value, scopes: state.chosen };
      if (sourceSelect.value === 'user-token') body.userId = byId<HTMLInputElement>('user-id').value;
      const result = await api<{ token: string; requested: string[]; granted: string[]; expiresAt: number }>('mint', body);
      tokenField.value = result.token;
      const extra = result.granted.filter((s) => !result.requested.includes(s));
      const notGranted = result.requested.filter((s) => !result.granted.includes(s));
      put(mintResult, 
        el('p', { class: 'ok', text: `Token minted: ${result.granted.length} scope${result.granted.length === 1 ? '' : 's'} granted.` }),
        el(
          'dl',
          {},
          el('dt', { text: 'Requested' }),
          el('dd', {}, scopeList(result.requested)),
          el('dt', { text: 'Granted' }),
          el(
            'dd',
            { id: 'granted' },
            result.granted.length <= 12 ? scopeList(result.granted) : el('details', {}, el('summary', { text: `${result.granted.length} scopes` }), scopeList(result.granted)),
          ),
        ),
        extra.length > 0
          ? el('p', { class: 'warning', text: `The tenant granted ${extra.length} more scope${extra.length === 1 ? '' : 's'} than requested: like Auth0, it gives every scope the application has, whatever you request (least privilege comes from narrow applications, and from Scopebound using only what a call needs).` })
          : null,
        notGranted.length > 0 ? el('p', { class: 'error', text: `Not granted: ${notGranted.join(', ')}.` }) : null,
      );
      decode(result.token);
    } catch (error) {
      const e = error as ApiFailure;
      put(mintResult, 
        el('p', { class: 'error', text: e.message }),
        e.details?.missing ? el('p', { text: `Missing from the grant: ${e.details.missing.join(', ')}` }) : null,
      );
    } finally {
      button.disabled = false;
    }
  }

  // ---------- Decoder ----------
  const decoded = byId<HTMLDivElement>('decoded');

  function b64urlJson(part: string): Record<string, unknown> {
    const b64 = part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '=');
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const value = JSON.parse(new TextDecoder().decode(bytes)) as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not an object');
    return value as Record<string, unknown>;
  }

  function duration(seconds: number): string {
    const s = Math.abs(Math.round(seconds));
    const d = Math.floor(s / 86400);
    const h = Math.floor((s % 86400) / 3600);
    const m = Math.floor((s % 3600) / 60);
    const parts = [d ? `${d}d` : '', d || h ? `${h}h` : '', d || h || m ? `${m}m` : '', `${s % 60}s`].filter(Boolean);
    return parts.join(' ');
  }

  function decode(token: string): void {
    if (state.countdown !== undefined) window.clearInterval(state.countdown);
    state.countdown = undefined;
    const parts = token.trim().split('.');
    let header: Record<string, unknown>;
    let claims: Record<string, unknown>;
    try {
      if (parts.length !== 3) throw new Error('parts');
      header = b64urlJson(parts[0]!);
      claims = b64urlJson(parts[1]!);
    } catch {
      put(decoded, el('p', { class: 'error', text: 'This is not a JWT: expected three base64url parts separated by dots, with a JSON header and claims.' }));
      return;
    }
    let scopes: string[] = [];
    if (typeof claims.scope === 'string') scopes = claims.scope.split(' ').filter(Boolean);
    else if (claims.scopes && typeof claims.scopes === 'object') {
      for (const [resource, v] of Object.entries(claims.scopes as Record<string, { actions?: unknown }>)) {
        if (Array.isArray(v?.actions)) for (const a of v.actions) scopes.push(`${String(a)}:${resource}`);
      }
    }
    scopes.sort();
    const exp = typeof claims.exp === 'number' ? claims.exp : undefined;
    const iat = typeof claims.iat === 'number' ? claims.iat : undefined;
    const countdown = el('span', { class: 'countdown', id: 'countdown' });
    const tick = (): void => {
      if (exp === undefined) {
        countdown.textContent = 'no exp claim: never expires (revoke it, or rotate the secret)';
        return;
      }
      const left = exp - Date.now() / 1000;
      countdown.textContent = left > 0 ? `expires in ${duration(left)}` : `expired ${duration(left)} ago`;
      countdown.classList.toggle('expired', left <= 0);
    };
    tick();
    if (exp !== undefined) state.countdown = window.setInterval(tick, 1000);
    put(decoded, 
      el(
        'div',
        { class: 'decoded' },
        el(
          'dl',
          {},
          el('dt', { text: 'Expiry' }),
          el('dd', {}, countdown, exp !== undefined ? ` (${new Date(exp * 1000).toISOString()})` : ''),
          iat !== undefined ? el('dt', { text: 'Issued' }) : null,
          iat !== undefined ? el('dd', { text: new Date(iat * 1000).toISOString() }) : null,
          el('dt', { text: 'Subject' }),
          el('dd', { text: typeof claims.sub === 'string' ? claims.sub : '(none)' }),
          el('dt', { text: 'Audience' }),
          el('dd', { text: Array.isArray(claims.aud) ? claims.aud.join(', ') : String(claims.aud ?? '(none)') }),
          el('dt', { text: `Scopes (${scopes.length})` }),
          el('dd', { id: 'decoded-scopes' }, scopes.length > 0 ? scopeList(scopes) : '(none)'),
        ),
        el('h3', { class: 'sub', text: 'Header' }),
        el('pre', { id: 'decoded-header', text: JSON.stringify(header, null, 2) }),
        el('h3', { class: 'sub', text: 'Claims' }),
        el('pre', { id: 'decoded-claims', text: JSON.stringify(claims, null, 2) }),
        el('p', { class: 'muted', text: 'The signature is not checked here (the API checks it).' }),
      ),
    );
  }

  // ---------- Operations ----------
  const groupsBox = byId<HTMLDivElement>('op-groups');
  const countLine = byId<HTMLParagraphElement>('op-count');
  const search = byId<HTMLInputElement>('search');
  const haystacks = new Map<HTMLElement, string>();

  function ruleText(op: Op): string {
    if (op.anyOf.length === 0) return 'no scope needed';
    if (op.anyOf.length === 1) return op.anyOf[0]!.length > 1 ? 'needs all of' : 'needs';
    if (op.anyOf.every((a) => a.length === 1)) return 'needs any of';
    return 'needs one of these sets';
  }

  function scopeButton(scope: string): HTMLButtonElement {
    const button = el('button', {
      type: 'button',
      class: state.special.has(scope) ? 'scope special' : 'scope',
      'data-scope': scope,
      'aria-pressed': String(state.chosen.includes(scope)),
      title: state.special.has(scope) ? `${scope} (current_user scope): add to the token` : `Add ${scope} to the token`,
      text: scope,
    });
    button.addEventListener('click', () => (state.chosen.includes(scope) ? removeScope(scope) : addScope(scope)));
    return button;
  }

  function opItem(op: Op): HTMLLIElement {
    const tryButton = el('button', { type: 'button', class: 'try', 'aria-label': `Try it: ${op.name}`, text: 'Try it' });
    tryButton.addEventListener('click', () => selectOperation(op));
    const scopes = el('span', { class: 'op-meta' }, el('span', { class: 'rule', text: ruleText(op) }));
    op.anyOf.forEach((alt, i) => {
      if (i > 0) scopes.append(el('span', { class: 'rule', text: op.rule === 'mixed' ? '|' : 'or' }));
      alt.forEach((s, j) => {
        if (j > 0) scopes.append(el('span', { class: 'rule', text: '+' }));
        scopes.append(scopeButton(s));
      });
    });
    const bodyRules = op.bodyRules
      ? el(
          'ul',
          { class: 'body-rules', 'aria-label': 'Body-aware scope rules' },
          ...op.bodyRules.map((r) =>
            el('li', {
              text: `${r.when === 'otherwise' ? 'any other body' : `body with only ${r.when.onlyKeys.join(', ')}`}: ${r.anyOf.map((a) => a.join(' + ')).join(' or ')}`,
            }),
          ),
        )
      : null;
    const item = el(
      'li',
      { class: 'op', 'data-op': op.name },
      el(
        'div',
        { class: 'op-head' },
        el('span', { class: `method m-${op.method}`, text: op.method }),
        el('span', { class: 'op-path mono', text: `/api/v2${op.path}` }),
        el('span', { class: 'op-name', text: op.name }),
        op.deprecated ? el('span', { class: 'deprecated', text: 'deprecated' }) : null,
      ),
      el('code', { class: 'op-call', text: op.call }),
      scopes,
      bodyRules,
      el('div', { class: 'op-meta' }, el('span', { class: 'rule', text: `pagination: ${op.pagination}` }), tryButton),
    );
    haystacks.set(item, `${op.name} ${op.method} ${op.path} /api/v2${op.path} ${op.scopes.join(' ')}`.toLowerCase());
    return item;
  }

  function renderOperations(): void {
    const groups = new Map<string, Op[]>();
    for (const op of state.ops) {
      const list = groups.get(op.group) ?? [];
      list.push(op);
      groups.set(op.group, list);
    }
    const sections: HTMLElement[] = [];
    for (const [group, ops] of [...groups].sort((a, b) => a[0].localeCompare(b[0]))) {
      const id = `group-${group}`;
      sections.push(el('section', { class: 'group', 'aria-labelledby': id }, el('h3', { id, text: `${group} (${ops.length})` }), el('ul', { class: 'ops' }, ...ops.map(opItem))));
    }
    groupsBox.replaceChildren(...sections);
    filter();
  }

  function filter(): void {
    const words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    let shown = 0;
    for (const [item, text] of haystacks) {
      const match = words.every((w) => text.includes(w));
      item.hidden = !match;
      if (match) shown += 1;
    }
    for (const section of groupsBox.querySelectorAll<HTMLElement>('section.group')) {
      section.hidden = section.querySelector('li.op:not([hidden])') === null;
    }
    countLine.textContent =
      shown === 0 && words.length > 0
        ? `No operation matches "${search.value.trim()}". Try a resource (users), a path (/roles/{id}), a scope (read:users), or fewer words.`
        : `${shown} of ${state.ops.length} operations`;
  }

  // ---------- Try it ----------
  const tryForm = byId<HTMLFormElement>('try-form');
  const tryResult = byId<HTMLDivElement>('try-result');

  function selectOperation(op: Op): void {
    state.selected = op;
    byId('try-empty').hidden = true;
    tryForm.hidden = false;
    byId('try-op').textContent = `${op.method} /api/v2${op.path} · ${op.name}`;
    byId('try-needs').textContent = `${ruleText(op)}: ${op.anyOf.map((a) => a.join(' + ')).join(' or ')}${op.bodyRules ? ' (depends on the body)' : ''}`;
    const fields: HTMLElement[] = [];
    for (const p of op.pathParams) {
      const id = `param-${p}`;
      fields.push(el('div', { class: 'field' }, el('label', { for: id, text: `${p} (path, required)` }), el('input', { id, name: p, type: 'text', required: true, autocomplete: 'off', spellcheck: 'false', 'data-param': p })));
    }
    for (const q of op.queryParams.filter((q) => !op.pathParams.includes(q))) {
      const id = `param-${q}`;
      const input = op.booleanParams.includes(q)
        ? el('select', { id, name: q, 'data-param': q }, el('option', { value: '', text: '(not sent)' }), el('option', { value: 'true', text: 'true' }), el('option', { value: 'false', text: 'false' }))
        : el('input', { id, name: q, type: 'text', autocomplete: 'off', spellcheck: 'false', 'data-param': q });
      fields.push(el('div', { class: 'field' }, el('label', { for: id, text: `${q} (query, optional)` }), input));
    }
    byId('try-params').replaceChildren(...fields);
    const bodyArea = byId<HTMLTextAreaElement>('try-body');
    byId('try-body-field').hidden = op.bodyField === 'none';
    bodyArea.disabled = op.bodyField === 'none';
    bodyArea.value = '';
    byId<HTMLLabelElement>('try-body-field').querySelector('label')!.textContent = op.bodyField === 'required' ? 'JSON body (required)' : 'JSON body (optional)';
    // Mint with the least-privileged source for this call; start the token's scopes from its narrowest alternative.
    const narrowest = op.anyOf.find((alt) => alt.every((scope) => !state.special.has(scope)));
    if (state.chosen.length === 0 && narrowest) {
      state.chosen = [...narrowest];
      renderChips();
    }
    chooseSource(op.anyOf);
    put(tryResult, );
    byId('try').scrollIntoView({ block: 'nearest' });
    const first = tryForm.querySelector<HTMLInputElement | HTMLTextAreaElement>('input, textarea:not([hidden])');
    (first ?? byId<HTMLButtonElement>('send')).focus();
  }

  async function send(event: Event): Promise<void> {
    event.preventDefault();
    const op = state.selected;
    if (!op) return;
    const params: Record<string, string> = {};
    for (const input of tryForm.querySelectorAll<HTMLInputElement | HTMLSelectElement>('[data-param]')) {
      if (input.value !== '') params[input.dataset.param!] = input.value;
    }
    let body: unknown;
    const bodyText = byId<HTMLTextAreaElement>('try-body').value.trim();
    if (op.bodyField !== 'none' && bodyText !== '') {
      try {
        body = JSON.parse(bodyText);
      } catch {
        put(tryResult, el('p', { class: 'error', text: 'The body is not valid JSON.' }));
        return;
      }
    }
    const button = byId<HTMLButtonElement>('send');
    button.disabled = true;
    put(tryResult, el('p', { class: 'muted', text: 'Sending…' }));
    try {
      const r = await api<{
        request: { method: string; path: string };
        status: number;
        statusText: string;
        headers: [string, string][];
        body: unknown;
        scopeCheck: { alternatives: string[][]; held: string[]; satisfied: boolean; missing: string[] };
      }>('try', { operation: op.name, params, body, token: tokenField.value.trim() });
      const message = r.body && typeof r.body === 'object' && typeof (r.body as { message?: unknown }).message === 'string' ? (r.body as { message: string }).message : '';
      const missing =
        r.status === 403
          ? el(
              'div',
              { class: 'error', id: 'missing-scope', role: 'alert' },
              el('strong', { text: r.scopeCheck.missing.length > 0 ? `Missing scope: ${r.scopeCheck.missing.join(', ')}` : 'Forbidden' }),
              el('p', { text: message ? `The API says: ${message}` : '' }),
              r.scopeCheck.missing.length > 0 ? el('p', { text: 'Add the missing scope in the token generator, mint again, and resend.' }) : null,
            )
          : null;
      const rows = r.headers.map(([k, v]) => el('tr', { class: /^x-ratelimit-|^retry-after$/.test(k) ? 'ratelimit' : '' }, el('th', { scope: 'row', text: k }), el('td', { text: v })));
      put(tryResult, 
        el('p', { class: `status s${String(r.status)[0]}`, id: 'try-status', text: `${r.status} ${r.statusText}` }),
        el('p', { class: 'muted mono', text: `${r.request.method} ${r.request.path}` }),
        missing,
        el('h3', { class: 'sub', text: 'Headers' }),
        el('table', { class: 'headers', id: 'try-headers' }, el('tbody', {}, ...rows)),
        el('h3', { class: 'sub', text: 'Body' }),
        el('pre', { id: 'try-body-out', text: r.body === null ? '(empty)' : typeof r.body === 'string' ? r.body : JSON.stringify(r.body, null, 2) }),
      );
      // The result sits below the form, often below the fold (or the side column's own scroll area): bring it in.
      tryResult.scrollIntoView({ block: 'start' });
    } catch (error) {
      put(tryResult, el('p', { class: 'error', role: 'alert', text: (error as Error).message }));
    } finally {
      button.disabled = false;
    }
  }

  // ---------- Wiring ----------
  search.addEventListener('input', filter);
  byId('mint').addEventListener('click', () => void mint());
  byId('clear-scopes').addEventListener('click', () => {
    state.chosen = [];
    renderChips();
  });
  byId('decode').addEventListener('click', () => {
    decode(tokenField.value);
    byId('decoder').focus();
  });
  byId('copy-token').addEventListener('click', () => {
    void navigator.clipboard?.writeText(tokenField.value).catch(() => tokenField.select());
  });
  sourceSelect.addEventListener('change', () => {
    state.sourceChosen = true;
    userField.hidden = sourceSelect.value !== 'user-token';
  });
  tryForm.addEventListener('submit', (event) => void send(event));

  void (async () => {
    try {
      const doc = await api<{ operations: Op[]; scopes: string[]; specialScopes: string[] }>('operations');
      state.ops = doc.operations;
      state.special = new Set(doc.specialScopes);
      setupPickers(doc.scopes);
      renderOperations();
      renderChips();
      document.body.dataset.ready = 'operations';
    } catch (error) {
      countLine.textContent = `Could not load the operations: ${(error as Error).message}`;
    }
    try {
      state.sources = (await api<{ sources: Source[] }>('sources')).sources;
      renderSources();
      document.body.dataset.ready = 'true';
    } catch (error) {
      put(mintResult, el('p', { class: 'error', text: `Could not list the token sources: ${(error as Error).message}` }));
    }
  })();
}
