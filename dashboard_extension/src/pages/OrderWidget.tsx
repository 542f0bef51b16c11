import { useWidgetAutoResize } from "@saleor/app-sdk/app-bridge";
import { Box, Text } from "@saleor/macaw-ui";
import { useEffect, useRef, useState } from "react";

import { ErrorNotice, Loading } from "../components/ui";
import { ORDER_DRAFT_KEY, ORDER_PREPARED_BY_KEY } from "../const.generated";
import { useDashboard } from "../dashboard";
import { ORDER_PICKUP, SALEOR_ORDER, type PickupContact, type PickupContacts, type SaleorOrder } from "../queries";

function Contact({ role, contact }: { role: string; contact: PickupContact }) {
  return (
    <Text size={2} data-testid="pickup-contact">
      {role}: {contact.firstName} {contact.lastName} · {contact.email}
      {contact.phone ? ` · ${contact.phone}` : ""}
    </Text>
  );
}

/** ORDER_DETAILS_WIDGETS: who may collect the order, and who prepared it. */
export function OrderWidget() {
  const { params, plugin, saleor } = useDashboard();
  const orderId = params.get("orderId") ?? "";
  const root = useRef<HTMLDivElement>(null);
  const [contacts, setContacts] = useState<PickupContacts | null | undefined>(undefined);
  const [order, setOrder] = useState<SaleorOrder | null>(null);
  const [error, setError] = useState<unknown>(null);
  useWidgetAutoResize(root);

  useEffect(() => {
    Promise.all([
      plugin(ORDER_PICKUP, { order: orderId }),
      saleor(SALEOR_ORDER, { id: orderId }, true).catch(() => ({ order: null })),
    ])
      .then(([pickup, saleorOrder]) => {
        setContacts(pickup.orderPickupContacts);
        setOrder(saleorOrder.order);
      })
      .catch(setError);
  }, [orderId, plugin, saleor]);

  const meta = Object.fromEntries((order?.privateMetadata ?? []).map((m) => [m.key, m.value]));
  return (
    <Box ref={root} padding={3} display="flex" flexDirection="column" gap={2} color="default1" backgroundColor="default1">
      {error !== null && <ErrorNotice error={error} />}
      {contacts === undefined && error === null && <Loading label="Loading…" />}
      {contacts === null && <Text size={2}>Not a click-and-collect order: no pickup contacts.</Text>}
      {contacts && (
        <Box display="flex" flexDirection="column" gap={1}>
          <Text fontWeight="bold">
            Pickup{order?.collectionPointName ? ` at ${order.collectionPointName}` : ""}
          </Text>
          {contacts.primary && <Contact role={contacts.isDefault ? "Shopper" : "Primary"} contact={contacts.primary} />}
          {contacts.alternate && <Contact role="Alternate" contact={contacts.alternate} />}
        </Box>
      )}
      {meta[ORDER_PREPARED_BY_KEY] && (
        <Text size={2} data-testid="prepared-by">
          Prepared by {meta[ORDER_PREPARED_BY_KEY]} in a cart takeover
          {meta[ORDER_DRAFT_KEY] ? ` (draft #${meta[ORDER_DRAFT_KEY]})` : ""}.
        </Text>
      )}
    </Box>
  );
}
