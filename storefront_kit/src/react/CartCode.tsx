"use client";

import type { ReactNode } from "react";

import { cartCode, checkoutToken } from "../cartCode.js";

export type CartCodeProps = {
  /** The checkout's token or its `Checkout:<token>` global id (the storefront's cookie holds one). */
  checkout: string | { token: string } | null | undefined;
  /** Shown before the code; null for none. Default "Cart code". */
  label?: ReactNode;
  className?: string;
  /** Render the code yourself. */
  children?: (code: string) => ReactNode;
};

/** The code a shopper reads out to customer service (`XXXX-XXXX`); nothing without a checkout. */
export function CartCode({ checkout, label = "Cart code", className, children }: CartCodeProps) {
  const value = typeof checkout === "string" ? checkout : checkout?.token;
  if (!value || checkoutToken(value) === null) return null;
  const code = cartCode(value);
  if (children) return <>{children(code)}</>;
  return (
    <span className={className} data-cart-code={code}>
      {label !== null && label !== undefined && label !== "" ? <span data-cart-code-label="">{label} </span> : null}
      {/* translate="no": a browser translating the page must not touch the code. */}
      <strong translate="no">{code}</strong>
    </span>
  );
}
