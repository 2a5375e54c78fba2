/** The explorer's HTML shell. No inline script or style: app.js and app.css are served as files. */

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function pageHtml(input: { csrfToken: string; domain: string; mode: 'emulator' | 'tenant' }): string {
  const domain = escapeHtml(input.domain);
  const where = input.mode === 'emulator' ? 'emulator' : 'tenant';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="scopebound-csrf" content="${escapeHtml(input.csrfToken)}">
<meta name="referrer" content="no-referrer">
<title>Scopebound explorer · ${domain}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/explorer/app.css">
<script src="/explorer/app.js" defer></script>
</head>
<body>
<a class="skip" href="#generator">Skip to the token generator</a>
<header class="top">
  <h1>Scopebound explorer</h1>
  <p class="target"><span class="badge badge-${where}">${where}</span> <span id="domain">${domain}</span></p>
</header>
<main class="layout">
  <section class="panel operations" aria-labelledby="ops-title">
    <h2 id="ops-title">Operations</h2>
    <div class="field">
      <label for="search">Search operations by name, path or scope</label>
      <input id="search" type="search" autocomplete="off" spellcheck="false" placeholder="users.update, /roles, read:users">
    </div>
    <p id="op-count" class="muted" role="status" aria-live="polite">Loading operations…</p>
    <div id="op-groups"></div>
  </section>
  <div class="side">
    <section class="panel" id="generator" aria-labelledby="gen-title" tabindex="-1">
      <h2 id="gen-title">Token generator</h2>
      <div class="picker">
        <div class="field">
          <label for="entity">Entity</label>
          <select id="entity"></select>
        </div>
        <div class="field">
          <label for="action">Action</label>
          <select id="action"></select>
        </div>
        <button id="add-scope" type="button" class="arrow" aria-label="Add the scope">&#x2192;</button>
      </div>
      <h3 class="sub" id="chips-title">Scopes in the token</h3>
      <ul id="chips" class="chips" aria-labelledby="chips-title"></ul>
      <p id="chips-empty" class="muted">No scope yet: click a scope on an operation, or pick an entity and an action and press the arrow.</p>
      <div id="special-warning" class="warning" role="alert" hidden></div>
      <div class="field">
        <label for="source">Mint with</label>
        <select id="source"></select>
      </div>
      <div class="field" id="user-field" hidden>
        <label for="user-id">User id (the token acts only on this user)</label>
        <input id="user-id" type="text" autocomplete="off" spellcheck="false" value="auth0|000000000000000000000001">
      </div>
      <div class="row">
        <button id="mint" type="button" class="primary">Mint token</button>
        <button id="clear-scopes" type="button">Clear scopes</button>
      </div>
      <div id="mint-result" class="result" role="status" aria-live="polite"></div>
      <div class="field">
        <label for="token">Access token</label>
        <textarea id="token" rows="4" spellcheck="false" placeholder="Mint a token or paste one"></textarea>
      </div>
      <div class="row">
        <button id="decode" type="button">Decode (in this page)</button>
        <button id="copy-token" type="button">Copy token</button>
      </div>
    </section>
    <section class="panel" id="decoder" aria-labelledby="dec-title" tabindex="-1">
      <h2 id="dec-title">Decoder</h2>
      <p class="muted">Decoded here, in the page: the token is never sent anywhere to be decoded.</p>
      <div id="decoded" aria-live="polite"></div>
    </section>
    <section class="panel" id="try" aria-labelledby="try-title" tabindex="-1">
      <h2 id="try-title">Try it</h2>
      <p id="try-empty" class="muted">Choose "Try it" on an operation.</p>
      <form id="try-form" hidden novalidate>
        <p id="try-op" class="try-op"></p>
        <p id="try-needs" class="muted"></p>
        <div id="try-params"></div>
        <div class="field" id="try-body-field">
          <label for="try-body">JSON body</label>
          <textarea id="try-body" rows="5" spellcheck="false"></textarea>
        </div>
        <button id="send" type="submit" class="primary">Send with the token</button>
      </form>
      <div id="try-result" aria-live="polite"></div>
    </section>
  </div>
</main>
</body>
</html>
`;
}
