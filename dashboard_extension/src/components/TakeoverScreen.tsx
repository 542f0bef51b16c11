import { Box } from "@saleor/macaw-ui";

import { ApiError } from "../api";
import { useDashboard } from "../dashboard";
import { CartLines } from "./CartLines";
import { PickupContactsForm } from "./PickupContactsForm";
import { ProductSearch } from "./ProductSearch";
import { StartPanel } from "./StartPanel";
import { TakeoverActions } from "./TakeoverActions";
import { Header, SessionHeader } from "./TakeoverHeader";
import { TakeoverNotices } from "./TakeoverNotices";
import { Card, ErrorNotice, Loading, Notice } from "./ui";
import { useTakeover } from "./useTakeover";

export { shopperName } from "./useTakeover";

function isAccessError(error: unknown): boolean {
  return (
    error instanceof ApiError && (error.code === "PermissionDenied" || error.code === "Unauthenticated")
  );
}

/**
 * The takeover screen for one draft order: choose the cart, edit it, then add
 * its items to the order. The state and the actions live in `useTakeover`;
 * this lays out the start panel, or the cart, the product search, the pickup
 * contacts and the actions.
 */
export function TakeoverScreen({
  draftOrderId,
  context,
  pollMs = 3000,
}: {
  draftOrderId: string;
  context: "draft" | "customer";
  /** How often a session waiting for the shopper's consent is checked. */
  pollMs?: number;
}) {
  const { locale, userEmail } = useDashboard();
  const takeover = useTakeover(draftOrderId, context, pollMs);
  const { phase, order, session, cart, error, busy, active, disabled } = takeover;

  if (phase === "loading") return <Loading label="Opening the takeover…" />;

  if (phase === "choose" || !session) {
    return (
      <Box display="flex" flexDirection="column" gap={4}>
        <Header title="Take over a shopper's cart" order={order} />
        {error !== null && <ErrorNotice error={error} />}
        {order && order.status !== "DRAFT" && (
          <Notice tone="warning" title="This order is no longer a draft">
            Carts can only be taken over from a draft order.
          </Notice>
        )}
        {/* Without access there is nothing to choose; the error says what to do. */}
        {!isAccessError(error) && (
          <StartPanel order={order} disabled={busy !== null} onStart={takeover.start} />
        )}
      </Box>
    );
  }

  return (
    <Box display="flex" flexDirection="column" gap={4}>
      <SessionHeader
        session={session}
        order={order}
        who={takeover.who}
        whose={takeover.whose}
        active={active}
        pending={takeover.pending}
        userEmail={userEmail}
        locale={locale}
      />
      <TakeoverNotices takeover={takeover} locale={locale} />

      {!cart ? (
        <Notice tone="warning" title="The cart no longer exists">
          The shopper's checkout was completed or removed.
        </Notice>
      ) : (
        <>
          <Card title="Cart">
            <CartLines
              cart={cart}
              locale={locale}
              disabled={disabled}
              onQuantity={takeover.changeQuantity}
              onRemove={takeover.remove}
            />
          </Card>
          {active && (
            <Card title="Add products">
              <ProductSearch channel={cart.channel} disabled={disabled} onAdd={takeover.addLine} />
            </Card>
          )}
          {active && (
            <Card title="Pickup contacts">
              <PickupContactsForm cart={cart} disabled={disabled} onSave={takeover.savePickup} />
            </Card>
          )}
        </>
      )}

      {active && <TakeoverActions takeover={takeover} />}
    </Box>
  );
}
