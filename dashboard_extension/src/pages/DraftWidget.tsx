import { useWidgetAutoResize } from "@saleor/app-sdk/app-bridge";
import { Box, Button, Text } from "@saleor/macaw-ui";
import { useCallback, useEffect, useRef, useState } from "react";

import { ErrorNotice, Loading } from "../components/ui";
import { actions, useDashboard } from "../dashboard";
import { formatDate } from "../i18n";
import { SESSIONS, cartLabel, type Session } from "../queries";
import { useSessionChanges } from "../sessionChanges";

/** DRAFT_ORDER_DETAILS_WIDGETS: the linked cart at a glance, and a way in. */
export function DraftWidget() {
  const { params, plugin, dispatch, locale } = useDashboard();
  const draftOrderId = params.get("orderId") ?? params.get("draftOrderId") ?? "";
  const root = useRef<HTMLDivElement>(null);
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  useWidgetAutoResize(root);

  const load = useCallback(() => {
    setError(null);
    plugin(SESSIONS, { draft: draftOrderId, first: 1 })
      .then((data) => setSession(data.takeoverSessions[0] ?? null))
      .catch(setError);
  }, [draftOrderId, plugin]);
  useEffect(load, [load]);
  // The takeover popup announces every change it makes (edits, "Add Items to
  // Order", hand-back), so the widget never shows a stale state.
  useSessionChanges(draftOrderId, load);
  // The takeover runs in a popup the widget cannot see; while one is active,
  // look again now and then so the status and line count stay current.
  const active = session?.status === "ACTIVE";
  useEffect(() => {
    if (!active) return;
    const timer = window.setInterval(load, 20_000);
    return () => window.clearInterval(timer);
  }, [active, load]);

  const open = () =>
    dispatch(actions.OpenPopup({ extensionIdentifier: "takeover", params: { draftOrderId } }));

  const cart = session?.cart;
  return (
    <Box ref={root} padding={3} display="flex" flexDirection="column" gap={2} color="default1" backgroundColor="default1">
      {error !== null && <ErrorNotice error={error} />}
      {session === undefined && error === null && <Loading label="Loading…" />}
      {session === null && <Text>No cart has been taken over for this draft yet.</Text>}
      {session && (
        <Box display="flex" flexDirection="column" gap={1} data-testid="widget-session">
          <Text fontWeight="bold">
            {session.status === "ACTIVE" ? "Takeover active" : `Takeover ${session.status.toLowerCase()}`}
          </Text>
          <Text size={2}>By {session.startedByEmail} since {formatDate(session.startedAt, locale)}</Text>
          <Text size={2}>
            Cart {cartLabel(session.cartCode)}
            {session.customerEmail ? ` of ${session.customerEmail}` : ""}
            {cart ? ` · ${cart.quantity} item(s) in ${cart.lines.length} line(s)` : " · cart gone"}
          </Text>
          <Text size={2}>
            {session.lastCopiedAt
              ? `Last added to the order ${formatDate(session.lastCopiedAt, locale)}`
              : "Not added to the order yet"}
          </Text>
        </Box>
      )}
      <Box display="flex" gap={2}>
        <Button variant="secondary" size="small" onClick={open}>
          {session?.status === "ACTIVE" ? "Open cart takeover" : "View user's cart"}
        </Button>
        <Button variant="tertiary" size="small" onClick={load}>
          Refresh
        </Button>
      </Box>
    </Box>
  );
}
