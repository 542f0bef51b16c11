// The GraphQL documents the extension sends and the shapes they return, both
// generated (scripts/codegen) from saleor_cart_takeover/graphql/operations/
// and the schemas: here they only get the names the screens use.
import type {
  CartFieldsFragment,
  HoldersQuery,
  PickupContactsFieldsFragment,
  ReportQuery,
  ReportRowFieldsFragment,
  SessionFieldsFragment,
  SessionPayloadFragment,
  TakeoverStatus,
  ViewerQuery,
} from "./generated/plugin";
import type { CustomerQuery, OrderQuery, ProductsQuery } from "./generated/saleor";

export {
  CartByCodeDocument as CART_BY_CODE,
  CopyDocument as COPY,
  CustomerCartsDocument as CUSTOMER_CARTS,
  EndDocument as END,
  GrantDocument as GRANT,
  HoldersDocument as HOLDERS,
  LinesAddDocument as LINES_ADD,
  LinesDeleteDocument as LINES_DELETE,
  LinesUpdateDocument as LINES_UPDATE,
  OrderPickupDocument as ORDER_PICKUP,
  PickupContactsUpdateDocument as PICKUP_UPDATE,
  ReportDocument as REPORT,
  RevertDocument as REVERT,
  RevokeDocument as REVOKE,
  SessionDocument as SESSION,
  SessionStatusDocument as SESSION_STATUS,
  SessionsDocument as SESSIONS,
  StartDocument as START,
  TransferDocument as TRANSFER,
  ViewerDocument as VIEWER,
} from "./generated/plugin";
// Saleor's own API, sent with `dashboard.saleor(...)`.
export {
  CustomerDocument as SALEOR_CUSTOMER,
  DraftCreateDocument as DRAFT_ORDER_CREATE,
  FiltersDocument as FILTERS,
  OrderDocument as SALEOR_ORDER,
  ProductsDocument as PRODUCT_SEARCH,
} from "./generated/saleor";

export type { TakeoverStatus };
export type Viewer = ViewerQuery["viewer"];
export type Holder = HoldersQuery["takeoverPermissionHolders"][number];
export type Session = SessionFieldsFragment;
/** `code` is null while the cart waits for the shopper's consent: the rep must not have it. */
export type Cart = CartFieldsFragment;
export type CartLine = Cart["lines"][number];
export type Meta = CartLine["metadata"][number];
export type Money = NonNullable<CartLine["unitPrice"]>;
export type PickupContacts = PickupContactsFieldsFragment;
export type PickupContact = NonNullable<PickupContacts["primary"]>;
export type SessionPayload = SessionPayloadFragment;
/** `revenue` is null when the row spans several currencies; see revenueByCurrency. */
export type ReportRow = ReportRowFieldsFragment;
export type TakeoverReport = ReportQuery["takeoverReport"];

export type SaleorOrder = NonNullable<OrderQuery["order"]>;
export type Customer = NonNullable<CustomerQuery["user"]>;
export type Channel = NonNullable<CustomerQuery["channels"]>[number];
type ProductNode = NonNullable<ProductsQuery["products"]>["edges"][number]["node"];
// `lineOptions`: the product type's `cart_takeover.line_options` metadata.
export type Product = ProductNode;
export type Variant = NonNullable<Product["variants"]>[number];

/** How a cart is named on screen: its code, or that it is hidden until the shopper agrees. */
export function cartLabel(code: string | null | undefined): string {
  return code ?? "(code hidden until the shopper agrees)";
}
