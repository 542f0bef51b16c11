import { Box, Button, Input, Text } from "@saleor/macaw-ui";
import { useEffect, useId, useState } from "react";

import { useDashboard } from "../dashboard";
import { formatDate, formatMoney } from "../i18n";
import { CART_BY_CODE, CUSTOMER_CARTS, cartLabel, type Cart, type SaleorOrder } from "../queries";
import { Card, ErrorNotice, Loading, Notice } from "./ui";

export function customerLabel(order: SaleorOrder | null): string | null {
  const user = order?.user;
  if (user) return [user.firstName, user.lastName].filter(Boolean).join(" ") || user.email;
  return order?.userEmail ?? null;
}

function CartSummary({ cart }: { cart: Cart }) {
  const { locale } = useDashboard();
  return (
    <Text size={2} color="default2">
      Cart {cartLabel(cart.code)} · {cart.quantity} item(s) · {formatMoney(cart.subtotal, locale)} · changed{" "}
      {formatDate(cart.updatedAt, locale)}
      {cart.email ? ` · ${cart.email}` : ""}
      {cart.takenOver ? " · held by another rep" : ""}
    </Text>
  );
}

/** Choose which cart to take over: the customer's own, or one found by its code. */
export function StartPanel({
  order,
  disabled,
  onStart,
}: {
  order: SaleorOrder | null;
  disabled: boolean;
  onStart: (choice: { checkoutId?: string; code?: string }) => void;
}) {
  const { plugin } = useDashboard();
  const [carts, setCarts] = useState<Cart[] | null>(null);
  const [selected, setSelected] = useState<string>("");
  const [code, setCode] = useState("");
  const [found, setFound] = useState<Cart | null | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [searching, setSearching] = useState(false);
  const groupId = useId();
  const customer = order?.user;
  const name = customerLabel(order);

  useEffect(() => {
    if (!customer || !order) return;
    plugin(CUSTOMER_CARTS, {
      customer: customer.id,
      channel: order.channel.slug,
    })
      .then((data) => {
        setCarts(data.customerCarts);
        setSelected(data.customerCarts[0]?.id ?? "");
      })
      .catch(setError);
  }, [customer, order, plugin]);

  async function findByCode() {
    setSearching(true);
    setError(null);
    try {
      const data = await plugin(CART_BY_CODE, { code: code.trim() });
      setFound(data.cartByCode);
    } catch (caught) {
      setError(caught);
    } finally {
      setSearching(false);
    }
  }

  return (
    <Box display="flex" flexDirection="column" gap={4}>
      {error !== null && <ErrorNotice error={error} />}
      {customer ? (
        <Card title={`${name}'s carts`}>
          {carts === null ? (
            <Loading label="Looking for the customer's carts…" />
          ) : carts.length === 0 ? (
            <>
              <Text>
                {name} has no cart in channel {order?.channel.name}. Starting creates an empty
                cart for them, which they will see when they sign in.
              </Text>
              <Box>
                <Button variant="primary" disabled={disabled} onClick={() => onStart({})}>
                  Start with a new cart
                </Button>
              </Box>
            </>
          ) : (
            <>
              <Box as="fieldset" borderWidth={0} padding={0} margin={0} display="flex" flexDirection="column" gap={2}>
                <Box as="legend"><Text size={2} color="default2" marginBottom={1}>
                  Newest first
                </Text></Box>
                {carts.map((cart) => (
                  <Box as="label" key={cart.id} display="flex" gap={2} alignItems="center">
                    <input
                      type="radio"
                      name={`${groupId}-cart`}
                      checked={selected === cart.id}
                      onChange={() => setSelected(cart.id)}
                    />
                    <CartSummary cart={cart} />
                  </Box>
                ))}
              </Box>
              <Box>
                <Button
                  variant="primary"
                  disabled={disabled || !selected}
                  onClick={() => onStart({ checkoutId: selected })}
                >
                  Take over {name}'s cart
                </Button>
              </Box>
            </>
          )}
        </Card>
      ) : (
        <Notice tone="info" title="This draft has no customer account">
          Ask the shopper for the cart code shown in their cart (like 1A2B-3C4D) and find the
          cart below.
          {order?.userEmail ? ` Or start a new cart for ${order.userEmail}.` : ""}
        </Notice>
      )}
      <Card title="Find a cart by its code">
        <Box
          as="form"
          display="flex"
          gap={2}
          alignItems="end"
          onSubmit={(event: React.FormEvent) => {
            event.preventDefault();
            if (code.trim()) void findByCode();
          }}
        >
          <Box flexGrow="1">
            <Input label="Cart code" value={code} onChange={(event) => setCode(event.target.value)} placeholder="1A2B-3C4D" />
          </Box>
          <Button type="submit" variant="secondary" disabled={searching || !code.trim()}>
            Find cart
          </Button>
        </Box>
        {searching && <Loading label="Looking up the code…" />}
        {found === null && (
          <Notice tone="warning" title="No cart with this code">
            Check the code with the shopper; it is shown in their cart.
          </Notice>
        )}
        {found && (
          <Box display="flex" flexDirection="column" gap={2} data-testid="found-cart">
            <CartSummary cart={found} />
            <Box>
              <Button variant="primary" disabled={disabled} onClick={() => onStart({ checkoutId: found.id })}>
                Take over cart {cartLabel(found.code)}
              </Button>
            </Box>
          </Box>
        )}
      </Card>
      {!customer && order?.userEmail && (
        <Box>
          <Button variant="secondary" disabled={disabled} onClick={() => onStart({})}>
            Start a new cart for {order.userEmail}
          </Button>
        </Box>
      )}
    </Box>
  );
}
