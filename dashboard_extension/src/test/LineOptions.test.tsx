import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

import { CartLines } from "../components/CartLines";
import { ItemView } from "../components/ItemView";
import { parseDeclaration } from "../lineOptions";
import type { Cart, Product } from "../queries";
import { fakeDashboard, renderWith } from "./fakeDashboard";

const usd = (amount: number) => ({ amount, currency: "USD" });
const OPTIONS = [
  { key: "engraving", label: "Engraving", type: "text", required: true, maxLength: 12 },
  { key: "font", label: "Font", type: "choice", required: false, choices: ["Serif", "Script"] },
];

function product(lineOptions: string | null): Product {
  return {
    id: "p-1",
    name: "Engraved bottle",
    isAvailableForPurchase: true,
    productType: { name: "Engravable goods", lineOptions },
    category: null,
    thumbnail: null,
    pricing: null,
    variants: [
      {
        id: "v-1",
        name: "Steel",
        sku: "BOT-1",
        quantityAvailable: 4,
        attributes: [],
        pricing: { price: { gross: usd(20) } },
      },
    ],
  };
}

function renderItem(lineOptions: string | null) {
  const { dashboard } = fakeDashboard({});
  const onAdd = vi.fn(async () => undefined);
  renderWith(dashboard, <ItemView product={product(lineOptions)} disabled={false} onAdd={onAdd} onCancel={vi.fn()} />);
  return onAdd;
}

describe("ItemView with configured line options", () => {
  it("renders exactly the declared fields, with required marks and limits", () => {
    renderItem(JSON.stringify(OPTIONS));
    const fields = within(screen.getByTestId("line-options"));
    const engraving = fields.getByLabelText("Engraving *");
    expect(engraving).toHaveAttribute("maxlength", "12");
    expect(engraving).toBeRequired();
    const font = fields.getByLabelText("Font");
    expect(font.tagName).toBe("SELECT");
    expect(within(font).getAllByRole("option").map((o) => o.textContent)).toEqual(["None", "Serif", "Script"]);
    // No free notes when the product type declares its options.
    expect(screen.queryByLabelText("Note 1 name")).toBeNull();
  });

  it("needs the required options before adding, then sends them as metadata", async () => {
    const onAdd = renderItem(JSON.stringify(OPTIONS));
    const add = screen.getByRole("button", { name: "Add to Cart" });
    expect(add).toBeDisabled();

    await userEvent.type(screen.getByLabelText("Engraving *"), "For Ada");
    await userEvent.selectOptions(screen.getByLabelText("Font"), "Script");
    expect(add).toBeEnabled();
    await userEvent.click(add);

    expect(onAdd).toHaveBeenCalledWith({
      variantId: "v-1",
      quantity: 1,
      metadata: [
        { key: "engraving", value: "For Ada" },
        { key: "font", value: "Script" },
      ],
    });
  });

  it("explains a broken declaration and refuses to add", () => {
    const onAdd = renderItem("[{not json");
    expect(screen.getByTestId("line-options-error")).toHaveTextContent("Engravable goods");
    expect(screen.getByTestId("line-options-error")).toHaveTextContent("not valid JSON");
    expect(screen.getByRole("button", { name: "Add to Cart" })).toBeDisabled();
    expect(onAdd).not.toHaveBeenCalled();
  });

  it("keeps free notes for product types that declare nothing", () => {
    renderItem(null);
    expect(screen.getByLabelText("Note 1 name")).toBeVisible();
    expect(screen.queryByTestId("line-options")).toBeNull();
  });
});

describe("parseDeclaration", () => {
  it.each([
    ['{"key": "a"}', "JSON list"],
    ['[{"key": "a", "label": "A", "type": "colour"}]', "'type'"],
    ['[{"key": "a", "label": "A", "type": "choice"}]', "'choices'"],
    ['[{"key": "cart_takeover.staff", "label": "A", "type": "text"}]', "plugin's own"],
  ])("refuses %s", (raw, why) => {
    const parsed = parseDeclaration(raw);
    expect(parsed.options).toBeNull();
    expect(parsed.error).toContain(why);
  });
});

describe("CartLines", () => {
  it("marks the lines customer service added and hides the plugin's keys", () => {
    const cart = {
      id: "c",
      code: "1A2B-3C4D",
      channel: "default-channel",
      currency: "USD",
      email: null,
      customerId: null,
      customerName: null,
      quantity: 2,
      subtotal: usd(32),
      updatedAt: "2026-01-01T10:00:00Z",
      takenOver: true,
      pickupPoint: null,
      pickupContacts: null,
      pickupContactsError: null,
      lines: [
        {
          id: "l-1",
          variantId: "v-1",
          sku: null,
          productName: "Engraved bottle",
          variantName: "Steel",
          quantity: 1,
          metadata: [
            { key: "engraving", value: "For Ada" },
            { key: "cart_takeover.source", value: "customer_service" },
          ],
          unitPrice: usd(20),
          totalPrice: usd(20),
          addedByCustomerService: true,
        },
        {
          id: "l-2",
          variantId: "v-2",
          sku: null,
          productName: "Mug",
          variantName: "White",
          quantity: 1,
          metadata: [],
          unitPrice: usd(12),
          totalPrice: usd(12),
          addedByCustomerService: false,
        },
      ],
    } satisfies Cart;
    const { dashboard } = fakeDashboard({});
    renderWith(
      dashboard,
      <CartLines cart={cart} locale="en-US" disabled={false} onQuantity={vi.fn()} onRemove={vi.fn()} />,
    );
    const [bottle, mug] = screen.getAllByTestId("cart-line");
    expect(within(bottle).getByTestId("added-by-cs")).toHaveTextContent("Added by customer service");
    expect(within(bottle).getByText("For Ada")).toBeVisible();
    expect(within(bottle).queryByText(/cart_takeover/)).toBeNull();
    expect(within(mug).queryByTestId("added-by-cs")).toBeNull();
  });
});
