/** Tiny server-rendered HTML: escaped by construction, no external assets. */

/** A piece of HTML that is already safe. */
export interface Html {
  readonly __html: string;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escape(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c] as string);
}

/** Tagged template: interpolations are escaped unless they are Html (or arrays of Html). */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0] as string;
  values.forEach((v, i) => {
    out += render(v) + (strings[i + 1] as string);
  });
  return { __html: out };
}

function render(v: unknown): string {
  if (Array.isArray(v)) return v.map(render).join('');
  if (v && typeof v === 'object' && '__html' in v) return (v as Html).__html;
  return escape(v);
}

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
a{color:#0b5cad}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left}
code,.scopes{font-family:ui-monospace,monospace;font-size:.9em;background:#f3f3f3;padding:0 .25rem;border-radius:3px}
nav a{margin-right:1rem}form.inline{display:inline}.muted{color:#777}.error{color:#a00}`;

export function page(title: string, body: Html, scopes?: readonly string[]): string {
  return `<!doctype html>${
    html`<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title} · Scopebound example</title><style>${{ __html: STYLE }}</style></head>
<body><nav><a href="/">Home</a><a href="/users">Users</a><a href="/roles">Roles</a></nav>
<h1>${title}</h1>${body}
<p class="muted">This route's allow-list: ${scopes && scopes.length > 0 ? html`<span class="scopes">${scopes.join(' ')}</span>` : 'none (it calls nothing)'}</p>
</body></html>`.__html
  }`;
}
