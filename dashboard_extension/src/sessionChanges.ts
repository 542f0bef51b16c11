import { useEffect } from "react";

/**
 * The takeover popup and the draft's widget are iframes of the same origin (the
 * plugin's) that cannot see each other; the Dashboard's `refreshEntity` reloads
 * the draft page's data but not its widgets. A BroadcastChannel lets the popup
 * tell the widget that a draft's session changed, so it shows the new state
 * without a reload.
 */
const CHANNEL = "cart-takeover.sessions";

export function announceSessionChange(draftOrderId: string): void {
  if (!draftOrderId || typeof BroadcastChannel === "undefined") return;
  const channel = new BroadcastChannel(CHANNEL);
  channel.postMessage({ draftOrderId });
  channel.close();
}

/** Calls `onChange` whenever another page announces a change to this draft's session. */
export function useSessionChanges(draftOrderId: string, onChange: () => void): void {
  useEffect(() => {
    if (!draftOrderId || typeof BroadcastChannel === "undefined") return;
    const channel = new BroadcastChannel(CHANNEL);
    channel.onmessage = (event: MessageEvent<{ draftOrderId?: string }>) => {
      if (event.data?.draftOrderId === draftOrderId) onChange();
    };
    return () => channel.close();
  }, [draftOrderId, onChange]);
}
