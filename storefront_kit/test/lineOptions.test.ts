import { describe, expect, it } from "vitest";

import { checkLineOptionValues, lineOptionsMetadata, parseLineOptions } from "../src/index.js";
import table from "./shared/line-options.json" with { type: "json" };

// json's messages ("Expecting value") have no JavaScript equivalent.
const JSON_ERROR = "it is not valid JSON";

describe("line options, the server's cases (test/shared/line-options.json)", () => {
  it.each(table.declarations.map((c) => [c.name, c] as const))("declaration: %s", (_name, c) => {
    const parsed = parseLineOptions(c.raw);
    if (c.error?.startsWith(JSON_ERROR)) {
      expect(parsed.error).toBe(`${JSON_ERROR}.`);
    } else {
      expect(parsed.error).toBe(c.error);
    }
    if (!c.error) expect(parsed.options).toEqual(c.options ?? null);
  });

  const { options } = parseLineOptions(`[${table.declaration.join(", ")}]`);

  it.each(table.values.map((c) => [c.name, c] as const))("values: %s", (_name, c) => {
    const errors = checkLineOptionValues(
      options!,
      c.given as unknown as Record<string, string>,
      "lines.0.metadata",
      (c.resulting ?? c.given) as unknown as Record<string, string>,
    );
    expect(errors).toEqual(c.errors);
  });

  it("turns values into the line metadata to send", () => {
    expect(lineOptionsMetadata(options!, { engraving: "For Ada", font: "", other: "x" })).toEqual([
      { key: "engraving", value: "For Ada" },
    ]);
  });
});
