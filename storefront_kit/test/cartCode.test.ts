import { describe, expect, it } from "vitest";

import { cartCode, checkoutToken } from "../src/index.js";
import table from "./shared/cart-codes.json" with { type: "json" };

describe("cartCode", () => {
  it.each(table.cases)("$token is $code, as the server computes it", ({ token, globalId, code }) => {
    expect(cartCode(token)).toBe(code);
    expect(cartCode(token.toUpperCase())).toBe(code);
    expect(cartCode(globalId)).toBe(code);
    // The storefront's `checkoutId-<channel>` cookie may hold it URL-encoded.
    expect(cartCode(encodeURIComponent(globalId))).toBe(code);
    expect(checkoutToken(globalId)).toBe(token);
  });

  it("refuses what is neither a token nor a Checkout id", () => {
    const order = btoa("Order:e539a78b-c8ef-4346-8b12-ae6ead581e57");
    for (const value of ["", "E539-A78B", "not a token", order, btoa("Checkout:nope")]) {
      expect(checkoutToken(value)).toBeNull();
      expect(() => cartCode(value)).toThrow(TypeError);
    }
  });
});
