"use client";

import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from "react";

import { updatePickupContacts, type GraphQLClient } from "../client.js";
import type { PickupContactInput, PickupContactsUpdateResult, PickupContactsUpdateVariables } from "../documents.js";
import type { FieldError } from "../errors.js";
import {
  validatePickupContacts,
  type PickupContact,
  type PickupContactField,
  type PickupContactRole,
  type PickupContacts,
} from "../pickupContacts.js";

/**
 * Sends `pickupContactsUpdate` (e.g. a Next.js server action, or `updatePickupContacts(client, …)`).
 * Its errors are plain `FieldError`s, not the schema's error type, so a storefront can add
 * its own (a network failure, say) beside the plugin's.
 */
export type PickupContactsSave = (
  variables: PickupContactsUpdateVariables,
) => Promise<{ errors: FieldError[]; pickupContacts?: Payload["pickupContacts"] }>;
type Payload = NonNullable<PickupContactsUpdateResult["pickupContactsUpdate"]>;

/** What the shopper typed, field by field (empty strings when blank). */
export type ContactDraft = Record<PickupContactField, string>;
export type ContactsDraft = Record<PickupContactRole, ContactDraft>;

export type PickupContactsStrings = {
  primary: ReactNode;
  alternate: ReactNode;
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  save: string;
  saving: string;
  saved: string;
  /** Shown when the request itself failed (network). */
  failed: string;
};

export const PICKUP_CONTACTS_STRINGS: PickupContactsStrings = {
  primary: "Primary contact",
  alternate: "Alternate contact (optional)",
  firstName: "First name",
  lastName: "Last name",
  email: "Email",
  phone: "Phone (optional)",
  save: "Save pickup contacts",
  saving: "Saving…",
  saved: "Pickup contacts saved.",
  failed: "The pickup contacts could not be saved. Please try again.",
};

export const CONTACT_FIELDS: PickupContactField[] = ["firstName", "lastName", "email", "phone"];
const ROLES: PickupContactRole[] = ["primary", "alternate"];
const EMPTY: ContactDraft = { firstName: "", lastName: "", email: "", phone: "" };

function toDraft(contact: PickupContact | null | undefined): ContactDraft {
  if (!contact) return EMPTY;
  return { firstName: contact.firstName, lastName: contact.lastName, email: contact.email, phone: contact.phone ?? "" };
}

function draftOf(contacts: PickupContacts | null | undefined): ContactsDraft {
  return { primary: toDraft(contacts?.primary), alternate: toDraft(contacts?.alternate) };
}

/** A blank contact is "not given" (no alternate; the shopper as primary); anything typed is sent. */
function toInput(draft: ContactDraft): PickupContactInput | null {
  if (CONTACT_FIELDS.every((name) => !draft[name].trim())) return null;
  return {
    firstName: draft.firstName,
    lastName: draft.lastName,
    email: draft.email,
    ...(draft.phone.trim() ? { phone: draft.phone } : {}),
  };
}

const sameDraft = (a: ContactsDraft, b: ContactsDraft) =>
  ROLES.every((role) => CONTACT_FIELDS.every((name) => a[role][name] === b[role][name]));

export type UsePickupContactsFormOptions = {
  checkoutId: string;
  /** The stored contacts (`readPickupContacts(checkout.metadata)`); a change resets a form without edits. */
  contacts?: PickupContacts | null;
  save?: PickupContactsSave;
  /** Alternatively the kit sends `pickupContactsUpdate` with this client (the plugin's endpoint). */
  client?: GraphQLClient;
  /** The checkout's country: phone numbers without `+` are read in it, as the server does. */
  country?: string | null;
  /** Errors from elsewhere to show at their fields, e.g. `checkoutComplete`'s `alternate.email`. */
  errors?: FieldError[];
  /** True while edits are unsaved: disable the Pay / Place order button. */
  onDirtyChange?: (dirty: boolean) => void;
  onSaved?: (contacts: PickupContacts) => void;
  formatError?: (error: FieldError) => string;
  failedMessage?: string;
};

/** The form's state and actions, for a storefront that renders its own markup. */
export function usePickupContactsForm(options: UsePickupContactsFormOptions) {
  const { checkoutId, contacts, country, onDirtyChange, onSaved } = options;
  const formatError = options.formatError ?? ((error: FieldError) => error.message);
  const [baseline, setBaseline] = useState<ContactsDraft>(() => draftOf(contacts));
  const [values, setValues] = useState<ContactsDraft>(baseline);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);
  const dirty = !sameDraft(values, baseline);

  // The `contacts` prop changed (a refresh, a rep's edit): follow it unless the
  // shopper is typing. Only the prop counts: after a save the prop may lag.
  const storedKey = JSON.stringify(draftOf(contacts));
  const lastStored = useRef(storedKey);
  useEffect(() => {
    if (storedKey === lastStored.current) return;
    lastStored.current = storedKey;
    if (!dirty) {
      const next = JSON.parse(storedKey) as ContactsDraft;
      setBaseline(next);
      setValues(next);
    }
  }, [storedKey, dirty]);

  const dirtyRef = useRef<boolean | null>(null);
  const dirtyChange = useRef(onDirtyChange);
  dirtyChange.current = onDirtyChange;
  useEffect(() => {
    if (dirtyRef.current !== dirty) dirtyChange.current?.(dirty);
    dirtyRef.current = dirty;
  }, [dirty]);

  const setField = (role: PickupContactRole, name: PickupContactField, value: string) => {
    setSaved(false);
    setValues((current) => ({ ...current, [role]: { ...current[role], [name]: value } }));
  };

  const submit = async () => {
    const primary = toInput(values.primary);
    const alternate = toInput(values.alternate);
    setSaved(false);
    const local = validatePickupContacts(primary, alternate, { country });
    if (!local.ok) {
      setErrors(local.errors);
      return false;
    }
    const sender: PickupContactsSave | undefined =
      options.save ?? (options.client ? (variables) => updatePickupContacts(options.client!, variables) : undefined);
    if (!sender) throw new Error("PickupContactsForm needs `save` or `client`.");
    setSaving(true);
    setErrors([]);
    try {
      const result = await sender({ checkoutId, primary, alternate });
      if (result.errors.length) {
        setErrors(result.errors);
        return false;
      }
      // What the server stored (trimmed, phones in E.164) is the new saved state.
      const stored: PickupContacts = {
        primary: result.pickupContacts?.isDefault ? null : (result.pickupContacts?.primary ?? local.contacts.primary),
        alternate: result.pickupContacts ? result.pickupContacts.alternate : local.contacts.alternate,
      };
      const next = draftOf(stored);
      setBaseline(next);
      setValues(next);
      setSaved(true);
      onSaved?.(stored);
      return true;
    } catch {
      setErrors([{ field: null, code: "REQUEST_FAILED", message: options.failedMessage ?? PICKUP_CONTACTS_STRINGS.failed }]);
      return false;
    } finally {
      setSaving(false);
    }
  };

  const shown = [...errors, ...(options.errors ?? [])];
  const at = (field: string) => shown.filter((error) => error.field === field).map(formatError);
  const elsewhere = shown
    .filter((error) => !ROLES.some((role) => error.field === role || error.field?.startsWith(`${role}.`)))
    .map(formatError);
  return { values, setField, dirty, saving, saved, submit, errorsAt: at, formErrors: elsewhere };
}

export type PickupContactsFormProps = UsePickupContactsFormOptions & {
  strings?: Partial<PickupContactsStrings>;
  className?: string;
  disabled?: boolean;
  /** Rendered after the fields, before the Save button (e.g. a note on who may collect). */
  children?: ReactNode;
};

/**
 * Who may collect a click-and-collect order: a primary and an optional
 * alternate contact. Save sends `pickupContactsUpdate`; `onDirtyChange` says
 * whether edits are unsaved, so the storefront can hold back payment.
 */
export function PickupContactsForm(props: PickupContactsFormProps) {
  const text = { ...PICKUP_CONTACTS_STRINGS, ...props.strings };
  const form = usePickupContactsForm({ ...props, failedMessage: text.failed });
  const id = useId();
  const errorId = (field: string) => `${id}-${field.replace(/\./g, "-")}-error`;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void form.submit();
  };

  return (
    <form className={props.className} noValidate onSubmit={onSubmit} aria-busy={form.saving} data-pickup-contacts-form="">
      {form.formErrors.length > 0 && (
        <ul role="alert" data-form-errors="">
          {form.formErrors.map((message, index) => (
            <li key={index}>{message}</li>
          ))}
        </ul>
      )}
      {ROLES.map((role) => {
        const roleErrors = form.errorsAt(role);
        return (
          <fieldset
            key={role}
            data-contact={role}
            aria-describedby={roleErrors.length ? errorId(role) : undefined}
            disabled={props.disabled}
          >
            <legend>{text[role]}</legend>
            {roleErrors.length > 0 && (
              <p id={errorId(role)} role="alert" data-field-error={role}>
                {roleErrors.join(" ")}
              </p>
            )}
            {CONTACT_FIELDS.map((name) => {
              const field = `${role}.${name}`;
              const fieldErrors = form.errorsAt(field);
              const inputId = `${id}-${role}-${name}`;
              return (
                <div key={name} data-field={field}>
                  <label htmlFor={inputId}>{text[name]}</label>
                  <input
                    id={inputId}
                    name={field}
                    type={name === "email" ? "email" : name === "phone" ? "tel" : "text"}
                    autoComplete={role === "primary" ? AUTOCOMPLETE[name] : "off"}
                    value={form.values[role][name]}
                    onChange={(event) => form.setField(role, name, event.target.value)}
                    aria-invalid={fieldErrors.length > 0 || undefined}
                    aria-describedby={fieldErrors.length ? errorId(field) : undefined}
                  />
                  {fieldErrors.length > 0 && (
                    <p id={errorId(field)} data-field-error={field}>
                      {fieldErrors.join(" ")}
                    </p>
                  )}
                </div>
              );
            })}
          </fieldset>
        );
      })}
      {props.children}
      <button type="submit" disabled={props.disabled || form.saving} data-pickup-contacts-save="">
        {form.saving ? text.saving : text.save}
      </button>
      <p role="status" data-pickup-contacts-status="">
        {form.saved && !form.dirty ? text.saved : ""}
      </p>
    </form>
  );
}

const AUTOCOMPLETE: Record<PickupContactField, string> = {
  firstName: "given-name",
  lastName: "family-name",
  email: "email",
  phone: "tel",
};
