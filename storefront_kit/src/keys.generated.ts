// Generated from saleor_cart_takeover/const.py by scripts/generate-const-ts;
// do not edit.
export const PLUGIN_ID = "saleor.cart_takeover";
export const PLUGIN_URL_PATH = "/plugins/global/saleor.cart_takeover";
export const CHECKOUT_TAKEN_OVER_KEY = "cart_takeover.active";
export const CONSENT_REQUESTED_KEY = "cart_takeover.consent_requested";
export const CONSENT_WINDOW_SECONDS = 600;
export const PICKUP_CONTACTS_KEY = "cart_takeover.pickup_contacts";
export const LINE_OPTIONS_KEY = "cart_takeover.line_options";
export const LINE_SOURCE_KEY = "cart_takeover.source";
export const LINE_SOURCE_CUSTOMER_SERVICE = "customer_service";
export const RESERVED_KEY_PREFIX = "cart_takeover.";
export const CART_CODE_LENGTH = 8;
export const MAX_CONTACT_NAME_LENGTH = 256;
export const MAX_CONTACTS_DOCUMENT_LENGTH = 8000;
export const MAX_LINE_METADATA_VALUE_LENGTH = 2000;
export const MAX_LINE_OPTIONS = 20;
export const MAX_LINE_OPTION_KEY_LENGTH = 100;
export const MAX_LINE_OPTION_CHOICES = 100;
