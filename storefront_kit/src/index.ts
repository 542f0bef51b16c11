// @saleor-cart-takeover/storefront-kit: everything but React
// (components: "@saleor-cart-takeover/storefront-kit/react").

export * from "./keys.generated.js";
export { cartCode, checkoutToken } from "./cartCode.js";
export type { FieldError } from "./errors.js";
export { metadataValue, type Metadata, type MetadataItem } from "./metadata.js";
export { consentRequest, isAddedByCustomerService, isTakenOver } from "./takeover.js";
export { isValidEmail } from "./email.js";
export {
  normalizePhone,
  parsePickupContactsDocument,
  readPickupContacts,
  validatePickupContacts,
  type PickupContact,
  type PickupContactField,
  type PickupContactRole,
  type PickupContacts,
  type PickupContactsOptions,
  type PickupContactsResult,
} from "./pickupContacts.js";
export {
  checkLineOptionValues,
  lineOptionValueProblem,
  lineOptionsMetadata,
  optionLimit,
  parseLineOptions,
  type LineOption,
  type LineOptionsDeclaration,
} from "./lineOptions.js";
export * from "./documents.js";
export {
  GraphQLRequestError,
  answerTakeoverConsent,
  createGraphQLClient,
  pluginEndpoint,
  updatePickupContacts,
  type FetchLike,
  type GraphQLClient,
  type GraphQLClientOptions,
  type TokenSource,
} from "./client.js";
