"use client";
// @saleor-cart-takeover/storefront-kit/react: headless components (React ≥ 18).

export { CartCode, type CartCodeProps } from "./CartCode.js";
export { CustomerServiceBadge, type CustomerServiceBadgeProps } from "./CustomerServiceBadge.js";
export { DEFAULT_POLL_INTERVAL, TakeoverBanner, type TakeoverBannerProps } from "./TakeoverBanner.js";
export {
  CONSENT_PROMPT_STRINGS,
  ConsentPrompt,
  type ConsentAnswer,
  type ConsentPromptProps,
  type ConsentPromptStrings,
} from "./ConsentPrompt.js";
export {
  CONTACT_FIELDS,
  PICKUP_CONTACTS_STRINGS,
  PickupContactsForm,
  usePickupContactsForm,
  type ContactDraft,
  type ContactsDraft,
  type PickupContactsFormProps,
  type PickupContactsSave,
  type PickupContactsStrings,
  type UsePickupContactsFormOptions,
} from "./PickupContactsForm.js";
export {
  LINE_OPTIONS_STRINGS,
  LineOptionsInputs,
  errorIsFor,
  type LineOptionsInputsProps,
  type LineOptionsStrings,
} from "./LineOptionsInputs.js";
