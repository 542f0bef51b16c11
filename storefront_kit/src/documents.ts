// The GraphQL a storefront sends for the plugin: two mutations on the plugin's
// endpoint and the checkout fields it reads through Saleor's own API. Each
// document is a plain string typed with its result and variables
// (`DocumentTypeDecoration`-compatible), so any client can send it.
// test/documents.test.ts validates every one against the real schemas.

import type { FieldError } from "./errors.js";
import { LINE_OPTIONS_KEY } from "./keys.generated.js";
import type { MetadataItem } from "./metadata.js";
import type { PickupContact } from "./pickupContacts.js";

/** A GraphQL document as a string, carrying its result and variables types. */
export type TypedDocument<TResult, TVariables> = string & {
  readonly __apiType?: (variables: TVariables) => TResult;
};
export type ResultOf<T> = T extends TypedDocument<infer R, unknown> ? R : never;
export type VariablesOf<T> = T extends TypedDocument<unknown, infer V> ? V : never;

const typed = <TResult, TVariables>(text: string) => text as TypedDocument<TResult, TVariables>;

// --- The plugin's endpoint (POST <Saleor>/plugins/global/saleor.cart_takeover/graphql/)

export type PickupContactInput = { firstName: string; lastName: string; email: string; phone?: string | null };
export type PickupContactsUpdateVariables = {
  checkoutId: string;
  primary?: PickupContactInput | null;
  alternate?: PickupContactInput | null;
};
export type PickupContactsUpdateResult = {
  pickupContactsUpdate: {
    pickupContacts: {
      primary: PickupContact | null;
      alternate: PickupContact | null;
      /** True when nobody is named and the shopper stands in as primary contact. */
      isDefault: boolean;
    } | null;
    errors: FieldError[];
  };
};

const CONTACT_FIELDS = "firstName lastName email phone";

/** Validate and store the pickup contacts; no token needed (the checkout id is the credential). */
export const PICKUP_CONTACTS_UPDATE = typed<PickupContactsUpdateResult, PickupContactsUpdateVariables>(`
mutation PickupContactsUpdate($checkoutId: ID!, $primary: PickupContactInput, $alternate: PickupContactInput) {
  pickupContactsUpdate(checkoutId: $checkoutId, primary: $primary, alternate: $alternate) {
    pickupContacts { primary { ${CONTACT_FIELDS} } alternate { ${CONTACT_FIELDS} } isDefault }
    errors { field code message }
  }
}`);

export type TakeoverConsentAnswerVariables = { checkoutId: string; sessionId: string; accept: boolean };
/** `TakeoverStatus`: `ACTIVE` after an accepted request, `ENDED` after a declined one. */
export type TakeoverStatus = "PENDING" | "ACTIVE" | "ENDED" | "EXPIRED" | "COMPLETED";
export type TakeoverConsentAnswerResult = {
  takeoverConsentAnswer: {
    status: TakeoverStatus | null;
    /** When the takeover ends if the rep stays idle (accepted), or when it ended (declined). */
    expiresAt: string | null;
    errors: FieldError[];
  };
};

/**
 * The shopper's answer to a consent request. A registered shopper's cart needs
 * that shopper's access token; an anonymous cart, the checkout id alone.
 */
export const TAKEOVER_CONSENT_ANSWER = typed<TakeoverConsentAnswerResult, TakeoverConsentAnswerVariables>(`
mutation TakeoverConsentAnswer($checkoutId: ID!, $sessionId: ID!, $accept: Boolean!) {
  takeoverConsentAnswer(checkoutId: $checkoutId, sessionId: $sessionId, accept: $accept) {
    status
    expiresAt
    errors { field code message }
  }
}`);

// --- Saleor's API: the checkout fields the kit reads

/** What the kit's components read from a checkout line. */
export type TakeoverCheckoutLine = {
  id: string;
  metadata: MetadataItem[];
  variant: { product: { productType: { id: string; lineOptions: string | null } } };
};
/** What the kit's components read from a checkout. */
export type TakeoverCheckout = {
  id: string;
  token: string;
  metadata: MetadataItem[];
  user: { id: string; email: string } | null;
  lines: TakeoverCheckoutLine[];
};

/**
 * Spread into a product type selection: `lineOptions` is the declaration
 * (`cart_takeover.line_options`), a JSON string or null.
 */
export const PRODUCT_TYPE_LINE_OPTIONS_FRAGMENT = `
fragment ProductTypeLineOptions on ProductType {
  id
  lineOptions: metafield(key: "${LINE_OPTIONS_KEY}")
}`;

/** Spread into a checkout line selection (its metadata carries the option values and the badge). */
export const CHECKOUT_LINE_TAKEOVER_FRAGMENT = `
fragment CheckoutLineTakeover on CheckoutLine {
  id
  metadata { key value }
  variant { product { productType { ...ProductTypeLineOptions } } }
}
${PRODUCT_TYPE_LINE_OPTIONS_FRAGMENT}`;

/** Spread into a checkout selection: the takeover flag, consent request, pickup contacts, lines. */
export const CHECKOUT_TAKEOVER_FRAGMENT = `
fragment CheckoutTakeover on Checkout {
  id
  token
  metadata { key value }
  user { id email }
  lines { ...CheckoutLineTakeover }
}
${CHECKOUT_LINE_TAKEOVER_FRAGMENT}`;

export type CheckoutTakeoverVariables = { id: string };
export type CheckoutTakeoverResult = { checkout: TakeoverCheckout | null };

/** The checkout's takeover state, for `TakeoverBanner`'s polling (Saleor's API; the checkout id or token). */
export const CHECKOUT_TAKEOVER = typed<CheckoutTakeoverResult, CheckoutTakeoverVariables>(`
query CheckoutTakeover($id: ID!) {
  checkout(id: $id) { ...CheckoutTakeover }
}
${CHECKOUT_TAKEOVER_FRAGMENT}`);
