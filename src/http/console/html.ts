// Server-rendered HTML for the console: one escaping template tag, one page
// shell, one stylesheet and one small script. Every interpolated value is
// escaped unless it is already Html.
import { vi } from "../../texts/vi.ts";

export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

const ESC: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
export const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ESC[c]!);

function render(v: unknown): string {
  if (v instanceof Html) return v.text;
  if (Array.isArray(v)) return v.map(render).join("");
  if (v === null || v === undefined || v === false) return "";
  if (typeof v === "string") return escape(v);
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  throw new TypeError("only text, numbers and Html go into a page");
}

export function h(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1]!;
  return new Html(out);
}

export const raw = (s: string) => new Html(s);

export interface PageOptions {
  title: string;
  /** The signed-in person, for the header; none on the sign-in pages. */
  who?: { fullName: string; csrf: string; admin: boolean };
  /** Which menu entry is current. */
  current?: "board" | "import" | "holidays" | "settings" | "queues";
  projector?: boolean;
  /** The form came back with problems: the title says so, since a screen reader reads it first. */
  failed?: boolean;
  body: Html;
}

export function page(o: PageOptions): string {
  const t = vi.console.layout;
  const nav = o.who
    ? h`<nav aria-label="${t.menu}"><ul>
        ${navItem("/console", t.board, o.current === "board")}
        ${o.who.admin ? [navItem("/console/nhap", t.import, o.current === "import"), navItem("/console/ngaynghi", t.holidays, o.current === "holidays"), navItem("/console/caidat", t.settings, o.current === "settings"), navItem("/console/hangdoi", t.queues, o.current === "queues")] : ""}
      </ul>
      <form method="post" action="/console/dangxuat" class="signout"><span>${o.who.fullName}</span>${csrfField(o.who.csrf)}<button type="submit">${t.signOut}</button></form>
      </nav>`
    : "";
  return `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${o.failed ? `${escape(t.failed)} ` : ""}${escape(o.title)} – ${escape(t.product)}</title><link rel="icon" href="data:,"><link rel="stylesheet" href="/console/static/app.css">
<script src="/console/static/app.js" defer></script></head>
<body${o.projector ? ' class="projector"' : ""}><a class="skip" href="#main">${escape(t.skip)}</a>
<header><p class="brand">${escape(t.product)}</p>${nav === "" ? "" : nav.text}</header>
<main id="main">${o.body.text}</main></body></html>`;
}

function navItem(href: string, label: string, current: boolean): Html {
  return h`<li><a href="${href}"${current ? raw(' aria-current="page"') : ""}>${label}</a></li>`;
}

export const csrfField = (csrf: string) => h`<input type="hidden" name="_csrf" value="${csrf}">`;

/** A short message above the page's content: a result, or what went wrong. */
export function notice(kind: "ok" | "error", lines: readonly string[]): Html {
  return h`<div class="notice ${kind}" role="${kind === "error" ? "alert" : "status"}">${lines.map((l) => h`<p>${l}</p>`)}</div>`;
}

// Contrast: every text colour on its background is at least 4.5:1 (WCAG AA).
export const STYLE = `
:root{--fg:#1a1a1a;--muted:#4a4a4a;--bg:#fff;--line:#c8c8c8;--accent:#0b4f9c;--red:#a4161a;--ok:#1b5e20;--late:#7a4a00;--head:#f1f3f5}
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:var(--fg);background:var(--bg)}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:8px;z-index:9}
header{display:flex;flex-wrap:wrap;align-items:center;gap:8px 24px;padding:8px 16px;background:var(--accent);color:#fff}
header a,header button{color:#fff}.brand{margin:0;font-weight:700}
nav{display:flex;flex-wrap:wrap;align-items:center;gap:8px 24px;flex:1}
nav ul{display:flex;flex-wrap:wrap;gap:4px 16px;list-style:none;margin:0;padding:0}
nav a[aria-current]{font-weight:700;text-decoration-thickness:3px}
.signout{margin-left:auto;display:flex;gap:8px;align-items:center}
.signout button{background:transparent;border:1px solid #fff;border-radius:4px;padding:4px 10px;font:inherit;cursor:pointer}
main{padding:16px;max-width:1400px}
h1{font-size:1.5rem;margin:0 0 8px}h2{font-size:1.2rem;margin:24px 0 8px}
a{color:var(--accent)}a:focus,button:focus,input:focus,select:focus,textarea:focus{outline:3px solid #f59f00;outline-offset:2px}
.muted{color:var(--muted)}
form.filters{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:flex-end;margin:8px 0 16px}
label{display:block;font-weight:600}
label.inline{display:flex;gap:8px;align-items:center;font-weight:400}
input,select,textarea{font:inherit;padding:6px 8px;border:1px solid #767676;border-radius:4px;max-width:100%}
button,.button{font:inherit;padding:6px 14px;border-radius:4px;border:1px solid var(--accent);background:var(--accent);color:#fff;cursor:pointer;text-decoration:none;display:inline-block}
button.secondary,.button.secondary{background:#fff;color:var(--accent)}
.actions{display:flex;flex-wrap:wrap;gap:8px;margin:8px 0}
.notice{border-left:6px solid var(--ok);background:#eef7ee;padding:8px 12px;margin:8px 0}
.notice.error{border-color:var(--red);background:#fdeeee}.notice p{margin:4px 0}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;width:100%}
th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
thead th{background:var(--head);position:sticky;top:0}
tr.group th{background:#e7ecf3;font-weight:700}
td.state{white-space:nowrap}
.badge{display:inline-block;border-radius:999px;padding:0 10px;border:1px solid currentColor;white-space:nowrap}
.s-submitted_on_time{color:var(--ok);background:#e8f5e9}.s-submitted_late{color:var(--late);background:#fff4e0}
.s-in_progress{color:#0b4f9c;background:#e8f0fb}.s-not_started{color:var(--muted);background:#f4f4f4}.s-overdue{color:var(--red);background:#fdeeee;font-weight:700}
.legend .badge{margin-right:4px}
.totals td{font-weight:600}
.legend{margin:8px 0}
.field-error{color:var(--red);margin:2px 0 0}
.field{margin:12px 0}.hint{color:var(--muted);margin:2px 0 0}
fieldset{border:1px solid var(--line);border-radius:4px;margin:16px 0;padding:8px 12px;max-width:48rem}legend{font-weight:700;padding:0 4px}
[aria-invalid="true"]{border-color:var(--red);border-width:2px}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px}dl.facts dt{font-weight:600}dl.facts dd{margin:0}
pre.problems{white-space:pre-wrap;background:#fdeeee;padding:8px}
.projector-exit{display:none}body.projector .projector-exit{display:block;float:right;margin:0}body.projector{font-size:22px}body.projector form.filters,body.projector .actions{display:none}body.projector main{max-width:none}
form.filters>div{max-width:100%}form.filters select{width:100%}
@media (max-width:600px){main{padding:8px}th,td{padding:4px}header{display:block}nav{display:block}nav ul{margin:4px 0}.signout{margin:8px 0 0}}
`;

/**
 * Refreshes the board in place (data-refresh seconds), puts the keyboard
 * focus back on the link it was on, and shows the sign-in page once the
 * session has ended (a projector must not show old figures for ever).
 */
export const SCRIPT = `
(function(){
  var board=document.getElementById('board');
  if(!board)return;
  var every=Number(board.getAttribute('data-refresh'))||30;
  function tick(){
    fetch(location.href,{headers:{'x-console-fragment':'board'},credentials:'same-origin'})
      .then(function(r){
        if(r.status===401){location.reload();return null;}
        return r.ok?r.text():null;
      })
      .then(function(html){
        if(html===null)return;
        var focused=board.contains(document.activeElement)?document.activeElement.getAttribute('href'):null;
        board.innerHTML=html;
        board.setAttribute('data-refreshed',String(Date.now()));
        if(focused){var again=board.querySelector('a[href="'+focused+'"]');if(again)again.focus();}
      })
      .catch(function(){})
      .then(function(){setTimeout(tick,every*1000)});
  }
  setTimeout(tick,every*1000);
})();
`;
