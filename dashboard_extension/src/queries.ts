// GraphQL documents and the shapes they return.
import type { FieldError } from "./api";
import { LINE_OPTIONS_KEY } from "./const.generated";

export type Money = { amount: number; currency: string };
export type Meta = { key: string; value: string };
export type CartLine = {
  id: string;
  variantId: string;
  sku: string | null;
  productName: string;
  variantName: string;
  quantity: number;
  metadata: Meta[];
  unitPrice: Money | null;
  totalPrice: Money | null;
  addedByCustomerService: boolean;
};
export type PickupContact = { firstName: string; lastName: string; email: string; phone: string | null };
export type PickupContacts = {
  primary: PickupContact | null;
  alternate: PickupContact | null;
  isDefault: boolean;
};
export type Cart = {
  id: string;
  /** Null while the cart waits for the shopper's consent: the rep must not have it. */
  code: string | null;
  channel: string;
  currency: string;
  email: string | null;
  customerId: string | null;
  customerName: string | null;
  quantity: number;
  subtotal: Money | null;
  updatedAt: string;
  takenOver: boolean;
  pickupPoint: string | null;
  lines: CartLine[];
  pickupContacts: PickupContacts | null;
  pickupContactsError: string | null;
};
export type Session = {
  id: string;
  status: "PENDING" | "ACTIVE" | "ENDED" | "EXPIRED" | "COMPLETED";
  endReason: string | null;
  draftOrderId: string | null;
  draftOrderNumber: string | null;
  /** Null while the cart waits for the shopper's consent. */
  cartCode: string | null;
  channel: string | null;
  customerId: string | null;
  customerEmail: string | null;
  startedByEmail: string;
  /** Who may change the cart now: the starter, or whoever it was handed to. */
  heldByEmail: string;
  startedAt: string;
  endedAt: string | null;
  expiresAt: string | null;
  lastCopiedAt: string | null;
  orderId: string | null;
  orderNumber: string | null;
  cart: Cart | null;
};
export type SessionPayload = { session: Session | null; errors: FieldError[] };

const CONTACT = "firstName lastName email phone";
export const CART_FIELDS = `
  id code channel currency email customerId customerName quantity updatedAt takenOver pickupPoint
  subtotal { amount currency }
  lines { id variantId sku productName variantName quantity metadata { key value }
          unitPrice { amount currency } totalPrice { amount currency } addedByCustomerService }
  pickupContacts { primary { ${CONTACT} } alternate { ${CONTACT} } isDefault }
  pickupContactsError
`;
export const SESSION_FIELDS = `
  id status endReason draftOrderId draftOrderNumber cartCode channel customerId customerEmail
  startedByEmail heldByEmail startedAt endedAt expiresAt lastCopiedAt orderId orderNumber
  cart { ${CART_FIELDS} }
`;
const PAYLOAD = `session { ${SESSION_FIELDS} } errors { field code message }`;

export const VIEWER = `query Viewer { viewer { email canTakeOver canManageGrants } }`;
export const SESSIONS = `
query Sessions($status: TakeoverStatus, $draft: ID, $first: Int) {
  takeoverSessions(status: $status, draftOrderId: $draft, first: $first) { ${SESSION_FIELDS} }
}`;
export const CUSTOMER_CARTS = `
query CustomerCarts($customer: ID!, $channel: String) {
  customerCarts(customerId: $customer, channel: $channel) { ${CART_FIELDS} }
}`;
export const CART_BY_CODE = `query CartByCode($code: String!) { cartByCode(code: $code) { ${CART_FIELDS} } }`;
// `$checkout` carries the opaque Cart id this API returns (`cart.id`), never a checkout token.
export const START = `
mutation Start($draft: ID!, $checkout: ID, $code: String) {
  takeoverStart(draftOrderId: $draft, cartId: $checkout, cartCode: $code) { ${PAYLOAD} }
}`;
export const LINES_ADD = `
mutation LinesAdd($session: ID!, $lines: [TakeoverLineInput!]!) {
  takeoverLinesAdd(sessionId: $session, lines: $lines) { ${PAYLOAD} }
}`;
export const LINES_UPDATE = `
mutation LinesUpdate($session: ID!, $lines: [TakeoverLineUpdateInput!]!) {
  takeoverLinesUpdate(sessionId: $session, lines: $lines) { ${PAYLOAD} }
}`;
export const LINES_DELETE = `
mutation LinesDelete($session: ID!, $ids: [ID!]!) {
  takeoverLinesDelete(sessionId: $session, lineIds: $ids) { ${PAYLOAD} }
}`;
export const COPY = `
mutation Copy($session: ID!, $handBack: Boolean) {
  takeoverCopyToDraft(sessionId: $session, handBack: $handBack) {
    ${PAYLOAD} result { added updated removed unchanged }
  }
}`;
export const REVERT = `
mutation Revert($session: ID!) { takeoverRevert(sessionId: $session) { ${PAYLOAD} } }`;
export const END = `mutation End($session: ID!) { takeoverEnd(sessionId: $session) { ${PAYLOAD} } }`;
export const TRANSFER = `
mutation Transfer($session: ID!, $email: String!) {
  takeoverTransfer(sessionId: $session, staffEmail: $email) { ${PAYLOAD} }
}`;
/** Cheap enough to poll while a session waits for the shopper's consent. */
export const SESSION_STATUS = `
query SessionStatus($id: ID!) { takeoverSession(id: $id) { id status endReason expiresAt } }`;
export const SESSION = `query Session($id: ID!) { takeoverSession(id: $id) { ${SESSION_FIELDS} } }`;

export type ReportRow = {
  staffEmail: string | null;
  sessions: number;
  handedBack: number;
  shopperCompleted: number;
  draftsCompleted: number;
  expired: number;
  medianMinutes: number | null;
  /** Null when the row spans several currencies; see revenueByCurrency. */
  revenue: Money | null;
  revenueByCurrency: Money[];
};
export type TakeoverReport = { rows: ReportRow[]; totals: ReportRow };
const REPORT_ROW = `
  staffEmail sessions handedBack shopperCompleted draftsCompleted expired medianMinutes
  revenue { amount currency } revenueByCurrency { amount currency }
`;
export const REPORT = `
query Report($from: Date!, $to: Date!, $channel: String) {
  takeoverReport(dateFrom: $from, dateTo: $to, channel: $channel) {
    rows { ${REPORT_ROW} } totals { ${REPORT_ROW} }
  }
}`;
export const PICKUP_UPDATE = `
mutation Pickup($checkout: ID!, $primary: PickupContactInput, $alternate: PickupContactInput) {
  pickupContactsUpdate(checkoutId: $checkout, primary: $primary, alternate: $alternate) {
    pickupContacts { primary { ${CONTACT} } alternate { ${CONTACT} } isDefault }
    errors { field code message }
  }
}`;
export const ORDER_PICKUP = `
query OrderPickup($order: ID!) {
  orderPickupContacts(orderId: $order) { primary { ${CONTACT} } alternate { ${CONTACT} } isDefault }
}`;
export const HOLDERS = `query Holders { takeoverPermissionHolders { kind name grantedBy } }`;
export const GRANT = `
mutation Grant($user: String, $group: String) {
  takeoverPermissionGrant(userEmail: $user, groupName: $group) { changed errors { field code message } }
}`;
export const REVOKE = `
mutation Revoke($user: String, $group: String) {
  takeoverPermissionRevoke(userEmail: $user, groupName: $group) { changed errors { field code message } }
}`;

// --- Saleor's own API -------------------------------------------------------
export type SaleorOrder = {
  id: string;
  number: string;
  status: string;
  userEmail: string | null;
  user: { id: string; email: string; firstName: string; lastName: string } | null;
  channel: { slug: string; name: string; currencyCode: string };
  collectionPointName: string | null;
  privateMetadata: Meta[];
};
export const SALEOR_ORDER = `
query Order($id: ID!) {
  order(id: $id) {
    id number status userEmail collectionPointName
    user { id email firstName lastName }
    channel { slug name currencyCode }
    privateMetadata { key value }
  }
}`;
export const SALEOR_CUSTOMER = `
query Customer($id: ID!) {
  user(id: $id) { id email firstName lastName }
  channels { id slug name currencyCode isActive }
}`;
export const DRAFT_ORDER_CREATE = `
mutation DraftCreate($input: DraftOrderCreateInput!) {
  draftOrderCreate(input: $input) { order { id number } errors { field code message } }
}`;
export const FILTERS = `
query Filters {
  productTypes(first: 100) { edges { node { id name } } }
  categories(first: 100) { edges { node { id name level } } }
}`;
export type Variant = {
  id: string;
  name: string;
  sku: string | null;
  quantityAvailable: number | null;
  attributes: { attribute: { name: string }; values: { name: string }[] }[];
  pricing: { price: { gross: Money } | null } | null;
};
export type Product = {
  id: string;
  name: string;
  isAvailableForPurchase: boolean | null;
  // `lineOptions`: the product type's `cart_takeover.line_options` metadata.
  productType: { name: string; lineOptions?: string | null };
  category: { name: string } | null;
  thumbnail: { url: string; alt: string | null } | null;
  pricing: { priceRange: { start: { gross: Money } | null } | null } | null;
  variants: Variant[] | null;
};
export const PRODUCT_SEARCH = `
query Products($channel: String!, $search: String, $types: [ID!], $categories: [ID!]) {
  products(first: 20, channel: $channel, search: $search,
           filter: { productTypes: $types, categories: $categories }) {
    edges { node {
      id name isAvailableForPurchase
      productType { name lineOptions: metafield(key: "${LINE_OPTIONS_KEY}") }
      category { name }
      thumbnail(size: 64) { url alt }
      pricing { priceRange { start { gross { amount currency } } } }
      variants {
        id name sku quantityAvailable
        attributes { attribute { name } values { name } }
        pricing { price { gross { amount currency } } }
      }
    } }
  }
}`;

/** How a cart is named on screen: its code, or that it is hidden until the shopper agrees. */
export function cartLabel(code: string | null | undefined): string {
  return code ?? "(code hidden until the shopper agrees)";
}
