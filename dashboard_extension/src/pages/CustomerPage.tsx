import { Box, Button, Text } from "@saleor/macaw-ui";
import { useEffect, useState } from "react";

import { payloadOf, raiseErrors } from "../api";
import { TakeoverScreen } from "../components/TakeoverScreen";
import { Card, ErrorNotice, Loading, Notice, SelectField } from "../components/ui";
import { useAction } from "../components/useAction";
import { useDashboard } from "../dashboard";
import {
  CUSTOMER_CARTS,
  DRAFT_ORDER_CREATE,
  SALEOR_CUSTOMER,
  type Cart,
  type Channel,
  type Customer,
} from "../queries";

/** CUSTOMER_DETAILS_MORE_ACTIONS "Take over cart": a draft for the customer, then the takeover. */
export function CustomerPage() {
  const { params, saleor, plugin } = useDashboard();
  const customerId = params.get("customerId") ?? "";
  const [customer, setCustomer] = useState<Customer | null>(null);
  const [channels, setChannels] = useState<Channel[] | null>(null);
  const [channelId, setChannelId] = useState("");
  const [loadError, setLoadError] = useState<unknown>(null);
  const [draftId, setDraftId] = useState<string | null>(null);
  const { busy, error, run } = useAction();

  useEffect(() => {
    if (!customerId) return;
    Promise.all([
      saleor(SALEOR_CUSTOMER, { id: customerId }, true),
      plugin(CUSTOMER_CARTS, { customer: customerId }).catch(() => ({
        customerCarts: [] as Cart[],
      })),
    ])
      .then(([data, carts]) => {
        const usable = (data.channels ?? []).filter((c) => c.isActive);
        setCustomer(data.user);
        setChannels(usable);
        // Default to the channel of the cart the shopper touched last.
        const newest = carts.customerCarts[0]?.channel;
        setChannelId((usable.find((c) => c.slug === newest) ?? usable[0])?.id ?? "");
      })
      .catch(setLoadError);
  }, [customerId, saleor, plugin]);

  if (draftId) return <TakeoverScreen draftOrderId={draftId} context="customer" />;
  if (!customerId) {
    return (
      <Notice tone="warning" title="No customer">
        Open "Take over cart" from a customer's page.
      </Notice>
    );
  }
  if (loadError) return <ErrorNotice error={loadError} />;
  if (!channels) return <Loading label="Loading the customer…" />;
  const name = customer ? [customer.firstName, customer.lastName].filter(Boolean).join(" ") || customer.email : "";

  const create = () =>
    run("create", async () => {
      const data = await saleor(DRAFT_ORDER_CREATE, { input: { user: customerId, channelId } }, true);
      const payload = payloadOf(data.draftOrderCreate);
      raiseErrors(payload);
      if (payload.order) setDraftId(payload.order.id);
    });

  return (
    <Box display="flex" flexDirection="column" gap={4}>
      <Text as="h1" size={8} fontWeight="bold">
        Take over {name}'s cart
      </Text>
      <Text>
        This creates a draft order for {name} ({customer?.email}) and opens their cart so you
        can edit it on their behalf.
      </Text>
      {error !== null && <ErrorNotice error={error} />}
      {channels.length === 0 ? (
        <Notice tone="warning" title="No active channel">
          Activate a channel before creating orders.
        </Notice>
      ) : (
        <Card>
          {channels.length > 1 ? (
            <SelectField
              label="Channel"
              value={channelId}
              onChange={setChannelId}
              options={channels.map((c) => ({ value: c.id, label: `${c.name} (${c.currencyCode})` }))}
            />
          ) : (
            <Text>Channel: {channels[0].name}</Text>
          )}
          <Box>
            <Button variant="primary" disabled={busy !== null || !channelId} onClick={create}>
              Create draft order and take over cart
            </Button>
          </Box>
        </Card>
      )}
    </Box>
  );
}
