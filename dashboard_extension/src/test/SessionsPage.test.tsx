import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";

import { reportCsv } from "../components/TakeoverReport";
import { SessionsPage } from "../pages/SessionsPage";
import type { ReportRow, Session, TakeoverReport } from "../queries";
import { fakeDashboard, renderWith } from "./fakeDashboard";

const active: Session = {
  id: "session-1",
  status: "ACTIVE",
  endReason: null,
  draftOrderId: "draft-1",
  draftOrderNumber: "17",
  cartCode: "1A2B-3C4D",
  channel: "default-channel",
  customerId: null,
  customerEmail: "wade@example.com",
  startedByEmail: "csr@example.com",
  heldByEmail: "csr@example.com",
  startedAt: "2026-01-01T10:00:00Z",
  endedAt: null,
  expiresAt: "2026-01-01T10:30:00Z",
  lastCopiedAt: null,
  orderId: null,
  orderNumber: null,
  cart: null,
};

function row(overrides: Partial<ReportRow>): ReportRow {
  return {
    staffEmail: null,
    sessions: 0,
    handedBack: 0,
    shopperCompleted: 0,
    draftsCompleted: 0,
    expired: 0,
    medianMinutes: null,
    revenue: null,
    revenueByCurrency: [],
    ...overrides,
  };
}

const report: TakeoverReport = {
  rows: [
    row({
      staffEmail: "ann@example.com",
      sessions: 3,
      handedBack: 1,
      shopperCompleted: 2,
      medianMinutes: 7.5,
      revenue: { amount: 30, currency: "USD" },
      revenueByCurrency: [{ amount: 30, currency: "USD" }],
    }),
    row({
      staffEmail: "=cmd@example.com",
      sessions: 1,
      expired: 1,
      medianMinutes: 30,
      revenue: { amount: 0, currency: "PLN" },
      revenueByCurrency: [{ amount: 0, currency: "PLN" }],
    }),
  ],
  totals: row({
    sessions: 4,
    handedBack: 1,
    shopperCompleted: 2,
    expired: 1,
    medianMinutes: 10,
    revenue: null,
    revenueByCurrency: [
      { amount: 0, currency: "PLN" },
      { amount: 30, currency: "USD" },
    ],
  }),
};

function page(extra: Record<string, (v: Record<string, unknown>) => unknown> = {}) {
  let handed = false;
  return fakeDashboard({
    Viewer: () => ({ viewer: { email: "csr@example.com", canTakeOver: true, canManageGrants: false } }),
    Sessions: () => ({
      takeoverSessions: [handed ? { ...active, heldByEmail: "bob@example.com" } : active],
    }),
    Transfer: (variables) => {
      if (variables.email !== "bob@example.com") {
        return {
          takeoverTransfer: {
            session: null,
            errors: [
              { field: "staffEmail", code: "NOT_FOUND", message: "No active staff member has this email address." },
            ],
          },
        };
      }
      handed = true;
      return { takeoverTransfer: { session: { ...active, heldByEmail: "bob@example.com" }, errors: [] } };
    },
    Report: () => ({ takeoverReport: report }),
    ...extra,
  });
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe("Cart takeovers page", () => {
  it("hands an active session to a colleague", async () => {
    const { dashboard, calls } = page();
    renderWith(dashboard, <SessionsPage />);
    await userEvent.click(await screen.findByRole("button", { name: "Hand over cart 1A2B-3C4D" }));
    const form = screen.getByRole("form", { name: "Hand over cart 1A2B-3C4D" });

    await userEvent.type(within(form).getByLabelText("Colleague's staff email"), "nobody@example.com");
    await userEvent.click(within(form).getByRole("button", { name: "Hand over" }));
    expect(await within(form).findByTestId("error")).toHaveTextContent("No active staff member");

    const input = within(form).getByLabelText("Colleague's staff email");
    await userEvent.clear(input);
    await userEvent.type(input, "bob@example.com");
    await userEvent.click(within(form).getByRole("button", { name: "Hand over" }));

    expect(await screen.findByTestId("handed-over")).toHaveTextContent("Cart 1A2B-3C4D is now with bob@example.com.");
    const transfers = calls.filter((c) => c.operation === "Transfer").map((c) => c.variables);
    expect(transfers).toEqual([
      { session: "session-1", email: "nobody@example.com" },
      { session: "session-1", email: "bob@example.com" },
    ]);
    const rowCells = await screen.findAllByTestId("session-row");
    expect(rowCells[0]).toHaveTextContent("bob@example.com");
    expect(rowCells[0]).toHaveTextContent("started by csr@example.com");
  });

  it("shows the report with a chart, never adding up currencies", async () => {
    const { dashboard, calls } = page();
    renderWith(dashboard, <SessionsPage />);
    await userEvent.click(await screen.findByRole("button", { name: "Show report" }));

    const shown = await screen.findByTestId("report");
    expect(within(shown).getAllByTestId("chart-bar")).toHaveLength(2);
    expect(within(shown).getByRole("img", { name: "Sessions per rep by outcome" })).toBeInTheDocument();
    const rows = within(shown).getAllByTestId("report-row");
    expect(rows[0]).toHaveTextContent("ann@example.com");
    expect(rows[0]).toHaveTextContent("7.5 min");
    expect(rows[0]).toHaveTextContent("$30.00");
    expect(within(shown).getByTestId("report-totals")).toHaveTextContent("PLN 0.00 + $30.00");
    const sent = calls.find((c) => c.operation === "Report")?.variables;
    expect(sent?.channel).toBeNull();
    expect(sent?.from).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it("downloads the report as CSV", async () => {
    const blobs: Blob[] = [];
    vi.stubGlobal("URL", {
      ...URL,
      createObjectURL: (blob: Blob) => {
        blobs.push(blob);
        return "blob:report";
      },
      revokeObjectURL: () => undefined,
    });
    const saved: string[] = [];
    // jsdom cannot follow the link; the browser saves the file under this name.
    vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
      saved.push(`${this.download} ${this.href}`);
    });
    const { dashboard } = page();
    renderWith(dashboard, <SessionsPage />);
    await userEvent.click(await screen.findByRole("button", { name: "Show report" }));
    await userEvent.click(await screen.findByRole("button", { name: "Download CSV" }));

    await waitFor(() => expect(blobs).toHaveLength(1));
    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatch(/^cart-takeovers-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv blob:report$/);
    expect(blobs[0].type).toContain("text/csv");
    const text = await new Promise<string>((resolve) => {
      const reader = new FileReader();
      reader.onload = () => resolve(String(reader.result));
      reader.readAsText(blobs[0]);
    });
    expect(text).toBe(reportCsv(report));
  });

  it("writes one revenue column per currency and defuses formulas", () => {
    const lines = reportCsv(report).trim().split("\r\n");

    expect(lines).toEqual([
      "Rep,Sessions,Handed back,Shopper completed,Drafts completed,Expired,Median minutes,Revenue PLN,Revenue USD",
      "ann@example.com,3,1,2,0,0,7.5,,30.00",
      "'=cmd@example.com,1,0,0,0,1,30,0.00,",
      "Total,4,1,2,0,1,10,0.00,30.00",
    ]);
  });
});
