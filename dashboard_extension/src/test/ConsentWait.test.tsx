import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { TakeoverScreen } from "../components/TakeoverScreen";
import type { Cart, Session } from "../queries";
import { fakeDashboard, renderWith } from "./fakeDashboard";

const cart: Cart = {
  id: "Q2hlY2tvdXQ6MQ==",
  code: "1A2B-3C4D",
  channel: "default-channel",
  currency: "USD",
  email: "wade@example.com",
  customerId: "VXNlcjox",
  customerName: "Wade Wilson",
  quantity: 0,
  subtotal: { amount: 0, currency: "USD" },
  updatedAt: "2026-01-01T10:00:00Z",
  takenOver: true,
  pickupPoint: null,
  pickupContacts: null,
  pickupContactsError: null,
  lines: [],
};

/** As the API answers: while the cart waits for consent, its code is null. */
function session(overrides: Partial<Session> = {}): Session {
  const pending = (overrides.status ?? "PENDING") === "PENDING";
  return {
    id: "session-1",
    status: "PENDING",
    endReason: null,
    draftOrderId: "draft-1",
    draftOrderNumber: "17",
    cartCode: pending ? null : "1A2B-3C4D",
    channel: "default-channel",
    customerId: "VXNlcjox",
    customerEmail: "wade@example.com",
    startedByEmail: "csr@example.com",
    heldByEmail: "csr@example.com",
    startedAt: "2026-01-01T10:00:00Z",
    endedAt: null,
    expiresAt: "2026-01-01T10:10:00Z",
    lastCopiedAt: null,
    orderId: null,
    orderNumber: null,
    cart: pending ? { ...cart, code: null } : cart,
    ...overrides,
  };
}

function waiting(answers: Session["status"][], answered: Session) {
  let polls = 0;
  return fakeDashboard({
    Order: () => ({ order: null }),
    Sessions: () => ({ takeoverSessions: [session()] }),
    Start: () => ({ takeoverStart: { session: session(), errors: [] } }),
    SessionStatus: () => {
      const status = answers[Math.min(polls, answers.length - 1)];
      polls += 1;
      return { takeoverSession: { id: "session-1", status } };
    },
    Session: () => ({ takeoverSession: answered }),
    Filters: () => ({ productTypes: { edges: [] }, categories: { edges: [] } }),
  });
}

describe("TakeoverScreen waiting for the shopper's consent", () => {
  it("waits without editing, then opens the cart once the shopper agrees", async () => {
    const { dashboard, calls } = waiting(["PENDING", "PENDING", "ACTIVE"], session({ status: "ACTIVE" }));
    renderWith(dashboard, <TakeoverScreen draftOrderId="draft-1" context="draft" pollMs={10} />);

    expect(await screen.findByTestId("pending")).toHaveTextContent("has to accept the takeover");
    expect(screen.getByTestId("session-status")).toHaveTextContent("Waiting for the shopper");
    expect(screen.queryByRole("button", { name: "Add Items to Order" })).toBeNull();
    expect(screen.getByTestId("whose-cart")).not.toHaveTextContent("code");
    // A waiting session was found by the draft whatever its status.
    expect(calls.find((c) => c.operation === "Sessions")?.variables.status).toBeNull();

    expect(await screen.findByRole("button", { name: "Add Items to Order" })).toBeEnabled();
    expect(screen.queryByTestId("pending")).toBeNull();
    expect(screen.getByTestId("session-status")).toHaveTextContent("Takeover active");
    expect(screen.getByTestId("whose-cart")).toHaveTextContent("code 1A2B-3C4D");
    // Polling asked only for the status until it changed, then loaded the session once.
    const operations = calls.map((c) => c.operation);
    expect(operations.filter((o) => o === "SessionStatus").length).toBeGreaterThanOrEqual(3);
    expect(operations.filter((o) => o === "Session")).toEqual(["Session"]);
    const polled = operations.length;
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(calls.length).toBe(polled); // no more polling once active
  });

  it("says so when the shopper declines, and offers to start again", async () => {
    const { dashboard } = waiting(
      ["ENDED"],
      session({ status: "ENDED", endReason: "The shopper declined", expiresAt: null }),
    );
    renderWith(dashboard, <TakeoverScreen draftOrderId="draft-1" context="draft" pollMs={10} />);

    expect(await screen.findByTestId("refused")).toHaveTextContent("The shopper declined");
    expect(screen.queryByTestId("pending")).toBeNull();
    expect(screen.getByRole("button", { name: "Start again" })).toBeVisible();
  });

  it("lets the rep withdraw the request", async () => {
    const { dashboard, calls } = fakeDashboard({
      Order: () => ({ order: null }),
      Sessions: () => ({ takeoverSessions: [session()] }),
      Start: () => ({ takeoverStart: { session: session(), errors: [] } }),
      SessionStatus: () => ({ takeoverSession: { id: "session-1", status: "PENDING" } }),
      End: () => ({ takeoverEnd: { session: session({ status: "ENDED" }), errors: [] } }),
    });
    renderWith(dashboard, <TakeoverScreen draftOrderId="draft-1" context="draft" pollMs={1000} />);

    await userEvent.click(await screen.findByRole("button", { name: "Withdraw the request" }));

    await waitFor(() => expect(calls.some((c) => c.operation === "End")).toBe(true));
    expect(calls.find((c) => c.operation === "End")?.variables).toEqual({ session: "session-1" });
  });
});
