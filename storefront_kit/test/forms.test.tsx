import { render, screen, within } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it, vi } from "vitest";

import { createGraphQLClient, type FetchLike, type PickupContacts } from "../src/index.js";
import { LineOptionsInputs, PickupContactsForm, type PickupContactsSave } from "../src/react/index.js";

const CHECKOUT_ID = btoa("Checkout:e539a78b-c8ef-4346-8b12-ae6ead581e57");
const STORED: PickupContacts = {
  primary: { firstName: "Ann", lastName: "Lee", email: "ann@example.com", phone: "+14155550100" },
  alternate: null,
};

/** A storefront page: Pay is disabled while the contacts have unsaved edits. */
function Checkout({ save, contacts = STORED }: { save: PickupContactsSave; contacts?: PickupContacts | null }) {
  const [dirty, setDirty] = useState(false);
  return (
    <>
      <PickupContactsForm checkoutId={CHECKOUT_ID} contacts={contacts} save={save} onDirtyChange={setDirty} country="US" />
      <button type="button" disabled={dirty}>
        Pay
      </button>
    </>
  );
}

const fieldset = (name: RegExp) => screen.getByRole("group", { name });

describe("PickupContactsForm", () => {
  it("shows the stored contacts, holds back Pay while edits are unsaved, and saves", async () => {
    const save = vi.fn<PickupContactsSave>(async ({ primary, alternate }) => ({
      errors: [],
      pickupContacts: {
        primary: primary ? { ...primary, phone: "+14155550100" } : null,
        alternate: alternate ? { ...alternate, phone: null } : null,
        isDefault: false,
      },
    }));
    render(<Checkout save={save} />);
    const primary = fieldset(/Primary contact/);
    expect(within(primary).getByLabelText("First name")).toHaveValue("Ann");
    expect(within(primary).getByLabelText("Phone (optional)")).toHaveValue("+14155550100");
    expect(screen.getByRole("button", { name: "Pay" })).toBeEnabled();

    const alternate = fieldset(/Alternate contact/);
    await userEvent.type(within(alternate).getByLabelText("First name"), "Bo");
    expect(screen.getByRole("button", { name: "Pay" })).toBeDisabled();
    await userEvent.type(within(alternate).getByLabelText("Last name"), "Lee");
    await userEvent.type(within(alternate).getByLabelText("Email"), "bo@example.com");
    await userEvent.click(screen.getByRole("button", { name: "Save pickup contacts" }));

    expect(save).toHaveBeenCalledWith({
      checkoutId: CHECKOUT_ID,
      primary: { firstName: "Ann", lastName: "Lee", email: "ann@example.com", phone: "+14155550100" },
      alternate: { firstName: "Bo", lastName: "Lee", email: "bo@example.com" },
    });
    expect(await screen.findByText("Pickup contacts saved.")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Pay" })).toBeEnabled();
  });

  it("shows a bad email at its field without asking the server, and Pay stays disabled", async () => {
    const save = vi.fn<PickupContactsSave>();
    render(<Checkout save={save} />);
    const alternate = fieldset(/Alternate contact/);
    await userEvent.type(within(alternate).getByLabelText("First name"), "Bo");
    await userEvent.type(within(alternate).getByLabelText("Last name"), "Lee");
    await userEvent.type(within(alternate).getByLabelText("Email"), "bo@example");
    await userEvent.click(screen.getByRole("button", { name: "Save pickup contacts" }));

    const email = within(alternate).getByLabelText("Email");
    expect(email).toHaveAttribute("aria-invalid", "true");
    expect(email).toHaveAccessibleDescription("Enter a valid email address for the alternate contact.");
    expect(save).not.toHaveBeenCalled();
    expect(screen.getByRole("button", { name: "Pay" })).toBeDisabled();

    await userEvent.type(email, ".com");
    await userEvent.click(screen.getByRole("button", { name: "Save pickup contacts" }));
    expect(save).toHaveBeenCalledTimes(1);
  });

  it("puts the server's errors at the fields they name, and translates them", async () => {
    const save = vi.fn<PickupContactsSave>(async () => ({
      errors: [
        { field: "alternate", code: "INVALID", message: "The alternate contact must be someone other than the primary contact." },
        { field: "primary.phone", code: "INVALID", message: "Enter a valid phone number…" },
        { field: "checkoutId", code: "NOT_FOUND", message: "No such checkout." },
      ],
    }));
    render(
      <PickupContactsForm
        checkoutId={CHECKOUT_ID}
        contacts={STORED}
        save={save}
        formatError={(error) => `${error.code}: ${error.message}`}
      />,
    );
    const alternate = fieldset(/Alternate contact/);
    await userEvent.type(within(alternate).getByLabelText("First name"), "Bob");
    await userEvent.type(within(alternate).getByLabelText("Last name"), "Lee");
    await userEvent.type(within(alternate).getByLabelText("Email"), "bob@example.com");
    await userEvent.click(screen.getByRole("button", { name: "Save pickup contacts" }));

    expect(await screen.findByText(/INVALID: The alternate contact must be someone other/)).toBeInTheDocument();
    expect(fieldset(/Alternate contact/)).toHaveAccessibleDescription(/must be someone other than the primary/);
    expect(within(fieldset(/Primary contact/)).getByLabelText("Phone (optional)")).toHaveAccessibleDescription(
      "INVALID: Enter a valid phone number…",
    );
    expect(screen.getAllByRole("alert").some((alert) => alert.textContent?.includes("NOT_FOUND: No such checkout."))).toBe(true);
  });

  it("shows errors from checkoutComplete at their fields too", () => {
    render(
      <PickupContactsForm
        checkoutId={CHECKOUT_ID}
        contacts={STORED}
        save={vi.fn()}
        errors={[{ field: "alternate.email", code: "INVALID", message: "Pickup contacts: Enter the alternate contact's email." }]}
      />,
    );
    expect(within(fieldset(/Alternate contact/)).getByLabelText("Email")).toHaveAccessibleDescription(
      "Pickup contacts: Enter the alternate contact's email.",
    );
  });

  it("sends pickupContactsUpdate through a client, without a token", async () => {
    const bodies: unknown[] = [];
    const headers: Record<string, string>[] = [];
    const fetch: FetchLike = async (_url, init) => {
      bodies.push(JSON.parse(init.body));
      headers.push(init.headers);
      return {
        ok: true,
        status: 200,
        json: async () => ({
          data: {
            pickupContactsUpdate: {
              errors: [],
              pickupContacts: { primary: { firstName: "Al", lastName: "Ng", email: "al@example.com", phone: null }, alternate: null, isDefault: false },
            },
          },
        }),
      };
    };
    const client = createGraphQLClient({ endpoint: "https://shop.example.com/p/", fetch });
    const onSaved = vi.fn();
    render(<PickupContactsForm checkoutId={CHECKOUT_ID} contacts={null} client={client} onSaved={onSaved} />);
    const primary = fieldset(/Primary contact/);
    await userEvent.type(within(primary).getByLabelText("First name"), " Al ");
    await userEvent.type(within(primary).getByLabelText("Last name"), "Ng");
    await userEvent.type(within(primary).getByLabelText("Email"), "al@example.com");
    await userEvent.click(screen.getByRole("button", { name: "Save pickup contacts" }));
    await screen.findByText("Pickup contacts saved.");
    expect(bodies[0]).toMatchObject({
      operationName: "PickupContactsUpdate",
      variables: { checkoutId: CHECKOUT_ID, primary: { firstName: " Al ", lastName: "Ng", email: "al@example.com" }, alternate: null },
    });
    expect(headers[0]!.Authorization).toBeUndefined();
    // The form now shows what the server stored.
    expect(within(primary).getByLabelText("First name")).toHaveValue("Al");
    expect(onSaved).toHaveBeenCalledWith({
      primary: { firstName: "Al", lastName: "Ng", email: "al@example.com", phone: null },
      alternate: null,
    });
  });
});

describe("LineOptionsInputs", () => {
  const DECLARATION = JSON.stringify([
    { key: "engraving", label: "Engraving text", type: "text", required: true, maxLength: 10 },
    { key: "font", label: "Font", type: "choice", required: false, choices: ["Serif", "Script"] },
  ]);

  function Product({ errors }: { errors?: { field: string; code: string; message: string }[] }) {
    const [values, setValues] = useState<Record<string, string>>({});
    const [tried, setTried] = useState(false);
    return (
      <>
        <LineOptionsInputs declaration={DECLARATION} values={values} onChange={setValues} errors={errors} validate={tried} />
        <button type="button" onClick={() => setTried(true)}>
          Add to cart
        </button>
        <output>{JSON.stringify(values)}</output>
      </>
    );
  }

  it("renders a text input with its limit and a select of the choices; required ones marked", async () => {
    render(<Product />);
    const engraving = screen.getByRole("textbox", { name: /Engraving text/ });
    expect(engraving).toBeRequired();
    expect(engraving).toHaveAttribute("maxLength", "10");
    const font = screen.getByRole("combobox", { name: "Font" });
    expect(font).not.toBeRequired();
    expect(within(font).getAllByRole("option").map((o) => o.textContent)).toEqual(["Choose…", "Serif", "Script"]);
    await userEvent.type(engraving, "For Ada");
    await userEvent.selectOptions(font, "Script");
    expect(screen.getByRole("status")).toHaveTextContent('{"engraving":"For Ada","font":"Script"}');
  });

  it("shows the kit's check and the server's errors at their options", async () => {
    render(<Product errors={[{ field: "lines.0.metadata.font", code: "INVALID", message: "Font must be one of: 'Serif', 'Script'." }]} />);
    expect(screen.getByRole("combobox", { name: "Font" })).toHaveAccessibleDescription("Font must be one of: 'Serif', 'Script'.");
    await userEvent.click(screen.getByRole("button", { name: "Add to cart" }));
    expect(screen.getByRole("textbox", { name: /Engraving text/ })).toHaveAccessibleDescription("Engraving text is required.");
  });

  it("renders nothing for a product type that declares nothing or a broken declaration", () => {
    const { container } = render(<LineOptionsInputs declaration={null} values={{}} onChange={vi.fn()} />);
    expect(container).toBeEmptyDOMElement();
    render(<LineOptionsInputs declaration='[{"key": "a"}]' values={{}} onChange={vi.fn()} />);
    expect(container).toBeEmptyDOMElement();
  });
});
