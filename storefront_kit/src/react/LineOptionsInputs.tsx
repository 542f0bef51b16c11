"use client";

import { useId, useMemo, type ReactNode } from "react";

import type { FieldError } from "../errors.js";
import { checkLineOptionValues, optionLimit, parseLineOptions, type LineOption } from "../lineOptions.js";

export type LineOptionsStrings = {
  /** Marks a required option's label (hidden from screen readers, which announce `required`). */
  requiredMark: string;
  /** The empty entry of a choice. */
  choose: string;
};

export const LINE_OPTIONS_STRINGS: LineOptionsStrings = { requiredMark: " *", choose: "Choose…" };

export type LineOptionsInputsProps = {
  /** The product type's `cart_takeover.line_options` (the metafield string), or options already parsed. */
  declaration: string | null | undefined | LineOption[];
  /** The values by option key (a line's metadata, or what the shopper typed so far). */
  values: Readonly<Record<string, string>>;
  onChange: (values: Record<string, string>) => void;
  /**
   * Errors to show at their options: the server's (`lines.N.metadata.KEY`) or
   * `checkLineOptionValues`'. With `validate`, the kit's own check is added.
   */
  errors?: FieldError[];
  /** Show the kit's own check of the current values (e.g. after a first Add to cart). */
  validate?: boolean;
  strings?: Partial<LineOptionsStrings>;
  formatError?: (error: FieldError) => string;
  /** Translate an option's label (default: the merchant's label). */
  formatLabel?: (option: LineOption) => ReactNode;
  className?: string;
  disabled?: boolean;
};

/** Does a server error's field (`lines.0.metadata.engraving`, `metadata.engraving`, `engraving`) name this option? */
export function errorIsFor(field: string | null, key: string): boolean {
  if (!field) return false;
  return field === key || field === `metadata.${key}` || field.endsWith(`.metadata.${key}`);
}

/**
 * Inputs for a product type's configured line options: a text input (with
 * its `maxLength`) or a select per option, required ones marked. Nothing when
 * the product type declares none or its declaration cannot be used (the
 * plugin does not enforce a broken one on shoppers).
 */
export function LineOptionsInputs({
  declaration,
  values,
  onChange,
  errors = [],
  validate = false,
  strings,
  formatError = (error) => error.message,
  formatLabel = (option) => option.label,
  className,
  disabled,
}: LineOptionsInputsProps) {
  const text = { ...LINE_OPTIONS_STRINGS, ...strings };
  const id = useId();
  const options = useMemo(
    () => (Array.isArray(declaration) ? declaration : parseLineOptions(declaration).options),
    [declaration],
  );
  if (!options || options.length === 0) return null;

  const own = validate
    ? checkLineOptionValues(
        options,
        Object.fromEntries(options.map((option) => [option.key, values[option.key] ?? ""])),
      )
    : [];
  const shown = [...errors, ...own];

  return (
    <div className={className} data-line-options="">
      {options.map((option, index) => {
        const inputId = `${id}-${index}`;
        const errorId = `${inputId}-error`;
        const messages = [...new Set(shown.filter((error) => errorIsFor(error.field, option.key)).map(formatError))];
        const value = values[option.key] ?? "";
        const change = (next: string) => onChange({ ...values, [option.key]: next });
        const common = {
          id: inputId,
          name: option.key,
          required: option.required,
          disabled,
          "aria-invalid": messages.length > 0 || undefined,
          "aria-describedby": messages.length ? errorId : undefined,
        };
        return (
          <div key={option.key} data-line-option={option.key}>
            <label htmlFor={inputId}>
              {formatLabel(option)}
              {option.required && <span aria-hidden="true">{text.requiredMark}</span>}
            </label>
            {option.type === "choice" ? (
              <select {...common} value={value} onChange={(event) => change(event.target.value)}>
                <option value="">{text.choose}</option>
                {option.choices.map((choice) => (
                  <option key={choice} value={choice}>
                    {choice}
                  </option>
                ))}
              </select>
            ) : (
              <input
                {...common}
                type="text"
                maxLength={optionLimit(option)}
                value={value}
                onChange={(event) => change(event.target.value)}
              />
            )}
            {messages.length > 0 && (
              <p id={errorId} data-field-error={option.key}>
                {messages.join(" ")}
              </p>
            )}
          </div>
        );
      })}
    </div>
  );
}
