// The short code a shopper reads out to customer service: the first 8 hex
// digits of the checkout token, upper-case, `XXXX-XXXX` (the plugin's
// `carts.cart_code`). No request: the token is in every checkout query.

import { CART_CODE_LENGTH } from "./keys.generated.js";

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

function decodeBase64(value: string): string | null {
  try {
    const standard = value.replace(/-/g, "+").replace(/_/g, "/");
    return atob(standard);
  } catch {
    return null;
  }
}

/**
 * The checkout token of a token or a `Checkout:<token>` global id (base64, as
 * Saleor's API and the storefront's `checkoutId-<channel>` cookie hold it), or
 * null when the value is neither.
 */
export function checkoutToken(checkoutIdOrToken: string): string | null {
  let value = (checkoutIdOrToken ?? "").trim();
  if (UUID.test(value)) return value.toLowerCase();
  if (value.includes("%")) {
    try {
      value = decodeURIComponent(value); // a cookie value that was URL-encoded
    } catch {
      return null;
    }
  }
  const decoded = decodeBase64(value);
  if (decoded === null || !decoded.startsWith("Checkout:")) return null;
  const token = decoded.slice("Checkout:".length);
  return UUID.test(token) ? token.toLowerCase() : null;
}

/**
 * `XXXX-XXXX` for a checkout token or `Checkout:<token>` global id.
 * Throws a `TypeError` for anything else.
 */
export function cartCode(checkoutIdOrToken: string): string {
  const token = checkoutToken(checkoutIdOrToken);
  if (token === null) {
    throw new TypeError("cartCode() needs a checkout token or a Checkout global id.");
  }
  const digits = token.replace(/-/g, "").slice(0, CART_CODE_LENGTH).toUpperCase();
  return `${digits.slice(0, 4)}-${digits.slice(4)}`;
}
