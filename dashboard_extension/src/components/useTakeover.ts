import { useCallback, useEffect, useState } from "react";

import { ApiError, payloadOf, raiseErrors, type FieldError } from "../api";
import { actions, useDashboard } from "../dashboard";
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
  type Product,
  type SaleorOrder,
  type Session,
  type SessionPayload,
} from "../queries";
import { announceSessionChange } from "../sessionChanges";
import type { NewLine } from "./ItemView";
import type { ContactsInput } from "./PickupContactsForm";
import { customerLabel } from "./StartPanel";
import { useAction } from "./useAction";

export type Phase = "loading" | "choose" | "active" | "closed";

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
 * The state of the takeover screen for one draft order and what the CSR can do
 * there: open (or resume) the draft's session, wait for the shopper's consent,
 * edit the cart, add its items to the order, revert, end. `context` says where
 * the screen was opened from, which decides how the Dashboard is told.
 */
export function useTakeover(draftOrderId: string, context: "draft" | "customer", pollMs: number) {
  const { plugin, saleor, dispatch } = useDashboard();
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
        saleor(SALEOR_ORDER, { id: draftOrderId }, true).catch(() => ({ order: null })),
        // The draft's newest session: active, or waiting for the shopper's consent.
        plugin(SESSIONS, { status: null, draft: draftOrderId, first: 1 }),
      ]);
      setOrder(orderData.order);
      const newest = sessions.takeoverSessions[0];
      const active = newest && ["ACTIVE", "PENDING"].includes(newest.status) ? newest : undefined;
      if (!active) {
        setPhase("choose");
        return;
      }
      // Starting again gives the same rep the same session; anyone else learns who holds it.
      const data = await plugin(START, { draft: draftOrderId, checkout: active.cart?.id ?? null });
      apply(payloadOf(data.takeoverStart));
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
          const now = await plugin(SESSION_STATUS, { id: pendingId });
          if (stopped || !now.takeoverSession || now.takeoverSession.status === "PENDING") return;
          stopped = true;
          window.clearInterval(timer);
          const full = await plugin(SESSION, { id: pendingId });
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

  // What follows is derived from this render's session, as the actions are.
  const cart = session?.cart ?? null;
  const who = session ? shopperName(session, order) : null;
  const whose = who ? `${who}'s` : "an anonymous shopper's";
  const active = session?.status === "ACTIVE" && phase === "active";
  const pending = session?.status === "PENDING" && phase === "active";
  const sessionId = session?.id ?? "";

  const start = (choice: { checkoutId?: string; code?: string }) =>
    run("start", async () => {
      const data = await plugin(START, {
        draft: draftOrderId,
        checkout: choice.checkoutId ?? null,
        code: choice.code ?? null,
      });
      apply(payloadOf(data.takeoverStart));
      setNotice(null);
      setPhase("active");
    });

  const addLine = async (line: NewLine, product: Product): Promise<boolean> => {
    let added = false;
    await run("add", async () => {
      const data = await plugin(LINES_ADD, { session: sessionId, lines: [line] });
      apply(payloadOf(data.takeoverLinesAdd));
      setNotice(`Added ${line.quantity} × ${product.name} to ${whose} cart.`);
      added = true;
    });
    return added;
  };
  const changeQuantity = (line: CartLine, quantity: number) =>
    run("update", async () => {
      const data = await plugin(LINES_UPDATE, {
        session: sessionId,
        lines: [{ lineId: line.id, quantity }],
      });
      apply(payloadOf(data.takeoverLinesUpdate));
      setNotice(`${line.productName} quantity is now ${quantity}.`);
    });
  const remove = (line: CartLine) =>
    run("remove", async () => {
      const data = await plugin(LINES_DELETE, { session: sessionId, ids: [line.id] });
      apply(payloadOf(data.takeoverLinesDelete));
      setNotice(`Removed ${line.productName} (${line.variantName}) from the cart.`);
    });
  const savePickup = (contacts: ContactsInput) =>
    run("pickup", async () => {
      if (!session || !cart) return;
      const data = await plugin(PICKUP_UPDATE, { checkoutId: cart.id, ...contacts });
      const payload = payloadOf(data.pickupContactsUpdate);
      raiseErrors(payload);
      setSession({ ...session, cart: { ...cart, pickupContacts: payload.pickupContacts } });
      setNotice("Pickup contacts saved.");
    });
  const copy = (handBack: boolean) =>
    run(handBack ? "copy-hand-back" : "copy", async () => {
      const data = await plugin(COPY, { session: sessionId, handBack });
      const payload = payloadOf(data.takeoverCopyToDraft);
      apply(payload);
      // The draft's widget (another iframe) shows the new state at once. Only
      // here and on ending: Dashboard 3.23 applies a widget's resize message to
      // any open frame of the same origin, so a widget re-rendering while the
      // popup is in use shrinks the popup to the widget's height.
      announceSessionChange(draftOrderId);
      const number = payload.session?.draftOrderNumber ?? order?.number ?? "";
      const r = payload.result;
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
      const data = await plugin(REVERT, { session: sessionId });
      const payload = payloadOf(data.takeoverRevert);
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
      const data = await plugin(END, { session: sessionId });
      apply(payloadOf(data.takeoverEnd));
      announceSessionChange(draftOrderId);
      setConfirmEnd(false);
      setPhase("closed");
      const text = `${who ?? "The shopper"} has the cart back; nothing was added to the order.`;
      setNotice(text);
      await dispatch(actions.Notification({ status: "info", title: "Takeover ended", text }));
      await dispatch(actions.PopupClose());
    });
  // Only one confirmation is open at a time.
  const askRevert = (open: boolean) => {
    if (open) setConfirmEnd(false);
    setConfirmRevert(open);
  };
  const askEnd = (open: boolean) => {
    if (open) setConfirmRevert(false);
    setConfirmEnd(open);
  };

  return {
    phase,
    order,
    session,
    cart,
    who,
    whose,
    active,
    pending,
    // The shopper declined, or never answered, while this screen waited.
    refused: phase === "active" && !active && !pending,
    notActive: error instanceof ApiError && error.code === "SESSION_NOT_ACTIVE",
    disabled: busy !== null || !active,
    notice,
    notRestored,
    confirmEnd,
    confirmRevert,
    busy,
    error,
    load,
    start,
    addLine,
    changeQuantity,
    remove,
    savePickup,
    copy,
    revert,
    end,
    askRevert,
    askEnd,
  };
}

export type Takeover = ReturnType<typeof useTakeover>;
