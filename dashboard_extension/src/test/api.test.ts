import { afterEach, describe, expect, it, vi } from "vitest";

import { ApiError, graphql, pluginGraphqlUrl } from "../api";
import { toBcp47 } from "../i18n";

afterEach(() => vi.unstubAllGlobals());

describe("pluginGraphqlUrl", () => {
  it("points next to the page the plugin served", () => {
    expect(pluginGraphqlUrl("/plugins/global/saleor.cart_takeover/dashboard/takeover")).toBe(
      "/plugins/global/saleor.cart_takeover/graphql/",
    );
    expect(pluginGraphqlUrl("/plugins/global/saleor.cart_takeover/dashboard")).toBe(
      "/plugins/global/saleor.cart_takeover/graphql/",
    );
  });
});

describe("graphql", () => {
  it("turns the plugin's 401 into an Unauthenticated error", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () =>
        new Response(
          JSON.stringify({ errors: [{ message: "The access token has expired.", extensions: { exception: { code: "Unauthenticated" } } }] }),
          { status: 401 },
        ),
      ),
    );
    await expect(graphql("/x", "{ viewer { email } }", {}, "t")).rejects.toMatchObject({
      code: "Unauthenticated",
      status: 401,
    });
  });

  it("sends the bearer token and returns data", async () => {
    const fetch = vi.fn(async () => new Response(JSON.stringify({ data: { ok: 1 } }), { status: 200 }));
    vi.stubGlobal("fetch", fetch);
    expect(await graphql("/x", "{ ok }", { a: 1 }, "tok")).toEqual({ ok: 1 });
    const [, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect((init.headers as Record<string, string>).Authorization).toBe("Bearer tok");
  });

  it("reports an unreachable server", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => Promise.reject(new TypeError("fail"))));
    await expect(graphql("/x", "{ ok }")).rejects.toBeInstanceOf(ApiError);
  });
});

describe("toBcp47", () => {
  it("maps Dashboard locale codes", () => {
    expect(toBcp47("PT_BR")).toBe("pt-BR");
    expect(toBcp47("en")).toBe("en");
    expect(toBcp47(undefined)).toBe("en");
  });
});
