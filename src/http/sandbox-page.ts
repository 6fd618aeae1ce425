// The sandbox chat page: one static HTML document with a little script.
import { vi } from "../texts/vi.ts";

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function sandboxPage(): string {
  const t = vi.sandbox;
  return `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(t.title)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:0;background:#eef1f5;display:flex;flex-direction:column;height:100vh}
header{background:#b71c1c;color:#fff;padding:10px 14px}header p{margin:4px 0 0;font-size:13px;opacity:.9}
#log{flex:1;overflow:auto;padding:12px}
.m{max-width:80%;margin:6px 0;padding:8px 10px;border-radius:10px;white-space:pre-wrap;line-height:1.35}
.me{background:#d7ecff;margin-left:auto}.bot{background:#fff}
.choices button{margin:4px 4px 0 0;padding:6px 10px;border:1px solid #b71c1c;background:#fff;color:#b71c1c;border-radius:6px}
form{display:flex;gap:8px;padding:10px;background:#fff}input{flex:1;padding:10px;font-size:16px}button[type=submit]{padding:10px 16px}
</style></head>
<body><header><strong>${esc(t.title)}</strong><p>${esc(t.intro)}</p></header>
<div id="log" aria-live="polite"></div>
<form id="f"><input id="t" autocomplete="off" placeholder="${esc(t.placeholder)}" aria-label="${esc(t.placeholder)}"><button type="submit">${esc(t.send)}</button></form>
<script>
const chatId = localStorage.sandboxChat || (localStorage.sandboxChat = "web-" + Math.random().toString(36).slice(2, 10));
let after = 0;
const log = document.getElementById("log");
function add(cls, text, choices) {
  const d = document.createElement("div"); d.className = "m " + cls; d.textContent = text;
  if (choices && choices.length) {
    const c = document.createElement("div"); c.className = "choices";
    for (const ch of choices) { const b = document.createElement("button"); b.textContent = ch.label; b.onclick = () => send({ choice: ch.value }, ch.label); c.appendChild(b); }
    d.appendChild(c);
  }
  log.appendChild(d); log.scrollTop = log.scrollHeight;
}
async function send(body, shown) {
  add("me", shown);
  await fetch("/sandbox/api/send", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ chatId, ...body }) });
}
async function poll() {
  try {
    const r = await fetch("/sandbox/api/messages?chatId=" + chatId + "&after=" + after);
    if (r.ok) for (const m of await r.json()) { after = m.id; add("bot", m.text + (m.file ? "\\n[" + m.file + "]" : ""), m.choices); }
  } catch {}
  setTimeout(poll, 700);
}
document.getElementById("f").onsubmit = (e) => { e.preventDefault(); const t = document.getElementById("t"); if (t.value.trim()) { send({ text: t.value }, t.value); t.value = ""; } };
poll();
</script></body></html>`;
}
