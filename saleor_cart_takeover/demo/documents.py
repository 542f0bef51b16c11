"""The GraphQL documents `demo --walkthrough` sends: Saleor's API for the
shopper and the draft, the plugin's for the takeover (the operations the
Dashboard extension and the storefront kit send, from graphql/operations/)."""

from ..graphql.operations import operation

# -- Saleor's API -------------------------------------------------------------
TOKEN_CREATE = """
mutation($email: String!, $password: String!) {
  tokenCreate(email: $email, password: $password) {
    token user { id email } errors { field code message }
  }
}"""
VARIANTS = """
query($channel: String!, $skus: [String!]) {
  productVariants(first: 20, channel: $channel, filter: {sku: $skus}) {
    edges { node { id sku name product { name } } }
  }
}"""
CHECKOUT_LINES = "lines { id quantity variant { id sku name product { name } } }"
CHECKOUT_CREATE = f"""
mutation($channel: String!, $lines: [CheckoutLineInput!]!) {{
  checkoutCreate(input: {{channel: $channel, lines: $lines}}) {{
    checkout {{ id token email {CHECKOUT_LINES} }} errors {{ field code message }}
  }}
}}"""
CHECKOUT_LINES_ADD = f"""
mutation($id: ID!, $lines: [CheckoutLineInput!]!) {{
  checkoutLinesAdd(id: $id, lines: $lines) {{
    checkout {{ {CHECKOUT_LINES} }} errors {{ field code message }}
  }}
}}"""
CHECKOUT = """
query($id: ID!) {
  checkout(id: $id) {
    id metadata { key value }
    lines { id quantity variant { sku name product { name } } metadata { key value } }
    availableCollectionPoints { id name clickAndCollectOption }
  }
}"""
USER_BY_EMAIL = "query($email: String!) { user(email: $email) { id email } }"
CHANNEL_ID = "query($slug: String!) { channel(slug: $slug) { id name } }"
DRAFT_ORDER_CREATE = """
mutation($input: DraftOrderCreateInput!) {
  draftOrderCreate(input: $input) {
    order { id number status userEmail } errors { field code message }
  }
}"""
ORDER = """
query($id: ID!) {
  order(id: $id) {
    id number status
    lines { productName variantName productSku quantity metadata { key value } }
  }
}"""
BILLING_ADDRESS_UPDATE = """
mutation($id: ID!, $address: AddressInput!) {
  checkoutBillingAddressUpdate(id: $id, billingAddress: $address) {
    errors { field code message }
  }
}"""
DELIVERY_METHOD_UPDATE = """
mutation($id: ID!, $method: ID!) {
  checkoutDeliveryMethodUpdate(id: $id, deliveryMethodId: $method) {
    errors { field code message }
  }
}"""
CHECKOUT_COMPLETE = """
mutation($id: ID!) {
  checkoutComplete(id: $id) {
    order {
      id number status userEmail collectionPointName
      lines { productName variantName quantity metadata { key value } }
    }
    errors { field code message }
  }
}"""

# -- the plugin's API: what the CSR's screen and the storefront send --------
TAKEOVER_START = operation("plugin/Start")
TAKEOVER_LINES_ADD = operation("plugin/LinesAdd")
TAKEOVER_LINES_UPDATE = operation("plugin/LinesUpdate")
TAKEOVER_LINES_DELETE = operation("plugin/LinesDelete")
TAKEOVER_COPY = operation("plugin/Copy")
TAKEOVER_SESSION = operation("plugin/Session")
PICKUP_CONTACTS_UPDATE = operation("plugin/PickupContactsUpdate")
