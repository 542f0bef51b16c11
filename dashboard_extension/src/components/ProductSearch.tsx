import { Box, Button, Chip, Input, Text } from "@saleor/macaw-ui";
import { useEffect, useState } from "react";

import { useDashboard } from "../dashboard";
import { formatMoney } from "../i18n";
import { FILTERS, PRODUCT_SEARCH, type Product } from "../queries";
import { ItemView, type NewLine } from "./ItemView";
import { ErrorNotice, Loading, Notice, SelectField } from "./ui";

type Option = { value: string; label: string };

export function availability(product: Product): { label: string; ok: boolean } {
  if (product.isAvailableForPurchase === false) return { label: "Not for sale", ok: false };
  const variants = product.variants ?? [];
  if (variants.length === 0) return { label: "No variants", ok: false };
  const stock = variants.map((v) => v.quantityAvailable ?? 0).reduce((a, b) => a + b, 0);
  return stock > 0 ? { label: "In stock", ok: true } : { label: "Out of stock", ok: false };
}

/** Finds products in the draft's channel through Saleor's own API. */
export function ProductSearch({
  channel,
  disabled,
  onAdd,
}: {
  channel: string;
  disabled: boolean;
  onAdd: (line: NewLine, product: Product) => Promise<boolean>;
}) {
  const { saleor, locale } = useDashboard();
  const [search, setSearch] = useState("");
  const [productType, setProductType] = useState("");
  const [category, setCategory] = useState("");
  const [types, setTypes] = useState<Option[]>([]);
  const [categories, setCategories] = useState<Option[]>([]);
  const [results, setResults] = useState<Product[] | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [chosen, setChosen] = useState<Product | null>(null);

  useEffect(() => {
    // Published product types and categories; the filters work without them.
    saleor(FILTERS)
      .then((data) => {
        setTypes((data.productTypes?.edges ?? []).map(({ node }) => ({ value: node.id, label: node.name })));
        setCategories(
          (data.categories?.edges ?? []).map(({ node }) => ({
            value: node.id,
            label: `${"· ".repeat(node.level)}${node.name}`,
          })),
        );
      })
      .catch(() => undefined);
  }, [saleor]);

  async function runSearch() {
    setLoading(true);
    setError(null);
    setChosen(null);
    try {
      const data = await saleor(PRODUCT_SEARCH, {
        channel,
        search: search.trim() || null,
        types: productType ? [productType] : null,
        categories: category ? [category] : null,
      });
      setResults((data.products?.edges ?? []).map(({ node }) => node));
    } catch (caught) {
      setError(caught);
    } finally {
      setLoading(false);
    }
  }

  return (
    <Box display="flex" flexDirection="column" gap={3}>
      <Box
        as="form"
        role="search"
        aria-label="Product search"
        display="grid"
        __gridTemplateColumns="2fr 1fr 1fr auto"
        gap={2}
        alignItems="end"
        onSubmit={(event: React.FormEvent) => {
          event.preventDefault();
          void runSearch();
        }}
      >
        <Input
          label="Search products"
          value={search}
          onChange={(event) => setSearch(event.target.value)}
          placeholder="Name, SKU or keyword"
        />
        <SelectField
          label="Product type"
          value={productType}
          onChange={setProductType}
          options={[{ value: "", label: "All types" }, ...types]}
        />
        <SelectField
          label="Category"
          value={category}
          onChange={setCategory}
          options={[{ value: "", label: "All categories" }, ...categories]}
        />
        <Button type="submit" variant="secondary" disabled={loading}>
          Search
        </Button>
      </Box>
      {loading && <Loading label="Searching products…" />}
      {error !== null && <ErrorNotice error={error} />}
      {results && results.length === 0 && !loading && (
        <Notice tone="info" title="No products found">
          Try another keyword, or clear the type and category filters. Only products
          published in channel {channel} are shown.
        </Notice>
      )}
      {results && results.length > 0 && !chosen && (
        <Box as="ul" aria-label="Search results" display="flex" flexDirection="column" gap={2} padding={0} margin={0}>
          {results.map((product) => {
            const state = availability(product);
            return (
              <Box
                as="li"
                key={product.id}
                data-testid="product-result"
                display="flex"
                alignItems="center"
                gap={3}
                padding={2}
                borderStyle="solid"
                borderWidth={1}
                borderColor="default1"
                borderRadius={3}
                style={{ listStyle: "none" }}
              >
                {product.thumbnail ? (
                  <img src={product.thumbnail.url} alt={product.thumbnail.alt || ""} width={48} height={48} />
                ) : (
                  <Box __width="48px" __height="48px" backgroundColor="default2" borderRadius={2} />
                )}
                <Box flexGrow="1">
                  <Text fontWeight="medium">{product.name}</Text>
                  <Text as="p" size={2} color="default2">
                    {product.productType.name}
                    {product.category ? ` · ${product.category.name}` : ""} ·{" "}
                    {(product.variants ?? []).length} variant(s) · from{" "}
                    {formatMoney(product.pricing?.priceRange?.start?.gross, locale)}
                  </Text>
                </Box>
                <Chip borderColor="default1" backgroundColor={state.ok ? "success1" : "critical1"}>{state.label}</Chip>
                <Button
                  variant="secondary"
                  size="small"
                  aria-label={`Choose ${product.name}`}
                  onClick={() => setChosen(product)}
                >
                  Choose
                </Button>
              </Box>
            );
          })}
        </Box>
      )}
      {chosen && (
        <ItemView
          product={chosen}
          disabled={disabled}
          onCancel={() => setChosen(null)}
          onAdd={async (line) => {
            if (await onAdd(line, chosen)) setChosen(null);
          }}
        />
      )}
    </Box>
  );
}
