// The extension's token handling, through the real code: `DashboardProvider`
// (dashboard.tsx) and `graphql` (api.ts) behind the real "View user's cart"
// page. A fake Dashboard parent speaks the app-bridge protocol with
// window.postMessage events from its own origin; only `fetch` is stubbed, and
// it answers with the plugin's and Saleor's real responses, recorded by
// `scripts/record-extension-fixtures` into fixtures/*.json.
import { act, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { App } from "../App";
import { DashboardProvider } from "../dashboard";

type Recorded = { status: number; body: unknown };
const fixture = <T = Recorded,>(name: string): T =>
  JSON.parse(readFileSync(join(process.cwd(), "src/test/fixtures", `${name}.json`), "utf8")) as T;

const context = fixture<{
  recordedAt: string;
  draftOrderId: string;
  dashboardToken: string;
  refreshedDashboardToken: string;
  noGrantDashboardToken: string;
}>("context");
const sessionToken = (name: string): string =>
  (fixture(name).body as { data: { dashboardSessionCreate: { token: string } } }).data
    .dashboardSessionCreate.token;
const SESSION = sessionToken("session-create");
const RENEWED = sessionToken("session-renew");
const FROM_REFRESHED = sessionToken("session-create-refreshed");
const NO_GRANT = sessionToken("session-create-no-grant");

const DASHBOARD = "https://dashboard.example.com";
const SALEOR_API = "https://api.example.com/graphql/";
const PLUGIN_API = "/plugins/global/saleor.cart_takeover/graphql/";
const MINUTE = 60_000;

type Call = { url: string; operation: string; bearer?: string };

/** `fetch` answering each request with `answer(call)`; records what was sent. */
function server(answer: (call: Call) => Recorded | Promise<Recorded>) {
  const calls: Call[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (url: string, init: RequestInit) => {
      const { query } = JSON.parse(init.body as string) as { query: string };
      const authorization = (init.headers as Record<string, string>).Authorization;
      const call = {
        url,
        operation: /(?:query|mutation)\s+(\w+)/.exec(query)?.[1] ?? "anonymous",
        bearer: authorization?.replace(/^Bearer /, ""),
      };
      calls.push(call);
      const { status, body } = await Promise.resolve()
        .then(() => answer(call))
        .catch((error) => {
          console.error(String(error));
          throw error;
        });
      return new Response(JSON.stringify(body), {
        status,
        headers: { "Content-Type": "application/json" },
      });
    }),
  );
  const exchanges = () => calls.filter((call) => call.operation === "DashboardSession");
  return { calls, exchanges };
}

/** The answers of a plugin that knows `session` and a draft with no takeover yet. */
function normalAnswers(session: string) {
  return (call: Call): Recorded => {
    if (call.url === SALEOR_API && call.operation === "Order") return fixture("saleor-order");
    if (call.url !== PLUGIN_API || call.bearer !== session) throw new Error(`unexpected ${JSON.stringify(call)}`);
    if (call.operation === "Sessions") return fixture("sessions-none");
    if (call.operation === "CustomerCarts") return fixture("customer-carts");
    throw new Error(`unexpected ${JSON.stringify(call)}`);
  };
}

/** Opens the page in a fake Dashboard that hands it `token` on handshake. */
function openInDashboard(token: string) {
  const send = (type: string, payload: Record<string, unknown>) =>
    act(() => {
      window.dispatchEvent(new MessageEvent("message", { origin: DASHBOARD, data: { type, payload } }));
    });
  const actions: { type: string }[] = [];
  // In jsdom the page is its own parent: what the app posts "to the Dashboard" lands here.
  vi.spyOn(window, "postMessage").mockImplementation((message: unknown) => {
    const action = message as { type: string; payload: { actionId: string } };
    actions.push(action);
    // The Dashboard answers every action, and `notifyReady` with a handshake.
    window.setTimeout(() => {
      void send("response", { actionId: action.payload.actionId, ok: true });
      if (action.type === "notifyReady") {
        void send("handshake", { token, version: 1, saleorVersion: "3.23.28", dashboardVersion: "3.23.27" });
      }
    }, 0);
  });
  render(
    <DashboardProvider>
      <App page="takeover" />
    </DashboardProvider>,
  );
  return { actions, send };
}

beforeEach(() => {
  vi.useFakeTimers({
    shouldAdvanceTime: true,
    toFake: ["Date", "setTimeout", "clearTimeout", "setInterval", "clearInterval"],
  });
  vi.setSystemTime(new Date(context.recordedAt));
  Object.defineProperty(document, "referrer", { value: `${DASHBOARD}/orders/drafts/`, configurable: true });
  const query = new URLSearchParams({ draftOrderId: context.draftOrderId, saleorApiUrl: SALEOR_API });
  window.history.replaceState(null, "", `/plugins/global/saleor.cart_takeover/dashboard/takeover?${query}`);
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

const customersCarts = () => screen.findByText(/Leslie Wade has no cart in channel/);

describe("the dashboard session", () => {
  it("is traded for the Dashboard's token right after the handshake and used for every plugin call", async () => {
    const { calls, exchanges } = server((call) =>
      call.operation === "DashboardSession" && call.bearer === context.dashboardToken
        ? fixture("session-create")
        : normalAnswers(SESSION)(call),
    );
    const { actions } = openInDashboard(context.dashboardToken);
    expect(screen.getByText("Connecting to the Dashboard…")).toBeInTheDocument();

    expect(await customersCarts()).toBeInTheDocument();
    expect(actions[0].type).toBe("notifyReady");
    expect(exchanges()).toEqual([
      { url: PLUGIN_API, operation: "DashboardSession", bearer: context.dashboardToken },
    ]);
    // The plugin sees the Dashboard's token once, then only the session;
    // Saleor gets the Dashboard's own token.
    expect(calls.filter((call) => call.url === PLUGIN_API).map((call) => [call.operation, call.bearer])).toEqual([
      ["DashboardSession", context.dashboardToken],
      ["Sessions", SESSION],
      ["CustomerCarts", SESSION],
    ]);
    expect(calls.filter((call) => call.url === SALEOR_API).map((call) => call.bearer)).toEqual([
      context.dashboardToken,
    ]);
  });

  it("is renewed with itself ten minutes before it runs out, long after the Dashboard's token died", async () => {
    const { calls, exchanges } = server((call) => {
      if (call.operation === "CartByCode" && call.bearer === RENEWED) return fixture("cart-by-code-unknown");
      if (call.operation !== "DashboardSession") return normalAnswers(SESSION)(call);
      if (call.bearer === context.dashboardToken) return fixture("session-create");
      if (call.bearer === SESSION) return fixture("session-renew");
      throw new Error(`unexpected ${JSON.stringify(call)}`);
    });
    openInDashboard(context.dashboardToken);
    await customersCarts();
    // The recorded session lasts an hour; nothing is renewed before 50 minutes.
    await act(() => vi.advanceTimersByTimeAsync(49 * MINUTE));
    expect(exchanges()).toHaveLength(1);

    await act(() => vi.advanceTimersByTimeAsync(2 * MINUTE));
    expect(exchanges().map((call) => call.bearer)).toEqual([context.dashboardToken, SESSION]);

    // The renewal moved the expiry: the next minutes need no exchange.
    await act(() => vi.advanceTimersByTimeAsync(5 * MINUTE));
    expect(exchanges()).toHaveLength(2);

    // What the rep does next goes out with the renewed session.
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    await user.type(screen.getByPlaceholderText("1A2B-3C4D"), "0000-0000");
    await user.click(screen.getByRole("button", { name: "Find cart" }));
    await waitFor(() =>
      expect(calls.filter((call) => call.operation === "CartByCode").map((call) => call.bearer)).toEqual([RENEWED]),
    );
    expect(screen.queryByTestId("error")).not.toBeInTheDocument();
  });

  it("is exchanged anew with the token of the Dashboard's latest tokenRefresh when the plugin refuses it", async () => {
    let release = () => undefined as void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const { calls, exchanges } = server(async (call) => {
      if (call.operation === "DashboardSession") {
        if (call.bearer === context.dashboardToken) return fixture("session-create");
        if (call.bearer === context.refreshedDashboardToken) return fixture("session-create-refreshed");
      }
      if (call.operation === "Sessions" && call.bearer === SESSION) {
        await held; // until the Dashboard has refreshed its token
        return fixture("expired-session");
      }
      return normalAnswers(FROM_REFRESHED)(call);
    });
    const { send } = openInDashboard(context.dashboardToken);
    await waitFor(() => expect(calls.some((call) => call.operation === "Sessions")).toBe(true));

    await send("tokenRefresh", { token: context.refreshedDashboardToken });
    release();

    expect(await customersCarts()).toBeInTheDocument();
    expect(exchanges().map((call) => call.bearer)).toEqual([
      context.dashboardToken,
      context.refreshedDashboardToken,
    ]);
    expect(calls.filter((call) => call.operation === "Sessions").map((call) => call.bearer)).toEqual([
      SESSION,
      FROM_REFRESHED,
    ]);
    expect(screen.queryByTestId("error")).not.toBeInTheDocument();
  });

  it("tells the rep to reopen the page when the session and the Dashboard's token have both expired", async () => {
    const { exchanges } = server((call) => {
      if (call.operation === "DashboardSession") {
        return call.bearer === context.dashboardToken && exchanges().length === 1
          ? fixture("session-create")
          : fixture("expired-dashboard-token");
      }
      if (call.operation === "Sessions") return fixture("expired-session");
      return normalAnswers(SESSION)(call);
    });
    openInDashboard(context.dashboardToken);

    const error = await screen.findByTestId("error");
    expect(error).toHaveTextContent("Your session has ended");
    expect(error).toHaveTextContent("Close this window and open it again from the Dashboard.");
    // One retry with the Dashboard's token, which had expired too.
    expect(exchanges().map((call) => call.bearer)).toEqual([context.dashboardToken, context.dashboardToken]);
    expect(screen.queryByText("Find a cart by its code")).not.toBeInTheDocument();
  });

  it("shows a rep without the takeover grant what is missing, and no carts", async () => {
    const { calls } = server((call) => {
      if (call.operation === "DashboardSession" && call.bearer === context.noGrantDashboardToken) {
        return fixture("session-create-no-grant");
      }
      if (call.operation === "Sessions" && call.bearer === NO_GRANT) return fixture("sessions-no-grant");
      // Saleor shows a rep with Manage orders the draft itself.
      if (call.url === SALEOR_API) return fixture("saleor-order");
      throw new Error(`unexpected ${JSON.stringify(call)}`);
    });
    openInDashboard(context.noGrantDashboardToken);

    const error = await screen.findByTestId("error");
    expect(error).toHaveTextContent("You don't have permission for this");
    expect(error).toHaveTextContent("ask an administrator for the takeover grant");
    expect(error).toHaveTextContent("Cart takeover needs Manage orders and the cart takeover grant");
    expect(error).toHaveTextContent("Orders → Cart takeovers");
    expect(screen.queryByText("Find a cart by its code")).not.toBeInTheDocument();
    expect(screen.queryByText(/has no cart|carts$/)).not.toBeInTheDocument();
    expect(calls.map((call) => call.operation)).not.toContain("CustomerCarts");
  });
});
