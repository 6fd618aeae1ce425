// The sandbox page: one HTML document with its script. Everything it shows
// comes from the JSON API (src/http/sandbox.ts); messages arrive already
// rendered by the chosen channel's own renderer, so the page only draws them.
import { vi } from "../texts/vi.ts";

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** JSON inside a <script>: "</script>" in a text must not end it. */
const scriptJson = (v: unknown) => JSON.stringify(v).replace(/</g, "\\u003c");

const style = `
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;height:100vh;display:flex;flex-direction:column;background:#eef1f5;color:#1c1c1c}
.top{background:#b71c1c;color:#fff;padding:8px 12px;display:flex;gap:10px;align-items:center;flex-wrap:wrap}
.top h1{font-size:17px;margin:0;flex:1;min-width:180px}.top p{margin:2px 0 0;font-size:12px;opacity:.9;font-weight:normal}
.seg{display:inline-flex;border:1px solid #fff;border-radius:6px;overflow:hidden}
.seg button{background:transparent;color:#fff;border:0;padding:6px 12px;font-size:14px;cursor:pointer}
.seg button[aria-pressed=true]{background:#fff;color:#b71c1c;font-weight:600}
#clockbtn{background:rgba(255,255,255,.15);color:#fff;border:1px solid rgba(255,255,255,.6);border-radius:6px;padding:6px 10px;font-size:14px;cursor:pointer}
#clockbtn.shifted{background:#ffd54f;color:#5d4037;border-color:#ffd54f}
main{flex:1;display:flex;min-height:0}
aside{width:290px;background:#fff;border-right:1px solid #dde;overflow:auto;padding:6px 0}
aside h2{font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:#777;margin:12px 12px 4px}
aside button{display:block;width:100%;text-align:left;border:0;background:none;padding:7px 12px;cursor:pointer;font-size:14px;position:relative}
aside button small{display:block;color:#777;font-size:12px;margin-top:1px}
aside button[aria-current=true]{background:#fdecea}
aside .badge{position:absolute;right:10px;top:9px;background:#d32f2f;color:#fff;border-radius:9px;font-size:11px;padding:1px 6px}
section{flex:1;display:flex;flex-direction:column;min-width:0}
.chathead{padding:8px 12px;color:#fff;display:flex;gap:8px;align-items:center}
.chathead select{max-width:100%;font-size:14px;padding:4px}
.chathead .who{font-weight:600;flex:1;min-width:0;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
#log{flex:1;overflow:auto;padding:12px}
.entry{display:flex;flex-direction:column;margin:6px 0}
.entry.user{align-items:flex-end}.entry.bot{align-items:flex-start}
.bubble{max-width:min(560px,86%);margin:2px 0;padding:7px 10px;border-radius:12px;white-space:pre-wrap;overflow-wrap:anywhere;line-height:1.38;font-size:15px;box-shadow:0 1px 1px rgba(0,0,0,.08)}
.bubble img{display:block;max-width:100%;max-height:420px;border-radius:8px}
.bubble .cap{margin-top:6px}
.doc{display:flex;gap:10px;align-items:center;text-decoration:none;color:inherit}
.doc .icon{font-size:28px}.doc b{display:block}.doc small{color:#666}
.kb{display:grid;gap:4px;margin-top:6px}
.kb div{display:flex;gap:4px}
.kb button{flex:1;padding:7px 6px;font-size:14px;border-radius:8px;cursor:pointer}
.kb button:disabled{opacity:.45;cursor:default}
.choice{font-size:13px;font-style:italic;opacity:.8}
form{display:flex;gap:6px;padding:8px;background:#fff;border-top:1px solid #dde;align-items:center}
form input[type=text]{flex:1;padding:10px;font-size:16px;border:1px solid #ccd;border-radius:20px;min-width:0}
form button,.attach{padding:9px 14px;font-size:15px;border-radius:20px;border:0;cursor:pointer}
.attach{background:#eef;font-size:18px;padding:7px 11px}
.card{background:#fff;border-radius:10px;padding:18px;margin:24px auto;max-width:560px;box-shadow:0 1px 3px rgba(0,0,0,.15)}
.card h2{margin-top:0}
.card button{background:#b71c1c;color:#fff;border:0;border-radius:8px;padding:10px 16px;font-size:15px;cursor:pointer}
dialog{border:0;border-radius:12px;max-width:480px;width:92%;padding:18px;box-shadow:0 6px 30px rgba(0,0,0,.3)}
dialog h2{margin:0 0 6px;font-size:18px}dialog p{font-size:14px;color:#444}
#presets button{display:block;width:100%;text-align:left;margin:5px 0;padding:8px 10px;border:1px solid #ccd;border-radius:8px;background:#fafbff;cursor:pointer}
#presets small{display:block;color:#666}
.row{display:flex;gap:6px;margin-top:10px;flex-wrap:wrap}.row input{flex:1;padding:7px}
#toast{position:fixed;left:50%;bottom:80px;transform:translateX(-50%);background:#323232;color:#fff;padding:10px 16px;border-radius:8px;max-width:90%;font-size:14px;display:none;z-index:10}
/* Telegram */
.look-telegram .chathead{background:#517da2}
.look-telegram #log{background:#cfdfe7}
.look-telegram .bot .bubble{background:#fff}
.look-telegram .user .bubble{background:#e3fcc9}
.look-telegram .kb button{background:rgba(82,136,193,.12);color:#2b5278;border:0}
.look-telegram form button[type=submit]{background:#2aabee;color:#fff}
/* Zalo */
.look-zalo .chathead{background:#0068ff}
.look-zalo #log{background:#e2e9f1}
.look-zalo .bot .bubble{background:#fff;border-radius:4px 12px 12px 12px}
.look-zalo .user .bubble{background:#dbebff;border-radius:12px 4px 12px 12px}
.look-zalo form button[type=submit]{background:#0068ff;color:#fff}
@media (max-width:760px){aside,.top p,.chathead .who{display:none}.chathead select{flex:1}.top h1{font-size:15px}}
@media (min-width:761px){.chathead select{display:none}}
`;

// Plain JavaScript in the browser; texts come from src/texts/vi.ts.
const script = `
const T = window.TEXTS;
const $ = (id) => document.getElementById(id);
const log = $("log");
let visitor = localStorage.sandboxVisitor || (localStorage.sandboxVisitor = "web-" + Math.random().toString(36).slice(2, 10));
let chat = localStorage.sandboxChat || visitor;
let look = localStorage.sandboxLook === "zalo" ? "zalo" : "telegram";
let after = 0, generation = 0, people = [], latest = {};
const seen = JSON.parse(localStorage.sandboxSeen || "{}");

function toast(text) { const t = $("toast"); t.textContent = text; t.style.display = "block"; clearTimeout(toast.timer); toast.timer = setTimeout(() => { t.style.display = "none"; }, 5000); }
async function api(path, opts) {
  const r = await fetch(path, Object.assign({ credentials: "same-origin" }, opts || {}));
  let body = null; try { body = await r.json(); } catch (e) {}
  // The API's own refusals are in Vietnamese; a 500 is the server's fault, said plainly.
  if (!r.ok) throw Object.assign(new Error(r.status !== 500 && body && body.error ? body.error : T.sendFailed), { status: r.status });
  return body;
}
const post = (path, data) => api(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(data) });

function el(tag, cls, text) { const e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; }
function linkify(text) {
  const frag = document.createDocumentFragment();
  const re = /https?:\\/\\/[^\\s]+/g; let last = 0, m;
  while ((m = re.exec(text))) {
    frag.appendChild(document.createTextNode(text.slice(last, m.index)));
    const a = el("a", "", m[0]); a.href = m[0]; a.target = "_blank"; a.rel = "noopener"; frag.appendChild(a);
    last = m.index + m[0].length;
  }
  frag.appendChild(document.createTextNode(text.slice(last)));
  return frag;
}
function size(n) { return n >= 1048576 ? (n / 1048576).toFixed(1) + " MB" : Math.max(1, Math.round(n / 1024)) + " KB"; }
function keyboard(rows) {
  const kb = el("div", "kb");
  for (const row of rows) {
    const r = el("div");
    for (const b of row) { const btn = el("button", "", b.label); btn.type = "button"; btn.onclick = () => sendChoice(b.value, b.label); r.appendChild(btn); }
    kb.appendChild(r);
  }
  return kb;
}
function bubble(b) {
  const d = el("div", "bubble");
  if (b.kind === "text") d.appendChild(linkify(b.text));
  else if (b.kind === "choice") { d.classList.add("choice"); d.textContent = "» " + b.text; }
  else if (b.kind === "photo") { const img = el("img"); img.src = b.url; img.alt = b.caption || ""; img.loading = "lazy"; img.onload = () => { log.scrollTop = log.scrollHeight; }; d.appendChild(img); }
  else if (b.kind === "document") {
    const a = el("a", "doc"); a.href = b.url; a.setAttribute("download", b.name);
    a.appendChild(el("span", "icon", "📄")); const s = el("span"); s.appendChild(el("b", "", b.name)); s.appendChild(el("small", "", size(b.size) + " · " + T.download)); a.appendChild(s); d.appendChild(a);
  }
  if (b.caption) { const c = el("div", "cap"); c.appendChild(linkify(b.caption)); d.appendChild(c); }
  if (b.buttons) d.appendChild(keyboard(b.buttons));
  return d;
}
function addEntry(e) {
  const box = el("div", "entry " + e.from); box.dataset.id = e.id;
  for (const b of e.bubbles) box.appendChild(bubble(b));
  log.appendChild(box);
}
// The bot's messages since the person last wrote keep their buttons, as in
// Telegram: a reminder arriving mid-report leaves the question's buttons
// usable. Anything older has been answered.
function disableStale() {
  const entries = [...log.querySelectorAll(".entry")];
  let lastUser = -1;
  entries.forEach((box, i) => { if (box.classList.contains("user")) lastUser = i; });
  entries.forEach((box, i) => {
    const live = i > lastUser && box.classList.contains("bot");
    box.querySelectorAll(".kb button").forEach((b) => { b.disabled = !live; });
  });
}
// One polling loop per chat and look: a loop started for an earlier one stops
// at its next turn, whether it was waiting for an answer or for its timer.
async function poll(mine) {
  if (mine !== generation) return;
  try {
    const r = await api("/sandbox/api/messages?chat=" + encodeURIComponent(chat) + "&look=" + look + "&after=" + after);
    if (mine !== generation) return;
    const fresh = r.entries.filter((e) => e.id > after);
    for (const e of fresh) { addEntry(e); after = e.id; }
    if (fresh.length) { disableStale(); log.scrollTop = log.scrollHeight; }
    latest = r.latest; seen[chat] = Math.max(seen[chat] || 0, after); localStorage.sandboxSeen = JSON.stringify(seen); badges();
  } catch (err) { if (err.status === 403) { location.reload(); return; } }
  setTimeout(() => poll(mine), 700);
}
function restart() { generation += 1; after = 0; log.textContent = ""; poll(generation); }

function badges() {
  document.querySelectorAll("aside button[data-chat]").forEach((b) => {
    const n = latest[b.dataset.chat] || 0; const old = b.querySelector(".badge"); if (old) old.remove();
    if (b.dataset.chat !== chat && n > (seen[b.dataset.chat] || 0)) b.appendChild(el("span", "badge", "•"));
  });
}
function describe(p) { return [p.position].concat(p.roles.map((r) => r.unit)).filter(Boolean).filter((v, i, a) => a.indexOf(v) === i).join(" – "); }
function renderPeople() {
  const aside = $("people"); aside.textContent = ""; const select = $("who"); select.textContent = "";
  const add = (c, name, sub, group) => {
    const b = el("button"); b.type = "button"; b.dataset.chat = c; b.textContent = name; if (sub) b.appendChild(el("small", "", sub));
    b.setAttribute("aria-current", String(c === chat)); b.onclick = () => choose(c); group.appendChild(b);
    const o = el("option", "", name); o.value = c; o.selected = c === chat; select.appendChild(o);
  };
  aside.appendChild(el("h2", "", T.people));
  add(visitor, T.visitor, T.visitorHint, aside);
  // Each person once, under the widest of their roles.
  const order = ["OFFICE", "COMMITTEE_MEMBER", "HEAD", "REPORTER"];
  const widest = (p) => order.find((r) => p.roles.some((x) => x.role === r));
  for (const role of order) {
    const group = people.filter((p) => widest(p) === role);
    if (!group.length) continue;
    aside.appendChild(el("h2", "", T.groups[role]));
    for (const p of group) add(p.chat, p.name, describe(p) + (p.invitation ? " · " + T.code + " " + p.invitation : ""), aside);
  }
  const me = people.find((p) => p.chat === chat);
  $("whoname").textContent = me ? me.name + " · " + describe(me) : T.visitor;
  badges();
}
function choose(c) { chat = c; localStorage.sandboxChat = c; renderPeople(); restart(); }
function setLook(l) {
  look = l; localStorage.sandboxLook = l; document.body.className = "look-" + l;
  document.querySelectorAll("#looks button").forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.look === l)));
  $("file").accept = l === "zalo" ? "image/*" : "image/*,.pdf,.doc,.docx,.xls,.xlsx";
  restart();
}
async function loadPeople() {
  const r = await api("/sandbox/api/people"); people = r.people;
  // A chat kept from another database (the folder was reset): back to the visitor's own.
  if (chat !== visitor && !people.some((p) => p.chat === chat)) { choose(visitor); return; }
  renderPeople();
}
async function loadState() {
  const s = await api("/sandbox/api/state");
  $("empty").hidden = !s.empty;
  showClock(s.clock);
}
function showClock(c) { const b = $("clockbtn"); b.textContent = "🕘 " + c.when + (c.shifted ? " (" + T.clockShifted + ")" : ""); b.classList.toggle("shifted", c.shifted); }

async function sendText(text) {
  try { await post("/sandbox/api/send", { chat: chat, text: text }); } catch (e) { toast(e.message); }
}
async function sendChoice(value, label) {
  document.querySelectorAll("#log .kb button").forEach((b) => { b.disabled = true; });
  try { await post("/sandbox/api/send", { chat: chat, choice: value, label: label }); } catch (e) { toast(e.message); }
}
async function upload(file) {
  const photo = file.type.startsWith("image/");
  if (look === "zalo" && !photo) { toast(T.zaloPhotosOnly); return; }
  try {
    await api("/sandbox/api/upload?chat=" + encodeURIComponent(chat) + "&kind=" + (photo ? "photo" : "document") + "&name=" + encodeURIComponent(file.name),
      { method: "POST", headers: { "content-type": file.type || "application/octet-stream" }, body: file });
  } catch (e) { toast(e.status === 413 ? T.tooLarge : e.message); }
}

async function openClock() {
  const c = await api("/sandbox/api/clock");
  $("about").textContent = c.about || "";
  const list = $("presets"); list.textContent = "";
  for (const p of c.presets) { const b = el("button", "", p.label); b.type = "button"; b.appendChild(el("small", "", p.when)); b.onclick = () => jump(p.at); list.appendChild(b); }
  const local = new Date(Date.parse(c.now) + 7 * 3600000).toISOString().slice(0, 16);
  $("at").value = local;
  $("clock").showModal();
}
async function jump(at) {
  try { const r = await post("/sandbox/api/clock", { at: at }); showClock(r); toast(r.message); $("clock").close(); }
  catch (e) { toast(e.message); }
}

$("f").onsubmit = (e) => { e.preventDefault(); const t = $("t"); const v = t.value; if (v.trim()) { t.value = ""; sendText(v); } };
$("file").onchange = () => { const f = $("file").files[0]; if (f) upload(f); $("file").value = ""; };
$("who").onchange = () => choose($("who").value);
document.querySelectorAll("#looks button").forEach((b) => { b.onclick = () => setLook(b.dataset.look); });
$("clockbtn").onclick = openClock;
$("closeclock").onclick = () => $("clock").close();
$("realtime").onclick = () => jump(null);
$("go").onclick = () => { const v = $("at").value; if (v) jump(v + ":00+07:00"); };
$("example").onclick = async () => {
  const b = $("example"); b.disabled = true; b.textContent = T.loading;
  try { const r = await post("/sandbox/api/example", {}); toast(r.message); await loadState(); await loadPeople(); }
  catch (e) { toast(e.message); } finally { b.disabled = false; b.textContent = T.loadExample; }
};
setLook(look);
loadState().then(loadPeople).catch((e) => toast(e.message));
setInterval(() => { api("/sandbox/api/clock").then(showClock, () => {}); loadPeople().catch(() => {}); }, 20000);
`;

export function sandboxPage(opts: { locked: boolean; maxFileMb?: number }): string {
  const t = vi.sandbox;
  const p = t.page;
  const head = `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(t.title)}</title><link rel="icon" href="data:,"><style>${style}</style></head>`;
  if (opts.locked) {
    return `${head}<body><div class="top"><h1>${esc(t.title)}</h1></div><div class="card"><p>${esc(t.needKey)}</p></div></body></html>`;
  }
  const texts = { ...p, tooLarge: t.upload.tooLarge(opts.maxFileMb ?? 20) };
  return `${head}
<body class="look-telegram">
<div class="top"><h1>${esc(t.title)}<p>${esc(t.intro)}</p></h1>
<span class="seg" id="looks" role="group" aria-label="${esc(p.lookLabel)}"><button type="button" data-look="telegram">${esc(p.looks.telegram)}</button><button type="button" data-look="zalo">${esc(p.looks.zalo)}</button></span>
<button type="button" id="clockbtn" title="${esc(p.clockTitle)}">🕘</button></div>
<main>
<aside id="people" aria-label="${esc(p.people)}"></aside>
<section>
<div class="chathead"><span class="who" id="whoname"></span><select id="who" aria-label="${esc(p.people)}"></select></div>
<div class="card" id="empty" hidden><h2>${esc(p.emptyTitle)}</h2><p>${esc(p.emptyText)}</p><button type="button" id="example">${esc(p.loadExample)}</button></div>
<div id="log" aria-live="polite"></div>
<form id="f"><label class="attach" title="${esc(p.attach)}">📎<input type="file" id="file" hidden></label><input type="text" id="t" autocomplete="off" placeholder="${esc(t.placeholder)}" aria-label="${esc(t.placeholder)}"><button type="submit">${esc(t.send)}</button></form>
</section>
</main>
<dialog id="clock"><h2>${esc(p.clockTitle)}</h2><p>${esc(p.clockIntro)}</p><p id="about"></p><div id="presets"></div>
<div class="row"><input type="datetime-local" id="at" aria-label="${esc(p.clockTitle)}"><button type="button" id="go">${esc(p.clockGo)}</button></div>
<div class="row"><button type="button" id="realtime">${esc(p.clockReal)}</button><button type="button" id="closeclock">${esc(p.close)}</button></div></dialog>
<div id="toast" role="status"></div>
<script>window.TEXTS = ${scriptJson(texts)};</script>
<script>${script}</script>
</body></html>`;
}
