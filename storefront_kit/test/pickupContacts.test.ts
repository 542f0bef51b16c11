import { describe, expect, it } from "vitest";

import { isValidEmail, parsePickupContactsDocument, readPickupContacts, validatePickupContacts } from "../src/index.js";
import { PICKUP_CONTACTS_KEY } from "../src/keys.generated.js";
import table from "./shared/pickup-contacts.json" with { type: "json" };

type Case = (typeof table.contacts)[number];

describe("pickup contacts, the server's cases (test/shared/pickup-contacts.json)", () => {
  it.each(table.contacts.map((c) => [c.name, c] as [string, Case]))("%s", (_name, c) => {
    const result = validatePickupContacts(
      c.primary as Record<string, unknown> | null,
      c.alternate as Record<string, unknown> | null,
      { country: c.country },
    );
    expect(result.errors).toEqual(c.errors);
    if (c.errors.length === 0) expect(result.contacts).toEqual(c.contacts);
  });

  it.each(table.documents.map((c) => [c.name, c] as [string, (typeof table.documents)[number]]))("document: %s", (_name, c) => {
    const result = parsePickupContactsDocument(c.raw);
    expect(result.errors).toEqual(c.errors);
    if (c.errors.length === 0) expect(result.contacts).toEqual(c.contacts);
  });
});

describe("Django's email rules", () => {
  it.each([
    ["ann@example.com", true],
    ["ANN@EXAMPLE.COM", true],
    ["a@b.co", true],
    ["a@b.c", false],
    ["a@-b.com", false],
    ["a@b.com.", false],
    ["a@localhost", true],
    ["a@LOCALHOST", false],
    ['"a\\"b"@example.com', true],
    ["a@[::1]", true],
    ["a@[1.2.3.4.5]", false],
    ["a@[256.1.1.1]", false],
    ["a@[::ffff:1.2.3.4]", true],
    ["a@[1:2:3:4:5:6:7:8:9]", false],
    ["a@b@example.com", false],
    ["a@example.xn--p1ai", true],
    ["a@\u{1F600}.com", false],
  ])("%s: %s", (address, valid) => {
    expect(isValidEmail(address)).toBe(valid);
  });
});

describe("readPickupContacts", () => {
  it("reads the stored document from metadata in either shape", () => {
    const value = JSON.stringify({ primary: { firstName: "Ann", lastName: "Lee", email: "ann@example.com", phone: "+14155550100" } });
    const expected = {
      primary: { firstName: "Ann", lastName: "Lee", email: "ann@example.com", phone: "+14155550100" },
      alternate: null,
    };
    expect(readPickupContacts([{ key: PICKUP_CONTACTS_KEY, value }])).toEqual(expected);
    expect(readPickupContacts({ [PICKUP_CONTACTS_KEY]: value })).toEqual(expected);
    expect(readPickupContacts([])).toBeNull();
    expect(readPickupContacts([{ key: PICKUP_CONTACTS_KEY, value: "{" }])).toBeNull();
  });
});
