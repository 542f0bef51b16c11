// A product type's configured line options (public metadata
// `cart_takeover.line_options`), read the way the plugin reads them. The
// plugin checks every line again; this lets the rep see the form it expects.

import { RESERVED_KEY_PREFIX as RESERVED_PREFIX } from "./const.generated";

const MAX_VALUE_LENGTH = 2000;

export type LineOption = {
  key: string;
  label: string;
  type: "text" | "choice";
  required: boolean;
  maxLength: number | null;
  choices: string[];
};

export type Declaration = { options: LineOption[] | null; error: string | null };

const isText = (value: unknown): value is string => typeof value === "string" && value.trim() !== "";

function parseOption(item: unknown, where: string): LineOption {
  if (typeof item !== "object" || item === null || Array.isArray(item)) throw new Error(`${where} must be an object.`);
  const raw = item as Record<string, unknown>;
  if (!isText(raw.key)) throw new Error(`${where} needs a non-empty string 'key'.`);
  if (raw.key.startsWith(RESERVED_PREFIX)) throw new Error(`${where}: keys starting with '${RESERVED_PREFIX}' are the plugin's own.`);
  const name = `option '${raw.key}'`;
  if (!isText(raw.label)) throw new Error(`${name} needs a non-empty string 'label'.`);
  if (raw.type !== "text" && raw.type !== "choice") throw new Error(`${name}: 'type' must be 'text' or 'choice'.`);
  const required = raw.required ?? false;
  if (typeof required !== "boolean") throw new Error(`${name}: 'required' must be true or false.`);
  const maxLength = raw.maxLength ?? null;
  if (maxLength !== null && !(Number.isInteger(maxLength) && (maxLength as number) >= 1 && (maxLength as number) <= MAX_VALUE_LENGTH)) {
    throw new Error(`${name}: 'maxLength' must be a whole number from 1 to ${MAX_VALUE_LENGTH}.`);
  }
  let choices: string[] = [];
  if (raw.type === "choice") {
    if (!Array.isArray(raw.choices) || raw.choices.length === 0 || !raw.choices.every(isText)) {
      throw new Error(`${name}: a choice needs 'choices', a list of non-empty strings.`);
    }
    choices = raw.choices as string[];
  } else if (raw.choices !== undefined && raw.choices !== null) {
    throw new Error(`${name}: only 'choice' options have 'choices'.`);
  }
  return { key: raw.key, label: raw.label.trim(), type: raw.type, required, maxLength: maxLength as number | null, choices };
}

/** `options` is null when nothing is declared: the rep writes free notes. */
export function parseDeclaration(raw: string | null | undefined): Declaration {
  if (raw === null || raw === undefined || raw.trim() === "") return { options: null, error: null };
  try {
    let data: unknown;
    try {
      data = JSON.parse(raw);
    } catch {
      throw new Error("it is not valid JSON.");
    }
    if (!Array.isArray(data)) throw new Error("it must be a JSON list of options.");
    const options = data.map((item, index) => parseOption(item, `option ${index + 1}`));
    const keys = new Set(options.map((o) => o.key));
    if (keys.size !== options.length) throw new Error("a key is declared twice.");
    return { options, error: null };
  } catch (caught) {
    return { options: null, error: (caught as Error).message };
  }
}

/** Why a value breaks its option, or null. */
export function optionProblem(option: LineOption, value: string): string | null {
  if (!value.trim()) return option.required ? `${option.label} is required.` : null;
  if (option.type === "choice" && !option.choices.includes(value)) return `Choose one of the listed ${option.label} values.`;
  const limit = option.maxLength ?? MAX_VALUE_LENGTH;
  if (value.length > limit) return `${option.label} is at most ${limit} characters.`;
  return null;
}

/** A line's configuration, without the plugin's own keys. */
export function configurationOf<T extends { key: string }>(metadata: T[]): T[] {
  return metadata.filter((item) => !item.key.startsWith(RESERVED_PREFIX));
}
