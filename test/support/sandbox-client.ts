// Drives the sandbox's JSON API as a script would (README, "The sandbox"):
// each action waits until the bot has handled it and sent everything
// (`idle` in the messages reply), then returns what the bot said.
import type { ShownEntry } from "../../src/sandbox/looks.ts";

export type Who = { chat: string } | { as: string };
export type Look = "telegram" | "zalo";

export interface Messages {
  chat: string;
  idle: boolean;
  entries: ShownEntry[];
  latest: Record<string, number>;
}

/** Every text a set of entries shows: message texts and captions, in order. */
export function textOf(entries: readonly ShownEntry[]): string {
  return entries
    .flatMap((e) => e.bubbles)
    .map((b) => ("text" in b ? b.text : "caption" in b ? (b.caption ?? "") : ""))
    .join("\n");
}

const whoQuery = (who: Who) => ("chat" in who ? `chat=${encodeURIComponent(who.chat)}` : `as=${encodeURIComponent(who.as)}`);

export function sandboxClient(base: string, key: string, opts: { look?: Look; timeoutMs?: number } = {}) {
  const look = opts.look ?? "telegram";
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const headers = { "x-sandbox-key": key };

  async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
    const r = await fetch(base + path, { ...init, headers: { ...headers, ...(init.headers as Record<string, string> | undefined) } });
    const body = (await r.json()) as T & { error?: string };
    if (!r.ok) throw new Error(`${init.method ?? "GET"} ${path}: ${r.status} ${body.error ?? ""}`);
    return body;
  }
  const post = <T>(path: string, body: unknown) => api<T>(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const messages = (who: Who, after = 0, l: Look = look) => api<Messages>(`/sandbox/api/messages?${whoQuery(who)}&look=${l}&after=${after}`);

  /** Waits until nothing is on its way to the chat, then returns the bot's entries after `after`. */
  async function settle(who: Who, after: number): Promise<ShownEntry[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = await messages(who, after);
      if (m.idle) return m.entries.filter((e) => e.from === "bot");
      if (Date.now() > deadline) throw new Error(`the bot did not finish answering within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20)); // pacing between polls
    }
  }

  return {
    api,
    post,
    messages,
    settle,
    async say(who: Who, text: string): Promise<ShownEntry[]> {
      const r = await post<{ id: number }>("/sandbox/api/send", { ...who, text });
      return settle(who, r.id);
    },
    /** Telegram: taps the newest button with this label. Zalo: types the label, as a Zalo user would. */
    async choose(who: Who, label: string): Promise<ShownEntry[]> {
      if (look === "zalo") return this.say(who, label);
      const all = (await messages(who)).entries;
      for (const e of [...all].reverse()) {
        for (const b of e.bubbles) {
          const button = "buttons" in b ? b.buttons?.flat().find((x) => x.label === label || x.label.startsWith(label)) : undefined;
          if (button) {
            const r = await post<{ id: number }>("/sandbox/api/send", { ...who, choice: button.value, label: button.label });
            return settle(who, r.id);
          }
        }
      }
      throw new Error(`no button "${label}" in the chat`);
    },
    async upload(who: Who, data: Uint8Array, name: string, mimeType: string): Promise<ShownEntry[]> {
      const r = await api<{ id: number }>(`/sandbox/api/upload?${whoQuery(who)}&name=${encodeURIComponent(name)}`, {
        method: "POST",
        headers: { "content-type": mimeType },
        body: data,
      });
      return settle(who, r.id);
    },
    /** Waits for a message the bot sends on its own (a reminder), without sending anything. */
    async waitFor(who: Who, after: number, predicate: (text: string) => boolean): Promise<ShownEntry[]> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const m = await messages(who, after);
        const found = m.entries.filter((e) => e.from === "bot" && predicate(textOf([e])));
        if (found.length > 0) return found;
        if (Date.now() > deadline) throw new Error(`no such message within ${timeoutMs} ms; last: ${textOf(m.entries).slice(-300)}`);
        await new Promise((resolve) => setTimeout(resolve, 50)); // pacing between polls
      }
    },
    async file(url: string): Promise<{ status: number; type: string | null; disposition: string | null; bytes: Uint8Array }> {
      const r = await fetch(url, { headers });
      return { status: r.status, type: r.headers.get("content-type"), disposition: r.headers.get("content-disposition"), bytes: new Uint8Array(await r.arrayBuffer()) };
    },
  };
}

export type SandboxClient = ReturnType<typeof sandboxClient>;
