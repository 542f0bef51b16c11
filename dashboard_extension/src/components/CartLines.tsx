import { Box, Button, Chip, Input, Text } from "@saleor/macaw-ui";
import { useEffect, useState } from "react";

import { formatMoney } from "../i18n";
import { configurationOf } from "../lineOptions";
import type { Cart, CartLine } from "../queries";
import { Cell, Notice, Table } from "./ui";

type Props = {
  cart: Cart;
  locale: string;
  disabled: boolean;
  onQuantity: (line: CartLine, quantity: number) => void;
  onRemove: (line: CartLine) => void;
};

export function CartLines({ cart, locale, disabled, onQuantity, onRemove }: Props) {
  if (cart.lines.length === 0) {
    return (
      <Notice tone="info" title="The cart is empty" testId="empty-cart">
        Search for products below and add them to the shopper's cart.
      </Notice>
    );
  }
  return (
    <Box display="flex" flexDirection="column" gap={2}>
      <Table
        caption="Items in the shopper's cart"
        head={["Product", "Variant", "Configuration", "Quantity", "Price", ""]}
      >
        {cart.lines.map((line) => (
          <LineRow
            key={line.id}
            line={line}
            locale={locale}
            disabled={disabled}
            onQuantity={onQuantity}
            onRemove={onRemove}
          />
        ))}
      </Table>
      <Box display="flex" justifyContent="flex-end" gap={2}>
        <Text color="default2">
          {cart.quantity} {cart.quantity === 1 ? "item" : "items"}, subtotal
        </Text>
        <Text fontWeight="bold" data-testid="subtotal">
          {formatMoney(cart.subtotal, locale)}
        </Text>
      </Box>
    </Box>
  );
}

function LineRow({
  line,
  locale,
  disabled,
  onQuantity,
  onRemove,
}: { line: CartLine; locale: string } & Omit<Props, "cart">) {
  const [quantity, setQuantity] = useState(String(line.quantity));
  useEffect(() => setQuantity(String(line.quantity)), [line.quantity]);
  const parsed = Number.parseInt(quantity, 10);
  const valid = Number.isInteger(parsed) && parsed > 0;
  const changed = valid && parsed !== line.quantity;
  const name = `${line.productName} (${line.variantName || line.sku || "default"})`;
  const configuration = configurationOf(line.metadata);

  return (
    <tr data-testid="cart-line" data-variant-id={line.variantId}>
      <Cell>
        <Text fontWeight="medium">{line.productName}</Text>
        {line.addedByCustomerService && (
          <Box>
            <Chip borderColor="default1" backgroundColor="info1" data-testid="added-by-cs">
              Added by customer service
            </Chip>
          </Box>
        )}
        {line.sku && (
          <Text as="p" size={2} color="default2">
            SKU {line.sku}
          </Text>
        )}
      </Cell>
      <Cell>
        <Text>{line.variantName || "—"}</Text>
      </Cell>
      <Cell>
        {configuration.length === 0 ? (
          <Text color="default2">—</Text>
        ) : (
          <Box as="dl" margin={0}>
            {configuration.map((item) => (
              <Box key={item.key} display="flex" gap={1}>
                <Box as="dt" margin={0}><Text size={2} color="default2">
                  {item.key}:
                </Text></Box>
                <Box as="dd" margin={0}><Text size={2} data-testid="line-note">
                  {item.value}
                </Text></Box>
              </Box>
            ))}
          </Box>
        )}
      </Cell>
      <Cell>
        <Box
          as="form"
          display="flex"
          gap={1}
          alignItems="center"
          onSubmit={(event: React.FormEvent) => {
            event.preventDefault();
            if (changed) onQuantity(line, parsed);
          }}
        >
          <Box __width="90px">
            <Input
              type="number"
              min={1}
              label="Quantity"
              aria-label={`Quantity of ${name}`}
              value={quantity}
              size="small"
              error={!valid}
              disabled={disabled}
              onChange={(event) => setQuantity(event.target.value)}
            />
          </Box>
          {changed && (
            <Button type="submit" variant="secondary" size="small" disabled={disabled}>
              Update
            </Button>
          )}
        </Box>
      </Cell>
      <Cell>
        <Text>{formatMoney(line.totalPrice, locale)}</Text>
        {line.quantity > 1 && (
          <Text as="p" size={2} color="default2">
            {formatMoney(line.unitPrice, locale)} each
          </Text>
        )}
      </Cell>
      <Cell>
        <Button
          variant="tertiary"
          size="small"
          disabled={disabled}
          aria-label={`Remove ${name}`}
          onClick={() => onRemove(line)}
        >
          Remove
        </Button>
      </Cell>
    </tr>
  );
}
