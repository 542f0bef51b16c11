import { Box, Button, Input, Text } from "@saleor/macaw-ui";
import { useState } from "react";

import type { Cart, PickupContact } from "../queries";

type Draft = { firstName: string; lastName: string; email: string; phone: string };
const EMPTY: Draft = { firstName: "", lastName: "", email: "", phone: "" };

function toDraft(contact: PickupContact | null | undefined): Draft {
  return contact
    ? { firstName: contact.firstName, lastName: contact.lastName, email: contact.email, phone: contact.phone ?? "" }
    : EMPTY;
}

function toInput(draft: Draft) {
  if (!draft.firstName && !draft.lastName && !draft.email && !draft.phone) return null;
  return {
    firstName: draft.firstName.trim(),
    lastName: draft.lastName.trim(),
    email: draft.email.trim(),
    ...(draft.phone.trim() ? { phone: draft.phone.trim() } : {}),
  };
}

export type ContactsInput = { primary: ReturnType<typeof toInput>; alternate: ReturnType<typeof toInput> };

/** Who may collect a click-and-collect order: a primary and an optional alternate. */
export function PickupContactsForm({
  cart,
  disabled,
  onSave,
}: {
  cart: Cart;
  disabled: boolean;
  onSave: (contacts: ContactsInput) => Promise<void>;
}) {
  const stored = cart.pickupContacts;
  const [primary, setPrimary] = useState<Draft>(stored?.isDefault ? EMPTY : toDraft(stored?.primary));
  const [alternate, setAlternate] = useState<Draft>(toDraft(stored?.alternate));

  return (
    <Box
      as="form"
      display="flex"
      flexDirection="column"
      gap={3}
      onSubmit={(event: React.FormEvent) => {
        event.preventDefault();
        void onSave({ primary: toInput(primary), alternate: toInput(alternate) });
      }}
    >
      <Text size={2} color="default2">
        {cart.pickupPoint
          ? `The shopper collects at ${cart.pickupPoint}.`
          : "The shopper has not chosen click & collect yet; contacts are kept for when they do."}
        {stored?.isDefault ? " Nobody is named yet, so the shopper is the primary contact." : ""}
      </Text>
      {cart.pickupContactsError && (
        <Text size={2} color="critical1">
          {cart.pickupContactsError}
        </Text>
      )}
      <ContactFields legend="Primary contact" value={primary} onChange={setPrimary} />
      <ContactFields legend="Alternate contact (optional)" value={alternate} onChange={setAlternate} />
      <Box>
        <Button type="submit" variant="secondary" disabled={disabled}>
          Save pickup contacts
        </Button>
      </Box>
    </Box>
  );
}

function ContactFields({
  legend,
  value,
  onChange,
}: {
  legend: string;
  value: Draft;
  onChange: (value: Draft) => void;
}) {
  const field = (name: keyof Draft, label: string, type: "text" | "email" = "text") => (
    <Input
      label={`${legend.replace(" (optional)", "")}: ${label}`}
      type={type}
      value={value[name]}
      onChange={(event) => onChange({ ...value, [name]: event.target.value })}
    />
  );
  return (
    <Box as="fieldset" borderWidth={0} padding={0} margin={0} display="flex" flexDirection="column" gap={2}>
      <Box as="legend"><Text fontWeight="medium" marginBottom={1}>
        {legend}
      </Text></Box>
      <Box display="grid" __gridTemplateColumns="1fr 1fr" gap={2}>
        {field("firstName", "first name")}
        {field("lastName", "last name")}
        {field("email", "email", "email")}
        {field("phone", "phone")}
      </Box>
    </Box>
  );
}
