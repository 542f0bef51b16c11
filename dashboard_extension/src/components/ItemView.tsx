import { Box, Button, Input, Text } from "@saleor/macaw-ui";
import { useId, useState } from "react";

import { useDashboard } from "../dashboard";
import { formatMoney } from "../i18n";
import type { Meta, Product, Variant } from "../queries";
import { Card } from "./ui";

export type NewLine = { variantId: string; quantity: number; metadata: Meta[] };

function describeVariant(variant: Variant): string {
  const attributes = variant.attributes
    .filter((a) => a.values.length > 0)
    .map((a) => `${a.attribute.name}: ${a.values.map((v) => v.name).join(", ")}`);
  return attributes.length ? attributes.join(" · ") : variant.sku ? `SKU ${variant.sku}` : "";
}

/** Pick the variant, quantity and configuration of one product. */
export function ItemView({
  product,
  disabled,
  onAdd,
  onCancel,
}: {
  product: Product;
  disabled: boolean;
  onAdd: (line: NewLine) => Promise<void>;
  onCancel: () => void;
}) {
  const { locale } = useDashboard();
  const variants = product.variants ?? [];
  const firstAvailable = variants.find((v) => (v.quantityAvailable ?? 0) > 0) ?? variants[0];
  const [variantId, setVariantId] = useState(firstAvailable?.id ?? "");
  const [quantity, setQuantity] = useState("1");
  const [notes, setNotes] = useState<Meta[]>([{ key: "", value: "" }]);
  const groupId = useId();
  const parsed = Number.parseInt(quantity, 10);
  const validQuantity = Number.isInteger(parsed) && parsed > 0;
  const filled = notes.filter((n) => n.key.trim() && n.value.trim());
  const halfFilled = notes.some((n) => Boolean(n.key.trim()) !== Boolean(n.value.trim()));
  const duplicate = new Set(filled.map((n) => n.key.trim())).size !== filled.length;
  const canAdd = Boolean(variantId) && validQuantity && !halfFilled && !duplicate && !disabled;

  const setNote = (index: number, change: Partial<Meta>) =>
    setNotes((current) => current.map((note, i) => (i === index ? { ...note, ...change } : note)));

  return (
    <Card title={product.name} labelledBy={`${groupId}-title`}>
      <Box
        as="form"
        display="flex"
        flexDirection="column"
        gap={3}
        onSubmit={(event: React.FormEvent) => {
          event.preventDefault();
          if (!canAdd) return;
          void onAdd({
            variantId,
            quantity: parsed,
            metadata: filled.map((n) => ({ key: n.key.trim(), value: n.value.trim() })),
          });
        }}
      >
        <Box as="fieldset" borderWidth={0} padding={0} margin={0} display="flex" flexDirection="column" gap={1}>
          <Box as="legend"><Text fontWeight="medium" marginBottom={1}>
            Variant
          </Text></Box>
          {variants.map((variant) => {
            const stock = variant.quantityAvailable ?? 0;
            return (
              <Box as="label" key={variant.id} display="flex" gap={2} alignItems="center" data-testid="variant-option">
                <input
                  type="radio"
                  name={`${groupId}-variant`}
                  value={variant.id}
                  checked={variantId === variant.id}
                  onChange={() => setVariantId(variant.id)}
                />
                <Text fontWeight="medium">{variant.name || variant.sku || "Default"}</Text>
                <Text size={2} color="default2">
                  {describeVariant(variant)}
                </Text>
                <Text size={2}>{formatMoney(variant.pricing?.price?.gross, locale)}</Text>
                <Text size={2} color={stock > 0 ? "success1" : "critical1"}>
                  {stock > 0 ? `${stock} available` : "Out of stock"}
                </Text>
              </Box>
            );
          })}
        </Box>
        <Box __width="140px">
          <Input
            type="number"
            min={1}
            label="Quantity"
            value={quantity}
            error={!validQuantity}
            onChange={(event) => setQuantity(event.target.value)}
          />
        </Box>
        <Box as="fieldset" borderWidth={0} padding={0} margin={0} display="flex" flexDirection="column" gap={2}>
          <Box as="legend"><Text fontWeight="medium" marginBottom={1}>
            Configuration notes
          </Text></Box>
          <Text size={2} color="default2">
            Recorded on the cart line and carried into the order, e.g. engraving text.
          </Text>
          {notes.map((note, index) => (
            <Box key={index} display="grid" __gridTemplateColumns="1fr 2fr auto" gap={2} alignItems="end">
              <Input
                label={`Note ${index + 1} name`}
                placeholder="engraving"
                value={note.key}
                onChange={(event) => setNote(index, { key: event.target.value })}
              />
              <Input
                label={`Note ${index + 1} text`}
                value={note.value}
                onChange={(event) => setNote(index, { value: event.target.value })}
              />
              <Button
                type="button"
                variant="tertiary"
                aria-label={`Remove note ${index + 1}`}
                onClick={() => setNotes((current) => current.filter((_, i) => i !== index))}
              >
                Remove
              </Button>
            </Box>
          ))}
          <Box>
            <Button
              type="button"
              variant="tertiary"
              onClick={() => setNotes((current) => [...current, { key: "", value: "" }])}
            >
              Add note
            </Button>
          </Box>
          {halfFilled && (
            <Text size={2} color="critical1">
              Give every note both a name and a text.
            </Text>
          )}
          {duplicate && (
            <Text size={2} color="critical1">
              Each note name can be used once.
            </Text>
          )}
        </Box>
        <Box display="flex" gap={2}>
          <Button type="submit" variant="primary" disabled={!canAdd}>
            Add to Cart
          </Button>
          <Button type="button" variant="secondary" onClick={onCancel}>
            Back to results
          </Button>
        </Box>
      </Box>
    </Card>
  );
}
