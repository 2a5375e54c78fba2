/** The explorer's stylesheet (served as /explorer/app.css). Colours meet WCAG AA contrast on white. */
export const APP_CSS = `
:root { --fg: #1b1f24; --muted: #4a5360; --bg: #f6f7f9; --panel: #ffffff; --line: #c9ced6; --accent: #0b5cad;
  --accent-fg: #ffffff; --warn-bg: #fff4d6; --warn-line: #8a5a00; --bad: #a1161c; --good: #1d6b34; --focus: #c2410c;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; line-height: 1.4; }
code, pre, textarea, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.85rem; }
.skip { position: absolute; left: -999px; top: 0; background: var(--panel); padding: 0.5rem; }
.skip:focus { left: 0.5rem; z-index: 10; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.top { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0.25rem 1rem; overflow-wrap: anywhere; padding: 0.75rem 1.25rem; background: #14213d; color: #ffffff; }
.top h1 { margin: 0; font-size: 1.25rem; }
.top .target { margin: 0; }
.badge { display: inline-block; padding: 0.05rem 0.45rem; border-radius: 0.25rem; font-size: 0.75rem; font-weight: 600;
  text-transform: uppercase; background: #e8edf5; color: #14213d; }
.layout { display: grid; grid-template-columns: minmax(0, 3fr) minmax(22rem, 2fr); gap: 1rem; padding: 1rem; align-items: start; }
@media (max-width: 60rem) { .layout { grid-template-columns: minmax(0, 1fr); } }
@media (max-width: 30rem) { .layout { padding: 0.5rem; gap: 0.5rem; } .picker { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr) auto; } }
.side { display: grid; grid-template-columns: minmax(0, 1fr); gap: 1rem; position: sticky; top: 1rem; max-height: calc(100vh - 2rem); overflow: auto; }
@media (max-width: 60rem) { .side { position: static; max-height: none; overflow: visible; } }
.panel { min-width: 0; background: var(--panel); border: 1px solid var(--line); border-radius: 0.5rem; padding: 0.75rem 1rem 1rem; }
.panel h2 { margin: 0.25rem 0 0.75rem; font-size: 1.1rem; }
.sub { font-size: 0.95rem; margin: 0.75rem 0 0.25rem; }
.muted { color: var(--muted); font-size: 0.9rem; }
.field { display: grid; gap: 0.25rem; margin: 0.5rem 0; }
label { font-weight: 600; font-size: 0.9rem; }
input, select, textarea { font: inherit; color: var(--fg); background: #ffffff; border: 1px solid #6b7480; border-radius: 0.3rem; padding: 0.4rem 0.5rem; width: 100%; }
textarea { resize: vertical; }
button { font: inherit; cursor: pointer; border: 1px solid #4a5360; background: #ffffff; color: var(--fg); border-radius: 0.3rem; padding: 0.35rem 0.75rem; }
button:hover { background: #eef1f5; }
button.primary { background: var(--accent); color: var(--accent-fg); border-color: var(--accent); }
button.primary:hover { background: #094a8c; }
button[disabled] { opacity: 0.6; cursor: progress; }
.row { display: flex; gap: 0.5rem; flex-wrap: wrap; margin: 0.5rem 0; }
.picker { display: grid; grid-template-columns: 1fr 1fr auto; gap: 0.5rem; align-items: end; }
.picker .field { margin: 0; }
button.arrow { font-size: 1.25rem; line-height: 1; padding: 0.35rem 0.9rem; background: var(--accent); color: var(--accent-fg); border-color: var(--accent); height: 2.3rem; }
.chips { list-style: none; padding: 0; margin: 0.25rem 0; display: flex; flex-wrap: wrap; gap: 0.35rem; }
.chip { display: inline-flex; align-items: center; gap: 0.25rem; border: 1px solid var(--accent); color: var(--accent); border-radius: 1rem; padding: 0.1rem 0.2rem 0.1rem 0.6rem; font-size: 0.85rem; }
.chip.special { border-color: var(--warn-line); color: var(--warn-line); background: var(--warn-bg); }
.chip button { border: none; background: transparent; color: inherit; padding: 0 0.35rem; border-radius: 1rem; font-size: 1rem; line-height: 1.2; }
.chip button:hover { background: #e3ecf7; }
.warning { background: var(--warn-bg); border: 1px solid var(--warn-line); color: #4d3300; border-radius: 0.3rem; padding: 0.5rem 0.75rem; margin: 0.5rem 0; font-size: 0.9rem; }
.error { background: #fde8e8; border: 1px solid var(--bad); color: #6b0f13; border-radius: 0.3rem; padding: 0.5rem 0.75rem; margin: 0.5rem 0; font-size: 0.9rem; }
.ok { color: var(--good); font-weight: 600; }
.result:empty { display: none; }
.result { margin: 0.5rem 0; font-size: 0.9rem; }
.result dl, .decoded dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 0.75rem; margin: 0.25rem 0; }
.result dt, .decoded dt { font-weight: 600; }
.result dd, .decoded dd { margin: 0; overflow-wrap: anywhere; }
.group { border-top: 1px solid var(--line); padding-top: 0.25rem; }
.group > h3 { font-size: 1rem; margin: 0.5rem 0; }
.ops { list-style: none; margin: 0; padding: 0; display: grid; grid-template-columns: minmax(0, 1fr); gap: 0.5rem; }
.op { min-width: 0; border: 1px solid var(--line); border-radius: 0.4rem; padding: 0.5rem 0.75rem; }
.op-head { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0.5rem; }
.method { font-weight: 700; font-size: 0.75rem; padding: 0.1rem 0.4rem; border-radius: 0.25rem; min-width: 3.6rem; text-align: center; border: 1px solid currentColor; }
.m-GET { color: #0b5a2a; background: #e5f4ea; }
.m-POST { color: #0b4a8c; background: #e5eef9; }
.m-PUT { color: #6b3d00; background: #fcefdc; }
.m-PATCH { color: #5b2a86; background: #f1e8f9; }
.m-DELETE { color: #8c1116; background: #fbe7e8; }
.op-path { font-weight: 600; overflow-wrap: anywhere; }
.op-name { color: var(--muted); overflow-wrap: anywhere; min-width: 0; }
.op-call { display: block; margin: 0.35rem 0; background: #f1f3f6; padding: 0.25rem 0.5rem; border-radius: 0.25rem; overflow-wrap: anywhere; }
.op-meta { display: flex; flex-wrap: wrap; gap: 0.35rem; align-items: center; font-size: 0.85rem; margin: 0.25rem 0; }
.rule { color: var(--muted); }
.scope { max-width: 100%; overflow-wrap: anywhere; text-align: left; border: 1px solid var(--accent); color: var(--accent); background: #ffffff; border-radius: 1rem; padding: 0.05rem 0.6rem; font-size: 0.8rem; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.scope.special { border-color: var(--warn-line); color: var(--warn-line); background: var(--warn-bg); }
.scope[aria-pressed="true"] { background: var(--accent); color: var(--accent-fg); }
.body-rules { margin: 0.25rem 0 0; padding-left: 1.1rem; font-size: 0.85rem; color: var(--muted); }
.deprecated { color: var(--bad); font-size: 0.8rem; font-weight: 600; }
.try-op { font-weight: 600; overflow-wrap: anywhere; }
#try-result .mono { overflow-wrap: anywhere; }
.status { font-size: 1.05rem; font-weight: 700; margin: 0.5rem 0; }
.status.s2 { color: var(--good); }
.status.s4, .status.s5 { color: var(--bad); }
table.headers { border-collapse: collapse; width: 100%; font-size: 0.8rem; margin: 0.25rem 0; }
table.headers th, table.headers td { text-align: left; padding: 0.15rem 0.4rem; border-bottom: 1px solid #e1e4e8; overflow-wrap: anywhere; }
tr.ratelimit { background: #fff4d6; }
tr.ratelimit th::after { content: " (rate limit)"; font-weight: 400; color: #4d3300; }
pre { background: #f1f3f6; padding: 0.5rem; border-radius: 0.3rem; overflow: auto; max-height: 24rem; margin: 0.25rem 0; }
.countdown { font-weight: 700; }
.countdown.expired { color: var(--bad); }
`;
