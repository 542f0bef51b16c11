// Every GraphQL document the kit ships is valid against the schema it is sent
// to: the plugin's or Saleor's, as scripts/dump-schemas dumps them from the
// real servers (saleor_cart_takeover/graphql/schema.graphql, and Saleor's in
// dashboard_extension/src/test/fixtures/). The server's tests
// send the same operations, read from saleor_cart_takeover/graphql/operations/
// (tests/test_storefront_kit_documents.py).
import { readFileSync } from "node:fs";
import { join } from "node:path";

import { buildSchema, parse, validate } from "graphql";
import { describe, expect, it } from "vitest";

import {
  CHECKOUT_TAKEOVER,
  CHECKOUT_TAKEOVER_FRAGMENT,
  PICKUP_CONTACTS_UPDATE,
  TAKEOVER_CONSENT_ANSWER,
  pluginEndpoint,
} from "../src/index.js";

const root = join(process.cwd(), "..");
const load = (...path: string[]) => buildSchema(readFileSync(join(root, ...path), "utf8"));
const saleor = load("dashboard_extension", "src", "test", "fixtures", "saleor.graphql");
const plugin = load("saleor_cart_takeover", "graphql", "schema.graphql");

describe("GraphQL documents", () => {
  it("are plain strings any client can send", () => {
    for (const text of [PICKUP_CONTACTS_UPDATE, TAKEOVER_CONSENT_ANSWER, CHECKOUT_TAKEOVER]) {
      expect(typeof text).toBe("string");
      expect(JSON.parse(JSON.stringify({ query: text })).query).toBe(text);
    }
  });

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
