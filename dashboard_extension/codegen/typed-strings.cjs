// A graphql-codegen plugin: every operation (and fragment) of the target as a
// plain string constant typed with what typescript-operations generates for
// it, each carrying the fragments it spreads. Plain strings, not DocumentNode
// objects or String wrappers, so the storefront kit's exports stay strings any
// client can send, and the extension's fetch wrapper needs no GraphQL client.
const { Kind, print, visit } = require("graphql");

const pascal = (name) => name.charAt(0).toUpperCase() + name.slice(1);

module.exports = {
  plugin(_schema, documents) {
    const fragments = new Map();
    const operations = [];
    for (const { document } of documents) {
      for (const definition of document.definitions) {
        if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
        if (definition.kind === Kind.OPERATION_DEFINITION) operations.push(definition);
      }
    }
    // The fragments a definition spreads, transitively, in first-use order.
    const spreads = (node, seen = []) => {
      visit(node, {
        FragmentSpread(spread) {
          const name = spread.name.value;
          if (seen.includes(name)) return;
          seen.push(name);
          spreads(fragments.get(name), seen);
        },
      });
      return seen;
    };
    const text = (node) =>
      [node, ...spreads(node).map((name) => fragments.get(name))].map(print).join("\n\n");
    const constant = (name, node, type) =>
      `export const ${name} = \`\n${text(node)}\n\` as ${type};`;
    const byName = (a, b) => a.name.value.localeCompare(b.name.value);
    return [
      "/** A GraphQL document as a string, carrying its result and variables types. */",
      "export type TypedDocument<TResult, TVariables> = string & {",
      "  readonly __apiType?: (variables: TVariables) => TResult;",
      "};",
      "",
      ...[...fragments.values()].sort(byName).map((node) => {
        const name = node.name.value;
        return constant(`${name}FragmentDoc`, node, "string") + "\n";
      }),
      ...operations.sort(byName).map((node) => {
        const type = pascal(node.name.value) + pascal(node.operation);
        return constant(`${node.name.value}Document`, node, `TypedDocument<${type}, ${type}Variables>`) + "\n";
      }),
    ].join("\n");
  },
};
