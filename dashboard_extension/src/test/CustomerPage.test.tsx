import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { CustomerPage } from "../pages/CustomerPage";
import { fakeDashboard, renderWith } from "./fakeDashboard";

const channels = [
  { id: "ch-us", slug: "us", name: "US store", currencyCode: "USD", isActive: true },
  { id: "ch-eu", slug: "eu", name: "EU store", currencyCode: "EUR", isActive: true },
  { id: "ch-old", slug: "old", name: "Closed", currencyCode: "USD", isActive: false },
];

describe("CustomerPage", () => {
  it("creates the draft in the channel the rep chooses, defaulting to the newest cart's", async () => {
    const { dashboard, calls } = fakeDashboard(
      {
        Customer: () => ({
          user: { id: "VXNlcjox", email: "wade@example.com", firstName: "Wade", lastName: "Wilson" },
          channels,
        }),
        CustomerCarts: () => ({ customerCarts: [{ channel: "eu" }] }),
        DraftCreate: () => ({ draftOrderCreate: { order: { id: "draft-9", number: "9" }, errors: [] } }),
        Order: () => ({ order: null }),
        Sessions: () => ({ takeoverSessions: [] }),
      },
      { customerId: "VXNlcjox" },
    );
    renderWith(dashboard, <CustomerPage />);

    expect(await screen.findByRole("heading", { name: "Take over Wade Wilson's cart" })).toBeVisible();
    const select = screen.getByLabelText("Channel");
    expect(select).toHaveValue("ch-eu");
    expect(screen.queryByRole("option", { name: /Closed/ })).toBeNull();
    await userEvent.selectOptions(select, "ch-us");
    await userEvent.click(screen.getByRole("button", { name: "Create draft order and take over cart" }));

    await waitFor(() => expect(calls.some((c) => c.operation === "Sessions")).toBe(true));
    expect(calls.find((c) => c.operation === "DraftCreate")?.variables).toEqual({
      input: { user: "VXNlcjox", channelId: "ch-us" },
    });
  });

  it("surfaces Saleor's refusal to create the draft", async () => {
    const { dashboard } = fakeDashboard(
      {
        Customer: () => ({
          user: { id: "VXNlcjox", email: "wade@example.com", firstName: "", lastName: "" },
          channels: channels.slice(0, 1),
        }),
        CustomerCarts: () => ({ customerCarts: [] }),
        DraftCreate: () => ({
          draftOrderCreate: {
            order: null,
            errors: [{ field: "channelId", code: "CHANNEL_INACTIVE", message: "Channel is inactive." }],
          },
        }),
      },
      { customerId: "VXNlcjox" },
    );
    renderWith(dashboard, <CustomerPage />);
    expect(await screen.findByText("Channel: US store")).toBeVisible();
    await userEvent.click(screen.getByRole("button", { name: "Create draft order and take over cart" }));
    expect(await screen.findByTestId("error")).toHaveTextContent("Channel is inactive.");
  });
});
