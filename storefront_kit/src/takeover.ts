// What a checkout's metadata says about a takeover.

import {
  CHECKOUT_TAKEN_OVER_KEY,
  CONSENT_REQUESTED_KEY,
  LINE_SOURCE_CUSTOMER_SERVICE,
  LINE_SOURCE_KEY,
} from "./keys.generated.js";
import { metadataValue, type Metadata } from "./metadata.js";

/** A customer-service rep holds the cart: the shopper cannot check out meanwhile. */
export function isTakenOver(metadata: Metadata): boolean {
  return metadataValue(metadata, CHECKOUT_TAKEN_OVER_KEY) === "true";
}

/** The `TakeoverSession` id waiting for the shopper's consent, or null. */
export function consentRequest(metadata: Metadata): string | null {
  const value = metadataValue(metadata, CONSENT_REQUESTED_KEY);
  return value && value.trim() ? value : null;
}

/** The line was added or changed by customer service. */
export function isAddedByCustomerService(lineMetadata: Metadata): boolean {
  return metadataValue(lineMetadata, LINE_SOURCE_KEY) === LINE_SOURCE_CUSTOMER_SERVICE;
}
