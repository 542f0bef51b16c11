// Generated from saleor_cart_takeover/const.py by scripts/generate-const-ts;
// do not edit.
export const PLUGIN_ID = "saleor.cart_takeover";
export const ORDER_PREPARED_BY_KEY = "cart_takeover.prepared_by";
export const ORDER_DRAFT_KEY = "cart_takeover.draft_order_number";
export const PICKUP_CONTACTS_KEY = "cart_takeover.pickup_contacts";
