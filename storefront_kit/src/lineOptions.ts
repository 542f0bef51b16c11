// A product type's configured line options (public metadata
// `cart_takeover.line_options`), read and checked as the plugin does
// (saleor_cart_takeover/lines/options.py): the same declaration rules, codes,
// fields (`lines.N.metadata.KEY`) and messages. test/shared/line-options.json
// holds cases both sides run.

import type { FieldError } from "./errors.js";
import {
  MAX_LINE_METADATA_VALUE_LENGTH,
  MAX_LINE_OPTIONS,
  MAX_LINE_OPTION_CHOICES,
  MAX_LINE_OPTION_KEY_LENGTH,
  RESERVED_KEY_PREFIX,
} from "./keys.generated.js";
import { pyLength, pyRepr, pyStrip } from "./text.js";

export type LineOption = {
  key: string;
  label: string;
  type: "text" | "choice";
  required: boolean;
  maxLength: number | null;
  choices: string[];
};

/** `options` is null when the product type declares nothing; `error` says why a declaration cannot be used. */
export type LineOptionsDeclaration = { options: LineOption[] | null; error: string | null };

// Control characters are exactly what this refuses, as the server does.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1f\x7f]/;

class DeclarationError extends Error {}

const isText = (value: unknown): value is string => typeof value === "string" && pyStrip(value) !== "";

/** The longest value an option takes. */
export function optionLimit(option: LineOption): number {
  return option.maxLength || MAX_LINE_METADATA_VALUE_LENGTH;
}

function parseOption(item: unknown, position: string): LineOption {
  if (typeof item !== "object" || item === null || Array.isArray(item)) {
    throw new DeclarationError(`${position} must be an object.`);
  }
  const raw = item as Record<string, unknown>;
  const key = raw.key;
  if (!isText(key)) throw new DeclarationError(`${position} needs a non-empty string 'key'.`);
  if (pyLength(key) > MAX_LINE_OPTION_KEY_LENGTH || CONTROL.test(key)) {
    throw new DeclarationError(`${position}: 'key' must be at most ${MAX_LINE_OPTION_KEY_LENGTH} printable characters.`);
  }
  if (key.startsWith(RESERVED_KEY_PREFIX)) {
    throw new DeclarationError(`${position}: keys starting with ${pyRepr(RESERVED_KEY_PREFIX)} are the plugin's own.`);
  }
  const where = `option ${pyRepr(key)}`;
  if (!isText(raw.label)) throw new DeclarationError(`${where} needs a non-empty string 'label'.`);
  const type = raw.type;
  if (type !== "text" && type !== "choice") throw new DeclarationError(`${where}: 'type' must be 'text' or 'choice'.`);
  // Python's `item.get("required", False)`: an explicit null is not a boolean.
  const required = Object.prototype.hasOwnProperty.call(raw, "required") ? raw.required : false;
  if (typeof required !== "boolean") throw new DeclarationError(`${where}: 'required' must be true or false.`);
  const maxLength = raw.maxLength ?? null;
  if (
    maxLength !== null &&
    !(typeof maxLength === "number" && Number.isInteger(maxLength) && maxLength >= 1 && maxLength <= MAX_LINE_METADATA_VALUE_LENGTH)
  ) {
    throw new DeclarationError(`${where}: 'maxLength' must be a whole number from 1 to ${MAX_LINE_METADATA_VALUE_LENGTH}.`);
  }
  const choices = raw.choices;
  if (type === "choice") {
    if (
      !Array.isArray(choices) ||
      choices.length === 0 ||
      choices.length > MAX_LINE_OPTION_CHOICES ||
      !choices.every(isText)
    ) {
      throw new DeclarationError(
        `${where}: a choice needs 'choices', a list of 1 to ${MAX_LINE_OPTION_CHOICES} non-empty strings.`,
      );
    }
    if (new Set(choices).size !== choices.length) throw new DeclarationError(`${where}: 'choices' lists a value twice.`);
    const limit = (maxLength as number | null) || MAX_LINE_METADATA_VALUE_LENGTH;
    if (choices.some((choice: string) => pyLength(choice) > limit)) {
      throw new DeclarationError(`${where}: a choice is longer than 'maxLength'.`);
    }
  } else if (choices !== undefined && choices !== null) {
    throw new DeclarationError(`${where}: only 'choice' options have 'choices'.`);
  }
  return {
    key,
    label: pyStrip(raw.label as string),
    type,
    required,
    maxLength: maxLength as number | null,
    choices: type === "choice" ? [...(choices as string[])] : [],
  };
}

/**
 * Read a declaration: the metadata value (a JSON string) or already parsed
 * JSON. Nothing declared (null, blank) gives `{options: null, error: null}`.
 */
export function parseLineOptions(raw: unknown): LineOptionsDeclaration {
  if (raw === null || raw === undefined || (typeof raw === "string" && !pyStrip(raw))) {
    return { options: null, error: null };
  }
  try {
    let data: unknown = raw;
    if (typeof raw === "string") {
      try {
        data = JSON.parse(raw);
      } catch {
        throw new DeclarationError("it is not valid JSON.");
      }
    }
    if (!Array.isArray(data)) throw new DeclarationError("it must be a JSON list of options.");
    if (data.length > MAX_LINE_OPTIONS) throw new DeclarationError(`it declares more than ${MAX_LINE_OPTIONS} options.`);
    const options: LineOption[] = [];
    data.forEach((item, index) => {
      const option = parseOption(item, `option ${index + 1}`);
      if (options.some((existing) => existing.key === option.key)) {
        throw new DeclarationError(`the key ${pyRepr(option.key)} is declared twice.`);
      }
      options.push(option);
    });
    return { options, error: null };
  } catch (caught) {
    if (caught instanceof DeclarationError) return { options: null, error: caught.message };
    throw caught;
  }
}

/** Why one non-missing value breaks its option, or null (the server's `value_problem`). */
export function lineOptionValueProblem(option: LineOption, value: string): string | null {
  if (!value) return null; // a missing value only matters for required options
  if (option.type === "choice" && !option.choices.includes(value)) {
    return `${option.label} must be one of: ${option.choices.map(pyRepr).join(", ")}.`;
  }
  const limit = optionLimit(option);
  if (pyLength(value) > limit) return `${option.label} is at most ${limit} characters.`;
  return null;
}

/**
 * Errors of a line's option values against the declaration, with the
 * server's fields (`<fieldPrefix>.<key>`). `given` is what is being set;
 * `resulting` (default: `given`) is the line's values afterwards, which must
 * hold every required option.
 */
export function checkLineOptionValues(
  options: LineOption[],
  given: Readonly<Record<string, string>>,
  fieldPrefix = "metadata",
  resulting: Readonly<Record<string, string>> = given,
): FieldError[] {
  const byKey = new Map(options.map((option) => [option.key, option]));
  const errors: FieldError[] = [];
  for (const [key, value] of Object.entries(given)) {
    const option = byKey.get(key);
    const field = `${fieldPrefix}.${key}`;
    if (!option) {
      const known = options.map((o) => pyRepr(o.key)).join(", ");
      errors.push({ field, code: "INVALID", message: `${pyRepr(key)} is not an option of this product (options: ${known}).` });
      continue;
    }
    const problem = lineOptionValueProblem(option, value);
    if (problem) errors.push({ field, code: "INVALID", message: problem });
  }
  for (const option of options) {
    if (option.required && !pyStrip(resulting[option.key] ?? "")) {
      errors.push({ field: `${fieldPrefix}.${option.key}`, code: "REQUIRED", message: `${option.label} is required.` });
    }
  }
  return errors;
}

/**
 * The line metadata to send with `checkoutLinesAdd` / `checkoutLinesUpdate`:
 * one `{key, value}` per declared option that has a value.
 */
export function lineOptionsMetadata(
  options: LineOption[],
  values: Readonly<Record<string, string>>,
): { key: string; value: string }[] {
  return options
    .filter((option) => (values[option.key] ?? "") !== "")
    .map((option) => ({ key: option.key, value: values[option.key]! }));
}
