import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { TakeoverScreen } from "../components/TakeoverScreen";
import type { Cart, Session } from "../queries";
import { fakeDashboard, renderWith } from "./fakeDashboard";

const usd = (amount: number) => ({ amount, currency: "USD" });

function cart(overrides: Partial<Cart> = {}): Cart {
  return {
    id: "Q2hlY2tvdXQ6MQ==",
    code: "1A2B-3C4D",
    channel: "default-channel",
    currency: "USD",
    email: "wade@example.com",
    customerId: "VXNlcjox",
    customerName: "Wade Wilson",
    quantity: 1,
    subtotal: usd(12),
    updatedAt: "2026-01-01T10:00:00Z",
    takenOver: true,
    pickupPoint: null,
    pickupContacts: null,
    pickupContactsError: null,
    lines: [
      {
        id: "line-1",
        variantId: "v-1",
        sku: "MUG-S",
        productName: "Engravable mug",
        variantName: "Small",
        quantity: 1,
        metadata: [{ key: "engraving", value: "For Ada" }],
        unitPrice: usd(12),
        totalPrice: usd(12),
        addedByCustomerService: false,
      },
    ],
    ...overrides,
  };
}

function session(overrides: Partial<Session> = {}): Session {
  return {
    id: "session-1",
    status: "ACTIVE",
    endReason: null,
    draftOrderId: "draft-1",
    draftOrderNumber: "17",
    cartCode: "1A2B-3C4D",
    channel: "default-channel",
    customerId: "VXNlcjox",
    customerEmail: "wade@example.com",
    startedByEmail: "csr@example.com",
    heldByEmail: "csr@example.com",
    startedAt: "2026-01-01T10:00:00Z",
    endedAt: null,
    expiresAt: "2026-01-01T10:30:00Z",
    lastCopiedAt: null,
    orderId: null,
    orderNumber: null,
    cart: cart(),
    ...overrides,
  };
}

const order = {
  id: "draft-1",
  number: "17",
  status: "DRAFT",
  userEmail: "wade@example.com",
  user: { id: "VXNlcjox", email: "wade@example.com", firstName: "Wade", lastName: "Wilson" },
  channel: { slug: "default-channel", name: "Default", currencyCode: "USD" },
  collectionPointName: null,
  privateMetadata: [],
};

function resumable(extra: Record<string, (v: Record<string, unknown>) => unknown> = {}) {
  return fakeDashboard({
    Order: () => ({ order }),
    Sessions: () => ({ takeoverSessions: [session()] }),
    Start: () => ({ takeoverStart: { session: session(), errors: [] } }),
    Filters: () => ({ productTypes: { edges: [] }, categories: { edges: [] } }),
    ...extra,
  });
}

describe("TakeoverScreen", () => {
  it("says plainly whose cart the rep is editing", async () => {
    const { dashboard } = resumable();
    renderWith(dashboard, <TakeoverScreen draftOrderId="draft-1" context="draft" />);

    expect(await screen.findByRole("heading", { name: "Editing Wade Wilson's cart" })).toBeVisible();
    const whose = screen.getByTestId("whose-cart");
    expect(whose).toHaveTextContent("You (csr@example.com) are changing Wade Wilson's own cart");
    expect(whose).toHaveTextContent("This is not your cart");
    expect(screen.getByText("For Ada")).toBeVisible();
    expect(screen.getByTestId("subtotal")).toHaveTextContent("$12.00");
  });

  it("adds items to the order, then notifies, refreshes the draft and closes", async () => {
    const { dashboard, calls } = resumable({
      Copy: () => ({
        takeoverCopyToDraft: {
          session: session({ status: "ENDED" }),
          errors: [],
          result: { added: 1, updated: 0, removed: 0, unchanged: 0 },
        },
      }),
    });
    renderWith(dashboard, <TakeoverScreen draftOrderId="draft-1" context="draft" />);
    const button = await screen.findByRole("button", { name: "Add Items to Order" });

    await userEvent.dblClick(button);

    await waitFor(() => expect(dashboard.dispatch).toHaveBeenCalledTimes(3));
    const copies = calls.filter((c) => c.operation === "Copy");
    expect(copies).toEqual([{ operation: "Copy", variables: { session: "session-1", handBack: true } }]);
    const sent = (dashboard.dispatch as ReturnType<typeof vi.fn>).mock.calls.map(([a]) => a.type);
    expect(sent).toEqual(["notification", "refreshEntity", "popupClose"]);
    expect(await screen.findByTestId("notice")).toHaveTextContent("draft order #17");
  });

  it("copies and keeps editing without closing", async () => {
    const { dashboard, calls } = resumable({
      Copy: () => ({
        takeoverCopyToDraft: { session: session(), errors: [], result: { added: 1, updated: 0, removed: 0, unchanged: 0 } },
      }),
    });
    renderWith(dashboard, <TakeoverScreen draftOrderId="draft-1" context="draft" />);
    await userEvent.click(await screen.findByRole("button", { name: "Copy to order and keep editing" }));

    await waitFor(() => expect(dashboard.dispatch).toHaveBeenCalledTimes(2));
    expect(calls.find((c) => c.operation === "Copy")?.variables.handBack).toBe(false);
    expect(screen.getByRole("button", { name: "Add Items to Order" })).toBeEnabled();
  });

  it("asks before ending without copying", async () => {
    const { dashboard, calls } = resumable({
      End: () => ({ takeoverEnd: { session: session({ status: "ENDED" }), errors: [] } }),
    });
    renderWith(dashboard, <TakeoverScreen draftOrderId="draft-1" context="draft" />);
    await userEvent.click(await screen.findByRole("button", { name: "End takeover" }));
    expect(calls.some((c) => c.operation === "End")).toBe(false);

    await userEvent.click(screen.getByRole("button", { name: "Yes, end takeover" }));
    await waitFor(() => expect(calls.some((c) => c.operation === "End")).toBe(true));
    expect(await screen.findByText(/has the cart back; nothing was added/)).toBeVisible();
  });

  it("reverts only after an in-page confirmation", async () => {
    const { dashboard, calls } = resumable({
      Revert: () => ({ takeoverRevert: { session: session(), errors: [] } }),
    });
    renderWith(dashboard, <TakeoverScreen draftOrderId="draft-1" context="draft" />);
    await userEvent.click(await screen.findByRole("button", { name: "Revert my changes" }));
    expect(calls.some((c) => c.operation === "Revert")).toBe(false);
    expect(screen.getByRole("group", { name: "Confirm revert" })).toHaveTextContent("Undo every change");

    await userEvent.click(screen.getByRole("button", { name: "Cancel" }));
    expect(calls.some((c) => c.operation === "Revert")).toBe(false);
    await userEvent.click(screen.getByRole("button", { name: "Revert my changes" }));
    await userEvent.click(screen.getByRole("button", { name: "Yes, revert" }));

    await waitFor(() => expect(calls.filter((c) => c.operation === "Revert")).toHaveLength(1));
    expect(calls.find((c) => c.operation === "Revert")?.variables).toEqual({ session: "session-1" });
    expect(await screen.findByTestId("notice")).toHaveTextContent("back as it was when you opened it");
  });

  it("lists the lines a revert could not restore next to the restored cart", async () => {
    const { dashboard } = resumable({
      Revert: () => ({
        takeoverRevert: {
          session: session(),
          errors: [
            {
              field: "lines.1",
              code: "INSUFFICIENT_STOCK",
              message: "Mug (White) could not be restored: Only 0 remaining in stock.",
            },
          ],
        },
      }),
    });
    renderWith(dashboard, <TakeoverScreen draftOrderId="draft-1" context="draft" />);
    await userEvent.click(await screen.findByRole("button", { name: "Revert my changes" }));
    await userEvent.click(screen.getByRole("button", { name: "Yes, revert" }));

    expect(await screen.findByTestId("not-restored")).toHaveTextContent("Mug (White) could not be restored");
    expect(screen.getByTestId("notice")).toHaveTextContent("except 1 line");
    expect(screen.getByRole("heading", { name: "Editing Wade Wilson's cart" })).toBeVisible();
  });

  it("names the rep who already holds the cart", async () => {
    const { dashboard } = resumable({
      Start: () => ({
        takeoverStart: {
          session: null,
          errors: [
            { field: null, code: "ALREADY_TAKEN_OVER", message: "csr2@example.com is already editing this cart." },
          ],
        },
      }),
    });
    renderWith(dashboard, <TakeoverScreen draftOrderId="draft-1" context="draft" />);
    const alert = await screen.findByTestId("error");
    expect(alert).toHaveTextContent("Another rep holds this cart");
    expect(alert).toHaveTextContent("csr2@example.com");
  });

  it("offers to start again when the session has expired", async () => {
    const { dashboard } = resumable({
      LinesDelete: () => ({
        takeoverLinesDelete: {
          session: null,
          errors: [{ field: "sessionId", code: "SESSION_NOT_ACTIVE", message: "The takeover has expired." }],
        },
      }),
    });
    renderWith(dashboard, <TakeoverScreen draftOrderId="draft-1" context="draft" />);
    await userEvent.click(await screen.findByRole("button", { name: "Remove Engravable mug (Small)" }));
    expect(await screen.findByTestId("error")).toHaveTextContent("This takeover is no longer active");
    expect(screen.getByRole("button", { name: "Start again" })).toBeVisible();
  });

  it("shows an empty cart plainly", async () => {
    const empty = session({ cart: cart({ lines: [], quantity: 0, subtotal: usd(0) }) });
    const { dashboard } = resumable({
      Sessions: () => ({ takeoverSessions: [empty] }),
      Start: () => ({ takeoverStart: { session: empty, errors: [] } }),
    });
    renderWith(dashboard, <TakeoverScreen draftOrderId="draft-1" context="draft" />);
    expect(await screen.findByTestId("empty-cart")).toHaveTextContent("The cart is empty");
  });

  it("lets the rep pick the customer's cart when no takeover runs yet", async () => {
    const { dashboard, calls } = fakeDashboard({
      Order: () => ({ order }),
      Sessions: () => ({ takeoverSessions: [] }),
      CustomerCarts: () => ({ customerCarts: [cart({ takenOver: false })] }),
      Start: () => ({ takeoverStart: { session: session(), errors: [] } }),
      Filters: () => ({ productTypes: { edges: [] }, categories: { edges: [] } }),
    });
    renderWith(dashboard, <TakeoverScreen draftOrderId="draft-1" context="draft" />);
    await userEvent.click(await screen.findByRole("button", { name: "Take over Wade Wilson's cart" }));
    expect(await screen.findByRole("heading", { name: "Editing Wade Wilson's cart" })).toBeVisible();
    expect(calls.find((c) => c.operation === "Start")?.variables).toEqual({
      draft: "draft-1",
      checkout: "Q2hlY2tvdXQ6MQ==",
      code: null,
    });
  });
});
