import { Box, Button, Chip, Text } from "@saleor/macaw-ui";
import { useCallback, useEffect, useState } from "react";

import { raiseErrors } from "../api";
import { announceSessionChange } from "../sessionChanges";
import { actions, useDashboard } from "../dashboard";
import { formatDate } from "../i18n";
import {
  COPY,
  END,
  LINES_ADD,
  LINES_DELETE,
  LINES_UPDATE,
  PICKUP_UPDATE,
  REVERT,
  SALEOR_ORDER,
  SESSION,
  SESSION_STATUS,
  SESSIONS,
  START,
  type CartLine,
  type PickupContacts,
  type Product,
  type SaleorOrder,
  type Session,
  type SessionPayload,
} from "../queries";
import { CartLines } from "./CartLines";
import type { NewLine } from "./ItemView";
import { PickupContactsForm, type ContactsInput } from "./PickupContactsForm";
import { ProductSearch } from "./ProductSearch";
import { customerLabel, StartPanel } from "./StartPanel";
import { Card, ErrorNotice, Loading, Notice } from "./ui";
import { useAction } from "./useAction";
import { ApiError, type FieldError } from "../api";

type Phase = "loading" | "choose" | "active" | "closed";

function isAccessError(error: unknown): boolean {
  return (
    error instanceof ApiError && (error.code === "PermissionDenied" || error.code === "Unauthenticated")
  );
}

/** Whose cart is this? Never the CSR's own: say the shopper's name or that it is anonymous. */
export function shopperName(session: Session, order: SaleorOrder | null): string | null {
  return (
    session.cart?.customerName ||
    customerLabel(order) ||
    session.customerEmail ||
    session.cart?.email ||
    null
  );
}

/**
 * The takeover screen for one draft order: choose the cart, edit it, then add
 * its items to the order. `context` says where it was opened from, which
 * decides how the Dashboard is told about the result.
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
  const { plugin, saleor, dispatch, locale, userEmail } = useDashboard();
  const [phase, setPhase] = useState<Phase>("loading");
  const [order, setOrder] = useState<SaleorOrder | null>(null);
  const [session, setSession] = useState<Session | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [confirmEnd, setConfirmEnd] = useState(false);
  const [confirmRevert, setConfirmRevert] = useState(false);
  const [notRestored, setNotRestored] = useState<FieldError[]>([]);
  const { busy, error, setError, run } = useAction();

  const apply = useCallback((payload: SessionPayload) => {
    raiseErrors(payload);
    setSession(payload.session);
    setNotRestored([]);
  }, []);

  const load = useCallback(async () => {
    setPhase("loading");
    setError(null);
    try {
      const [orderData, sessions] = await Promise.all([
        // The Dashboard's token is fresh when the screen opens; the name is a nicety.
        saleor<{ order: SaleorOrder | null }>(SALEOR_ORDER, { id: draftOrderId }, true).catch(
          () => ({ order: null }),
        ),
        // The draft's newest session: active, or waiting for the shopper's consent.
        plugin<{ takeoverSessions: Session[] }>(SESSIONS, {
          status: null,
          draft: draftOrderId,
          first: 1,
        }),
      ]);
      setOrder(orderData.order);
      const newest = sessions.takeoverSessions[0];
      const active = newest && ["ACTIVE", "PENDING"].includes(newest.status) ? newest : undefined;
      if (!active) {
        setPhase("choose");
        return;
      }
      // Starting again gives the same rep the same session; anyone else learns who holds it.
      const data = await plugin<{ takeoverStart: SessionPayload }>(START, {
        draft: draftOrderId,
        checkout: active.cart?.id ?? null,
      });
      apply(data.takeoverStart);
      setPhase("active");
    } catch (caught) {
      setError(caught);
      setPhase("choose");
    }
  }, [apply, draftOrderId, plugin, saleor, setError]);

  useEffect(() => {
    void load();
  }, [load]);

  // While the shopper has not answered, check the status cheaply; load the
  // whole session once it changes (accepted, declined or expired).
  const pendingId = session?.status === "PENDING" ? session.id : null;
  useEffect(() => {
    if (!pendingId) return;
    let stopped = false;
    let polling = false; // a slow answer must not overlap the next tick
    const timer = window.setInterval(() => {
      if (polling || stopped) return;
      polling = true;
      void (async () => {
        try {
          const now = await plugin<{ takeoverSession: Pick<Session, "id" | "status"> | null }>(
            SESSION_STATUS,
            { id: pendingId },
          );
          if (stopped || !now.takeoverSession || now.takeoverSession.status === "PENDING") return;
          stopped = true;
          window.clearInterval(timer);
          const full = await plugin<{ takeoverSession: Session | null }>(SESSION, { id: pendingId });
          if (full.takeoverSession) setSession(full.takeoverSession);
        } catch {
          // A failed poll is retried on the next tick.
        } finally {
          polling = false;
        }
      })();
    }, pollMs);
    return () => {
      stopped = true;
      window.clearInterval(timer);
    };
  }, [pendingId, plugin, pollMs]);

  const start = (choice: { checkoutId?: string; code?: string }) =>
    run("start", async () => {
      const data = await plugin<{ takeoverStart: SessionPayload }>(START, {
        draft: draftOrderId,
        checkout: choice.checkoutId ?? null,
        code: choice.code ?? null,
      });
      apply(data.takeoverStart);
      setNotice(null);
      setPhase("active");
    });

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
          <StartPanel order={order} disabled={busy !== null} onStart={start} />
        )}
      </Box>
    );
  }

  const cart = session.cart;
  const who = shopperName(session, order);
  const whose = who ? `${who}'s` : "an anonymous shopper's";
  const active = session.status === "ACTIVE" && phase === "active";
  const disabled = busy !== null || !active;
  const sessionId = session.id;

  const addLine = async (line: NewLine, product: Product): Promise<boolean> => {
    let added = false;
    await run("add", async () => {
      const data = await plugin<{ takeoverLinesAdd: SessionPayload }>(LINES_ADD, {
        session: sessionId,
        lines: [line],
      });
      apply(data.takeoverLinesAdd);
      setNotice(`Added ${line.quantity} × ${product.name} to ${whose} cart.`);
      added = true;
    });
    return added;
  };
  const changeQuantity = (line: CartLine, quantity: number) =>
    run("update", async () => {
      const data = await plugin<{ takeoverLinesUpdate: SessionPayload }>(LINES_UPDATE, {
        session: sessionId,
        lines: [{ lineId: line.id, quantity }],
      });
      apply(data.takeoverLinesUpdate);
      setNotice(`${line.productName} quantity is now ${quantity}.`);
    });
  const remove = (line: CartLine) =>
    run("remove", async () => {
      const data = await plugin<{ takeoverLinesDelete: SessionPayload }>(LINES_DELETE, {
        session: sessionId,
        ids: [line.id],
      });
      apply(data.takeoverLinesDelete);
      setNotice(`Removed ${line.productName} (${line.variantName}) from the cart.`);
    });
  const savePickup = (contacts: ContactsInput) =>
    run("pickup", async () => {
      if (!cart) return;
      const data = await plugin<{
        pickupContactsUpdate: { pickupContacts: PickupContacts | null; errors: FieldError[] };
      }>(PICKUP_UPDATE, { checkout: cart.id, ...contacts });
      raiseErrors(data.pickupContactsUpdate);
      setSession({ ...session, cart: { ...cart, pickupContacts: data.pickupContactsUpdate.pickupContacts } });
      setNotice("Pickup contacts saved.");
    });
  const copy = (handBack: boolean) =>
    run(handBack ? "copy-hand-back" : "copy", async () => {
      const data = await plugin<{
        takeoverCopyToDraft: SessionPayload & {
          result: { added: number; updated: number; removed: number; unchanged: number } | null;
        };
      }>(COPY, { session: sessionId, handBack });
      apply(data.takeoverCopyToDraft);
      // The draft's widget (another iframe) shows the new state at once. Only
      // here and on ending: Dashboard 3.23 applies a widget's resize message to
      // any open frame of the same origin, so a widget re-rendering while the
      // popup is in use shrinks the popup to the widget's height.
      announceSessionChange(draftOrderId);
      const number = data.takeoverCopyToDraft.session?.draftOrderNumber ?? order?.number ?? "";
      const r = data.takeoverCopyToDraft.result;
      const summary = r ? `${r.added} added, ${r.updated} updated, ${r.removed} removed` : "";
      const text = handBack
        ? `The items of ${whose} cart are in draft order #${number} (${summary}); the cart is back with the shopper.`
        : `The items of ${whose} cart are in draft order #${number} (${summary}). You can keep editing.`;
      await dispatch(actions.Notification({ status: "success", title: "Items added to order", text }));
      if (context === "draft") {
        // The draft page shows the new lines without a manual reload.
        await dispatch(actions.RefreshEntity());
      }
      if (handBack) {
        setPhase("closed");
        setNotice(text);
        if (context === "customer") {
          await dispatch(actions.Redirect({ to: `/orders/drafts/${encodeURIComponent(draftOrderId)}` }));
        }
        // A redirect does not close a popup in Dashboard 3.23; close it explicitly.
        await dispatch(actions.PopupClose());
      } else {
        setNotice(text);
      }
    });
  const revert = () =>
    run("revert", async () => {
      const data = await plugin<{ takeoverRevert: SessionPayload }>(REVERT, { session: sessionId });
      const payload = data.takeoverRevert;
      // Lines that could not come back are reported next to a restored cart.
      if (!payload.session) raiseErrors(payload);
      setSession(payload.session);
      setConfirmRevert(false);
      setNotRestored(payload.errors);
      setNotice(
        payload.errors.length
          ? `The cart is back as it was when you opened it, except ${payload.errors.length} ${
              payload.errors.length === 1 ? "line" : "lines"
            } that could not be restored.`
          : "The cart is back as it was when you opened it.",
      );
    });
  const end = () =>
    run("end", async () => {
      const data = await plugin<{ takeoverEnd: SessionPayload }>(END, { session: sessionId });
      apply(data.takeoverEnd);
      announceSessionChange(draftOrderId);
      setConfirmEnd(false);
      setPhase("closed");
      const text = `${who ?? "The shopper"} has the cart back; nothing was added to the order.`;
      setNotice(text);
      await dispatch(actions.Notification({ status: "info", title: "Takeover ended", text }));
      await dispatch(actions.PopupClose());
    });

  const notActive = error instanceof ApiError && error.code === "SESSION_NOT_ACTIVE";
  const pending = session.status === "PENDING" && phase === "active";
  // The shopper declined, or never answered, while this screen waited.
  const refused = phase === "active" && !active && !pending;

  return (
    <Box display="flex" flexDirection="column" gap={4}>
      <Header
        title={who ? `Editing ${who}'s cart` : "Editing an anonymous shopper's cart"}
        order={order}
      >
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

      {error !== null && <ErrorNotice error={error} />}
      {pending && (
        <Notice tone="info" title="Waiting for the shopper's consent" testId="pending">
          The shopper has to accept the takeover on the storefront
          {session.expiresAt ? ` before ${formatDate(session.expiresAt, locale)}` : ""}. Nothing can
          be changed until then; this page updates by itself when they answer.
        </Notice>
      )}
      {pending && (
        <Box>
          <Button variant="tertiary" disabled={busy !== null} onClick={end}>
            Withdraw the request
          </Button>
        </Box>
      )}
      {refused && (
        <Notice tone="warning" title={`Takeover ${session.status.toLowerCase()}`} testId="refused">
          {session.endReason ?? "The takeover is over."}
        </Notice>
      )}
      {(notActive || refused) && (
        <Box>
          <Button variant="secondary" onClick={() => void load()}>
            Start again
          </Button>
        </Box>
      )}
      {notice && (
        <Notice tone="success" title={phase === "closed" ? "Done" : "Saved"} testId="notice">
          {notice}
        </Notice>
      )}
      {notRestored.length > 0 && (
        <Notice tone="warning" title="Not restored" testId="not-restored">
          <Box as="ul" margin={0} paddingLeft={4}>
            {notRestored.map((item) => (
              <li key={`${item.field}-${item.code}`}>
                <Text>{item.message}</Text>
              </li>
            ))}
          </Box>
        </Notice>
      )}
      {busy && <Loading label="Saving…" />}

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
              onQuantity={changeQuantity}
              onRemove={remove}
            />
          </Card>
          {active && (
            <Card title="Add products">
              <ProductSearch channel={cart.channel} disabled={disabled} onAdd={addLine} />
            </Card>
          )}
          {active && (
            <Card title="Pickup contacts">
              <PickupContactsForm cart={cart} disabled={disabled} onSave={savePickup} />
            </Card>
          )}
        </>
      )}

      {active && (
        <Box
          as="footer"
          display="flex"
          gap={2}
          flexWrap="wrap"
          alignItems="center"
          paddingTop={2}
          borderTopStyle="solid"
          borderTopWidth={1}
          borderColor="default1"
        >
          <Button variant="primary" disabled={disabled || !cart} onClick={() => copy(true)}>
            Add Items to Order
          </Button>
          <Button variant="secondary" disabled={disabled || !cart} onClick={() => copy(false)}>
            Copy to order and keep editing
          </Button>
          {confirmRevert ? (
            <Box display="flex" gap={2} alignItems="center" role="group" aria-label="Confirm revert">
              <Text>Undo every change to the cart since you opened it?</Text>
              <Button variant="error" disabled={disabled} onClick={revert}>
                Yes, revert
              </Button>
              <Button variant="tertiary" onClick={() => setConfirmRevert(false)}>
                Cancel
              </Button>
            </Box>
          ) : (
            <Button
              variant="tertiary"
              disabled={disabled || !cart}
              onClick={() => {
                setConfirmEnd(false);
                setConfirmRevert(true);
              }}
            >
              Revert my changes
            </Button>
          )}
          {confirmEnd ? (
            <Box display="flex" gap={2} alignItems="center" role="group" aria-label="Confirm ending">
              <Text>End without adding anything to the order?</Text>
              <Button variant="error" disabled={disabled} onClick={end}>
                Yes, end takeover
              </Button>
              <Button variant="tertiary" onClick={() => setConfirmEnd(false)}>
                Cancel
              </Button>
            </Box>
          ) : (
            <Button
              variant="tertiary"
              disabled={disabled}
              onClick={() => {
                setConfirmRevert(false);
                setConfirmEnd(true);
              }}
            >
              End takeover
            </Button>
          )}
        </Box>
      )}
    </Box>
  );
}

function Header({
  title,
  order,
  children,
}: {
  title: string;
  order: SaleorOrder | null;
  children?: React.ReactNode;
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
