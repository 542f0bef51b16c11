import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

import { ItemView } from "../components/ItemView";
import { availability } from "../components/ProductSearch";
import type { Product } from "../queries";
import { fakeDashboard, renderWith } from "./fakeDashboard";

const product: Product = {
  id: "p-1",
  name: "Engravable mug",
  isAvailableForPurchase: true,
  productType: { name: "Mug", lineOptions: null },
  category: { name: "Kitchen" },
  thumbnail: null,
  pricing: { priceRange: { start: { gross: { amount: 12, currency: "USD" } } } },
  variants: [
    {
      id: "v-s",
      name: "Small",
      sku: "MUG-S",
      quantityAvailable: 0,
      attributes: [{ attribute: { name: "Size" }, values: [{ name: "Small" }] }],
      pricing: { price: { gross: { amount: 12, currency: "USD" } } },
    },
    {
      id: "v-m",
      name: "Medium",
      sku: "MUG-M",
      quantityAvailable: 5,
      attributes: [{ attribute: { name: "Size" }, values: [{ name: "Medium" }] }],
      pricing: { price: { gross: { amount: 14, currency: "USD" } } },
    },
  ],
};

describe("ItemView", () => {
  it("shows variant attributes and availability, preselecting one in stock", () => {
    const { dashboard } = fakeDashboard({});
    renderWith(dashboard, <ItemView product={product} disabled={false} onAdd={vi.fn()} onCancel={vi.fn()} />);
    expect(screen.getByText("Size: Medium")).toBeVisible();
    expect(screen.getByText("Out of stock")).toBeVisible();
    expect(screen.getByText("5 available")).toBeVisible();
    expect(screen.getByRole("radio", { name: /Medium/ })).toBeChecked();
  });

  it("sends the variant, quantity and configuration notes", async () => {
    const { dashboard } = fakeDashboard({});
    const onAdd = vi.fn(async () => undefined);
    renderWith(dashboard, <ItemView product={product} disabled={false} onAdd={onAdd} onCancel={vi.fn()} />);
    await userEvent.clear(screen.getByLabelText("Quantity"));
    await userEvent.type(screen.getByLabelText("Quantity"), "2");
    await userEvent.type(screen.getByLabelText("Note 1 name"), "engraving");
    const add = screen.getByRole("button", { name: "Add to Cart" });
    expect(add).toBeDisabled(); // a note needs both a name and a text
    expect(screen.getByText("Give every note both a name and a text.")).toBeVisible();
    await userEvent.type(screen.getByLabelText("Note 1 text"), "For Ada");
    await userEvent.click(add);
    expect(onAdd).toHaveBeenCalledWith({
      variantId: "v-m",
      quantity: 2,
      metadata: [{ key: "engraving", value: "For Ada" }],
    });
  });
});

describe("availability", () => {
  it("is in stock when any variant is", () => {
    expect(availability(product)).toEqual({ label: "In stock", ok: true });
  });
  it("is out of stock when no variant has stock", () => {
    expect(availability({ ...product, variants: [product.variants![0]] })).toEqual({ label: "Out of stock", ok: false });
  });
  it("is not for sale when unavailable for purchase", () => {
    expect(availability({ ...product, isAvailableForPurchase: false }).ok).toBe(false);
  });
});
