// The fault proxy itself: waitHeld counts the answers withheld now, not
// those of an earlier hold (a stale count let a test run on before its
// request was even sent, on a loaded machine).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTelegramEmulator, type TelegramEmulator } from "../emulators/telegram.ts";
import { startHoldProxy, type HoldProxy } from "./hold-proxy.ts";

let tg: TelegramEmulator;
let proxy: HoldProxy;

beforeAll(async () => {
  tg = await startTelegramEmulator();
  proxy = await startHoldProxy(tg.apiRoot);
});

afterAll(async () => {
  proxy.release();
  await proxy.close();
  await tg.close();
});

const send = (chatId: number) =>
  fetch(`${proxy.url}/bot${tg.token}/sendMessage`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ chat_id: chatId, text: "x" }) });

describe("the hold proxy", () => {
  it("waits for answers withheld by the current hold, not by an earlier one", async () => {
    proxy.hold();
    const first = send(1);
    await proxy.waitHeld(1);
    proxy.release();
    expect((await first).status).toBe(200);

    proxy.hold();
    let resolved = false;
    const waiting = proxy.waitHeld(1).then(() => (resolved = true));
    // Nothing is withheld yet: the wait must still be pending once the event loop has turned.
    await new Promise((r) => setImmediate(r));
    expect(resolved).toBe(false);
    const second = send(2);
    await waiting;
    proxy.release();
    expect((await second).status).toBe(200);
  });
});
