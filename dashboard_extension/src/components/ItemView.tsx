import { Box, Button, Input, Text } from "@saleor/macaw-ui";
import { useId, useMemo, useState } from "react";

import { useDashboard } from "../dashboard";
import { formatMoney } from "../i18n";
import { LINE_OPTIONS_KEY } from "../const.generated";
import { optionProblem, parseDeclaration, type LineOption } from "../lineOptions";
import type { Meta, Product, Variant } from "../queries";
import { Card, Notice } from "./ui";

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
  const declaration = useMemo(() => parseDeclaration(product.productType.lineOptions), [product]);
  const [values, setValues] = useState<Record<string, string>>({});
  const groupId = useId();
  const parsed = Number.parseInt(quantity, 10);
  const validQuantity = Number.isInteger(parsed) && parsed > 0;
  const options = declaration.options;
  const filled = options
    ? options.filter((o) => (values[o.key] ?? "").trim()).map((o) => ({ key: o.key, value: values[o.key].trim() }))
    : notes.filter((n) => n.key.trim() && n.value.trim());
  const halfFilled = !options && notes.some((n) => Boolean(n.key.trim()) !== Boolean(n.value.trim()));
  const duplicate = !options && new Set(filled.map((n) => n.key.trim())).size !== filled.length;
  const problems = options ? options.map((o) => optionProblem(o, values[o.key] ?? "")) : [];
  const optionsOk = declaration.error === null && problems.every((p) => p === null);
  const canAdd = Boolean(variantId) && validQuantity && !halfFilled && !duplicate && optionsOk && !disabled;

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
        {declaration.error !== null && (
          <Notice tone="error" title="This product's options are set up wrongly" testId="line-options-error">
            The product type {product.productType.name} declares its line options ({LINE_OPTIONS_KEY})
            in a way that cannot be used: {declaration.error} Ask the merchant to fix it.
          </Notice>
        )}
        {options && (
          <OptionFields
            options={options}
            values={values}
            // A missing required value shows as the field's mark, not as an error.
            problems={problems.map((p, i) => (values[options[i].key] ? p : null))}
            onChange={(key, value) => setValues((current) => ({ ...current, [key]: value }))}
          />
        )}
        {!options && declaration.error === null && (
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
        )}
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

/** Exactly the options the product type declares: text inputs and selects. */
function OptionFields({
  options,
  values,
  problems,
  onChange,
}: {
  options: LineOption[];
  values: Record<string, string>;
  problems: (string | null)[];
  onChange: (key: string, value: string) => void;
}) {
  const id = useId();
  return (
    <Box as="fieldset" borderWidth={0} padding={0} margin={0} display="flex" flexDirection="column" gap={2} data-testid="line-options">
      <Box as="legend">
        <Text fontWeight="medium" marginBottom={1}>
          Options
        </Text>
      </Box>
      {options.map((option, index) => {
        const fieldId = `${id}-${index}`;
        const value = values[option.key] ?? "";
        const label = `${option.label}${option.required ? " *" : ""}`;
        const problem = problems[index];
        return (
          <Box key={option.key} display="flex" flexDirection="column" gap={1}>
            {option.type === "choice" ? (
              <>
                <Box as="label" htmlFor={fieldId}>
                  <Text size={2} color="default2">
                    {label}
                  </Text>
                </Box>
                <Box
                  as="select"
                  id={fieldId}
                  value={value}
                  required={option.required}
                  aria-required={option.required}
                  aria-invalid={problem !== null}
                  onChange={(event: React.ChangeEvent<HTMLSelectElement>) => onChange(option.key, event.target.value)}
                  padding={2}
                  borderRadius={3}
                  borderStyle="solid"
                  borderWidth={1}
                  borderColor="default1"
                  backgroundColor="default1"
                  color="default1"
                  fontSize={3}
                >
                  <option value="">{option.required ? "Choose…" : "None"}</option>
                  {option.choices.map((choice) => (
                    <option key={choice} value={choice}>
                      {choice}
                    </option>
                  ))}
                </Box>
              </>
            ) : (
              <Input
                id={fieldId}
                label={label}
                value={value}
                maxLength={option.maxLength ?? undefined}
                required={option.required}
                aria-required={option.required}
                error={problem !== null}
                helperText={option.maxLength ? `${value.length}/${option.maxLength}` : undefined}
                onChange={(event) => onChange(option.key, event.target.value)}
              />
            )}
            {problem && (
              <Text size={2} color="critical1">
                {problem}
              </Text>
            )}
          </Box>
        );
      })}
      <Text size={2} color="default2">
        * required
      </Text>
    </Box>
  );
}
