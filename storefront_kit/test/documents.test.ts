// Every GraphQL document the kit ships is valid against the schema it is sent
// to: the plugin's or Saleor's, as scripts/dump-schemas dumps them from the
// real servers (dashboard_extension/src/test/fixtures/).
import { readFileSync } from "node:fs";
import { join } from "node:path";

import { buildSchema, extendSchema, parse, validate, type GraphQLSchema } from "graphql";
import { describe, expect, it } from "vitest";

import {
  CHECKOUT_TAKEOVER,
  CHECKOUT_TAKEOVER_FRAGMENT,
  PICKUP_CONTACTS_UPDATE,
  TAKEOVER_CONSENT_ANSWER,
  pluginEndpoint,
} from "../src/index.js";

const fixtures = join(process.cwd(), "..", "dashboard_extension", "src", "test", "fixtures");
const load = (name: string) => buildSchema(readFileSync(join(fixtures, name), "utf8"));
const saleor = load("saleor.graphql");
let plugin: GraphQLSchema = load("plugin.graphql");

// The contract's operation (docs/api-contract.md), until the dumped schema has it.
const CONTRACT = `
extend type Mutation {
  takeoverConsentAnswer(checkoutId: ID!, sessionId: ID!, accept: Boolean!): TakeoverConsentAnswerPayload!
}
type TakeoverConsentAnswerPayload { errors: [TakeoverError!]! }
`;
const hasConsentAnswer = Boolean(plugin.getMutationType()?.getFields().takeoverConsentAnswer);
if (!hasConsentAnswer) plugin = extendSchema(plugin, parse(CONTRACT));

describe("GraphQL documents", () => {
  it.each([
    ["PICKUP_CONTACTS_UPDATE", PICKUP_CONTACTS_UPDATE, plugin],
    ["TAKEOVER_CONSENT_ANSWER", TAKEOVER_CONSENT_ANSWER, plugin],
    ["CHECKOUT_TAKEOVER", CHECKOUT_TAKEOVER, saleor],
    ["CHECKOUT_TAKEOVER_FRAGMENT in a query", `query Q { checkout(id: "x") { ...CheckoutTakeover } }\n${CHECKOUT_TAKEOVER_FRAGMENT}`, saleor],
  ] as const)("%s is valid against the schema it is sent to", (_name, text, schema) => {
    expect(validate(schema, parse(text)).map((error) => error.message)).toEqual([]);
  });

  it("the plugin endpoint sits under Saleor's URL, path prefix kept", () => {
    expect(pluginEndpoint("https://shop.example.com/graphql/")).toBe(
      "https://shop.example.com/plugins/global/saleor.cart_takeover/graphql/",
    );
    expect(pluginEndpoint("http://127.0.0.1:8000/api/graphql")).toBe(
      "http://127.0.0.1:8000/api/plugins/global/saleor.cart_takeover/graphql/",
    );
  });
});
