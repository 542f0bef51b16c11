"use client";

import type { ReactNode } from "react";

import type { Metadata } from "../metadata.js";
import { isAddedByCustomerService } from "../takeover.js";

export type CustomerServiceBadgeProps = {
  /** The checkout (or order) line's public metadata. */
  metadata: Metadata;
  /** Default "Added by customer service". */
  label?: ReactNode;
  className?: string;
  children?: ReactNode;
};

/** Marks a line a customer-service rep added or changed (`cart_takeover.source`); nothing otherwise. */
export function CustomerServiceBadge({
  metadata,
  label = "Added by customer service",
  className,
  children,
}: CustomerServiceBadgeProps) {
  if (!isAddedByCustomerService(metadata)) return null;
  return (
    <span className={className} data-customer-service-badge="">
      {children ?? label}
    </span>
  );
}
