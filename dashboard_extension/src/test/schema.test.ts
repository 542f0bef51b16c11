// Every GraphQL document the extension sends is valid against the schema it is
// sent to: the plugin's (fixtures/plugin.graphql) or Saleor's
// (fixtures/saleor.graphql). Both are dumped from the real servers by
// `scripts/dump-schemas`; a renamed field or a wrong argument type fails here,
// not in a CSR's browser.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";

import { buildSchema, parse, validate, type GraphQLSchema } from "graphql";
import { describe, expect, it } from "vitest";

import * as queries from "../queries";

// Vitest runs from the package root (dashboard_extension/).
const src = join(process.cwd(), "src");
const here = join(src, "test");
const schema = (name: string): GraphQLSchema =>
  buildSchema(readFileSync(join(here, "fixtures", name), "utf8"));
const plugin = schema("plugin.graphql");
const saleor = schema("saleor.graphql");

// Sent with `dashboard.saleor(...)`; everything else goes to the plugin.
const SALEOR_DOCUMENTS = new Set([
  "SALEOR_ORDER",
  "SALEOR_CUSTOMER",
  "DRAFT_ORDER_CREATE",
  "FILTERS",
  "PRODUCT_SEARCH",
]);

const isDocument = (text: unknown): text is string =>
  typeof text === "string" && /^\s*(query|mutation|subscription)\b/.test(text);

// The dashboard session exchange lives in dashboard.tsx, without interpolation.
const sessionExchange = /const SESSION_EXCHANGE = `([^`]*)`/.exec(
  readFileSync(join(src, "dashboard.tsx"), "utf8"),
)?.[1];

const documents: [string, string, GraphQLSchema][] = [
  ...Object.entries(queries)
    .filter(([, text]) => isDocument(text))
    .map(([name, text]): [string, string, GraphQLSchema] => [
      name,
      text as string,
      SALEOR_DOCUMENTS.has(name) ? saleor : plugin,
    ]),
  ["SESSION_EXCHANGE", sessionExchange ?? "", plugin],
];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "test" ? [] : sources(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

describe("GraphQL documents", () => {
  it("are all found: only queries.ts and the session exchange define any", () => {
    const defining = sources(src)
      .filter((path) => /`\s*(query|mutation|subscription)\b/.test(readFileSync(path, "utf8")))
      .map((path) => relative(src, path))
      .sort();
    expect(defining).toEqual(["dashboard.tsx", "queries.ts"]);
    expect(sessionExchange).toContain("dashboardSessionCreate");
    for (const name of SALEOR_DOCUMENTS) expect(isDocument(queries[name as keyof typeof queries])).toBe(true);
    expect(documents.length).toBeGreaterThan(20);
  });

  it.each(documents)("%s is valid against the schema it is sent to", (_name, text, target) => {
    const errors = validate(target, parse(text)).map((error) => error.message);
    expect(errors).toEqual([]);
  });
});
