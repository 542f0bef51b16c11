// The pickup contacts' rules, as the plugin applies them
// (saleor_cart_takeover/pickup/validation.py): the same fields, codes
// and messages, so a storefront can show errors before asking the server and
// show the server's errors at the same places. The server stays the judge.
// test/shared/pickup-contacts.json holds cases both sides run.

import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js/max";

import { isValidEmail as isValidEmailAddress } from "./email.js";
import type { FieldError } from "./errors.js";
import { MAX_CONTACTS_DOCUMENT_LENGTH, MAX_CONTACT_NAME_LENGTH, PICKUP_CONTACTS_KEY } from "./keys.generated.js";
import { metadataValue, type Metadata } from "./metadata.js";
import { caseFold, pyLength, pySplit, pyStrip } from "./text.js";

export type PickupContactRole = "primary" | "alternate";
export type PickupContactField = "firstName" | "lastName" | "email" | "phone";

/** One contact, as `PickupContactInput` and the stored document spell it. */
export type PickupContact = {
  firstName: string;
  lastName: string;
  email: string;
  phone?: string | null;
};

/** `{primary, alternate}`; a missing role is null. */
export type PickupContacts = {
  primary: PickupContact | null;
  alternate: PickupContact | null;
};

export type PickupContactsResult =
  | { ok: true; contacts: PickupContacts; errors: [] }
  | { ok: false; contacts: null; errors: FieldError[] };

export type PickupContactsOptions = {
  /** The checkout's country (ISO code): phone numbers without `+` are read in it. */
  country?: string | null;
};

const ROLES: PickupContactRole[] = ["primary", "alternate"];
const FIELDS: PickupContactField[] = ["firstName", "lastName", "email", "phone"];
const LABELS: Record<PickupContactField, string> = {
  firstName: "first name",
  lastName: "last name",
  email: "email",
  phone: "phone number",
};
// Control, format (zero-width, bidi overrides, soft hyphen, BOM), surrogate,
// private-use and line/paragraph separators: invisible or reordering text that
// makes two names look alike.
const HIDDEN = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Zl}\p{Zp}]/u;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function error(code: string, message: string, field: string): FieldError {
  return { field, code, message };
}

/** Saleor's `validate_possible_number`, then E.164; null when invalid. */
export function normalizePhone(value: string, country?: string | null): string | null {
  if (pyLength(value) > 32) return null;
  const parsed = parsePhoneNumberFromString(value, {
    defaultCountry: (country || undefined) as CountryCode | undefined,
    extract: false,
  });
  if (!parsed || !parsed.isPossible() || !parsed.isValid()) return null;
  return parsed.number;
}

function cleanContact(
  role: PickupContactRole,
  raw: Record<string, unknown>,
  country: string | null | undefined,
): [PickupContact | null, FieldError[]] {
  const problems: FieldError[] = [];
  const unknown = Object.keys(raw).filter((key) => !(FIELDS as string[]).includes(key));
  if (unknown.length) {
    problems.push(error("INVALID", `Unknown field(s): ${unknown.sort().join(", ")}`, role));
  }
  const values: Partial<Record<PickupContactField, string>> = {};
  for (const name of FIELDS) {
    const value = raw[name];
    if (value === undefined || value === null || (typeof value === "string" && !pyStrip(value))) {
      if (name !== "phone") {
        problems.push(error("REQUIRED", `Enter the ${role} contact's ${LABELS[name]}.`, `${role}.${name}`));
      }
      continue;
    }
    if (typeof value !== "string") {
      problems.push(error("INVALID", `The ${role} contact's ${LABELS[name]} must be text.`, `${role}.${name}`));
      continue;
    }
    values[name] = pyStrip(value);
  }
  for (const name of ["firstName", "lastName"] as const) {
    const value = values[name];
    if (value === undefined) continue;
    if (pyLength(value) > MAX_CONTACT_NAME_LENGTH) {
      problems.push(
        error(
          "INVALID",
          `The ${role} contact's ${LABELS[name]} may have at most ${MAX_CONTACT_NAME_LENGTH} characters.`,
          `${role}.${name}`,
        ),
      );
    } else if (HIDDEN.test(value)) {
      problems.push(
        error("INVALID", `The ${role} contact's ${LABELS[name]} contains characters that are not allowed.`, `${role}.${name}`),
      );
    }
  }
  if (values.email !== undefined) {
    if (pyLength(values.email) > 254 || !isValidEmailAddress(values.email)) {
      problems.push(error("INVALID", `Enter a valid email address for the ${role} contact.`, `${role}.email`));
    }
  }
  if (values.phone !== undefined) {
    const phone = normalizePhone(values.phone, country);
    if (phone === null) {
      problems.push(
        error(
          "INVALID",
          `Enter a valid phone number for the ${role} contact, with the country code (for example +1 415 555 0100).`,
          `${role}.phone`,
        ),
      );
    } else {
      values.phone = phone;
    }
  }
  if (problems.length) return [null, problems];
  const contact: PickupContact = { firstName: values.firstName!, lastName: values.lastName!, email: values.email! };
  if (values.phone) contact.phone = values.phone;
  return [contact, []];
}

function folded(text: string): string {
  // Compatibility forms (full-width letters, ligatures), case and spacing must
  // not make the same name count as another person's.
  return pySplit(caseFold(text.normalize("NFKC"))).join(" ");
}

function samePerson(first: PickupContact, second: PickupContact): boolean {
  return folded(first.firstName) === folded(second.firstName) && folded(first.lastName) === folded(second.lastName);
}

/**
 * Check contacts as `pickupContactsUpdate` would (null or undefined: not given).
 * On success, `contacts` holds them trimmed, with phones in E.164.
 */
export function validatePickupContacts(
  primary: Partial<PickupContact> | Record<string, unknown> | null | undefined,
  alternate: Partial<PickupContact> | Record<string, unknown> | null | undefined,
  options: PickupContactsOptions = {},
): PickupContactsResult {
  const errors: FieldError[] = [];
  const cleaned: PickupContacts = { primary: null, alternate: null };
  for (const [role, raw] of [
    ["primary", primary],
    ["alternate", alternate],
  ] as const) {
    if (raw === null || raw === undefined) continue;
    const [contact, problems] = cleanContact(role, raw as Record<string, unknown>, options.country);
    errors.push(...problems);
    cleaned[role] = contact;
  }
  if (cleaned.primary && cleaned.alternate && samePerson(cleaned.primary, cleaned.alternate)) {
    errors.push(error("INVALID", "The alternate contact must be someone other than the primary contact.", "alternate"));
  }
  if (errors.length) return { ok: false, contacts: null, errors };
  return { ok: true, contacts: cleaned, errors: [] };
}

/**
 * Read a stored document (the metadata value) as `checkoutComplete` does:
 * `{ok: true, contacts: null}` when there is none.
 */
export function parsePickupContactsDocument(
  raw: string | null | undefined,
  options: PickupContactsOptions = {},
): { ok: true; contacts: PickupContacts | null; errors: [] } | { ok: false; contacts: null; errors: FieldError[] } {
  if (raw === null || raw === undefined || raw === "") return { ok: true, contacts: null, errors: [] };
  const invalid = (message: string, field: string) => ({
    ok: false as const,
    contacts: null,
    errors: [error("INVALID", message, field)],
  });
  if (pyLength(raw) > MAX_CONTACTS_DOCUMENT_LENGTH) {
    return invalid("The pickup contacts are too long.", PICKUP_CONTACTS_KEY);
  }
  let document: unknown = null;
  try {
    document = JSON.parse(raw);
  } catch {
    document = null;
  }
  if (!isObject(document) || Object.keys(document).some((key) => !(ROLES as string[]).includes(key))) {
    return invalid('Pickup contacts must be a JSON object like {"primary": {...}, "alternate": {...}}.', PICKUP_CONTACTS_KEY);
  }
  for (const role of ROLES) {
    if (role in document && !isObject(document[role])) {
      return invalid(`The ${role} contact must be a JSON object.`, role);
    }
  }
  return validatePickupContacts(
    document.primary as Record<string, unknown> | undefined,
    document.alternate as Record<string, unknown> | undefined,
    options,
  );
}

/** The contacts stored in a checkout's (or order's) public metadata, if readable. */
export function readPickupContacts(metadata: Metadata): PickupContacts | null {
  const raw = metadataValue(metadata, PICKUP_CONTACTS_KEY);
  if (raw === null) return null;
  try {
    const document: unknown = JSON.parse(raw);
    if (!isObject(document)) return null;
    const contact = (value: unknown): PickupContact | null =>
      isObject(value)
        ? {
            firstName: String(value.firstName ?? ""),
            lastName: String(value.lastName ?? ""),
            email: String(value.email ?? ""),
            ...(value.phone ? { phone: String(value.phone) } : {}),
          }
        : null;
    return { primary: contact(document.primary), alternate: contact(document.alternate) };
  } catch {
    return null;
  }
}
