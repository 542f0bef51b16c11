import { Box, Chip, Text } from "@saleor/macaw-ui";
import type { ReactNode } from "react";

import { formatDate } from "../i18n";
import type { SaleorOrder, Session } from "../queries";

/** The screen's title, with the draft order until a cart is chosen. */
export function Header({
  title,
  order,
  children,
}: {
  title: string;
  order: SaleorOrder | null;
  children?: ReactNode;
}) {
  return (
    <Box as="header" display="flex" flexDirection="column" gap={2}>
      <Text as="h1" size={8} fontWeight="bold">
        {title}
      </Text>
      {order && !children && (
        <Text color="default2">
          Draft order #{order.number} · {order.channel.name}
        </Text>
      )}
      {children}
    </Box>
  );
}

/** Whose cart the CSR is changing, and the session's state as chips. */
export function SessionHeader({
  session,
  order,
  who,
  whose,
  active,
  pending,
  userEmail,
  locale,
}: {
  session: Session;
  order: SaleorOrder | null;
  who: string | null;
  whose: string;
  active: boolean;
  pending: boolean;
  userEmail?: string;
  locale: string;
}) {
  const cart = session.cart;
  return (
    <Header title={who ? `Editing ${who}'s cart` : "Editing an anonymous shopper's cart"} order={order}>
      <Text as="p" size={3} data-testid="whose-cart">
        You{userEmail ? ` (${userEmail})` : ""} are changing {whose} own cart
        {cart?.code ? `, code ${cart.code}` : ""}
        {session.customerEmail ? `, ${session.customerEmail}` : ""}. This is not your cart: the
        shopper sees every change, and cannot check out until you add the items to the order or
        end the takeover.
      </Text>
      <Box display="flex" gap={2} flexWrap="wrap">
        {session.draftOrderNumber && <Chip borderColor="default1">Draft order #{session.draftOrderNumber}</Chip>}
        {session.channel && <Chip borderColor="default1">Channel {session.channel}</Chip>}
        <Chip borderColor="default1" backgroundColor={active ? "success1" : "default2"} data-testid="session-status">
          {active ? "Takeover active" : pending ? "Waiting for the shopper" : `Takeover ${session.status.toLowerCase()}`}
        </Chip>
        {active && session.expiresAt && (
          <Chip borderColor="default1">Idle timeout {formatDate(session.expiresAt, locale)}</Chip>
        )}
        {session.lastCopiedAt && <Chip borderColor="default1">Last added to order {formatDate(session.lastCopiedAt, locale)}</Chip>}
      </Box>
    </Header>
  );
}
