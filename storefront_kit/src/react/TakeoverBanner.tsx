"use client";

import { useEffect, useRef, useState, type ReactNode } from "react";

import type { Metadata } from "../metadata.js";
import { isTakenOver } from "../takeover.js";

export const DEFAULT_POLL_INTERVAL = 5000;

export type TakeoverBannerProps = {
  /** The checkout's public metadata, as last loaded. */
  metadata: Metadata;
  /**
   * Called every `pollInterval` ms while a rep holds the cart. Return the
   * checkout's fresh metadata (e.g. from a server action running
   * `CHECKOUT_TAKEOVER`), or nothing when it re-renders the banner with new
   * `metadata` itself (e.g. `router.refresh()`).
   */
  poll?: () => Promise<Metadata | void> | Metadata | void;
  /** The hold has ended (seen in polled or new metadata): reload the cart, the rep changed it. */
  onHoldEnded?: () => void;
  pollInterval?: number;
  /** Default: "A customer-service representative is editing your cart. You can check out when they are done." */
  message?: ReactNode;
  className?: string;
  /** Render the banner's content yourself. */
  children?: ReactNode;
};

/** Shows while `cart_takeover.active` is "true": the shopper cannot check out while a rep edits. */
export function TakeoverBanner({
  metadata,
  poll,
  onHoldEnded,
  pollInterval = DEFAULT_POLL_INTERVAL,
  message = "A customer-service representative is editing your cart. You can check out when they are done.",
  className,
  children,
}: TakeoverBannerProps) {
  const fromProps = isTakenOver(metadata);
  // What the last poll said; new props win over it.
  const [polled, setPolled] = useState<{ active: boolean; props: boolean } | null>(null);
  const active = polled && polled.props === fromProps ? polled.active : fromProps;

  const pollRef = useRef(poll);
  const endedRef = useRef(onHoldEnded);
  pollRef.current = poll;
  endedRef.current = onHoldEnded;

  const wasActive = useRef(active);
  useEffect(() => {
    if (wasActive.current && !active) endedRef.current?.();
    wasActive.current = active;
  }, [active]);

  const canPoll = Boolean(poll);
  useEffect(() => {
    if (!active || !canPoll) return;
    let stopped = false;
    let busy = false; // a slow answer is not asked again on top of itself
    const tick = async () => {
      if (busy || stopped) return;
      busy = true;
      try {
        const fresh = await pollRef.current?.();
        if (!stopped && fresh !== undefined) setPolled({ active: isTakenOver(fresh), props: fromProps });
      } catch {
        // A failed poll changes nothing; the next one tries again.
      } finally {
        busy = false;
      }
    };
    const timer = setInterval(() => void tick(), pollInterval);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [active, canPoll, pollInterval, fromProps]);

  if (!active) return null;
  return (
    <div role="status" className={className} data-takeover-banner="">
      {children ?? message}
    </div>
  );
}
