import { act, render, screen, waitFor } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";

import { createGraphQLClient, type FetchLike } from "../src/index.js";
import {
  CHECKOUT_TAKEN_OVER_KEY,
  CONSENT_REQUESTED_KEY,
  LINE_SOURCE_CUSTOMER_SERVICE,
  LINE_SOURCE_KEY,
} from "../src/keys.generated.js";
import { CartCode, ConsentPrompt, CustomerServiceBadge, TakeoverBanner } from "../src/react/index.js";

const TOKEN = "e539a78b-c8ef-4346-8b12-ae6ead581e57";
const CHECKOUT_ID = btoa(`Checkout:${TOKEN}`);
const HELD = [{ key: CHECKOUT_TAKEN_OVER_KEY, value: "true" }];
const SESSION = "VGFrZW92ZXJTZXNzaW9uOjE=";

afterEach(() => vi.useRealTimers());

describe("CartCode", () => {
  it("shows the code of a token or of the Checkout id the storefront's cookie holds", () => {
    const { rerender } = render(<CartCode checkout={{ token: TOKEN }} />);
    expect(screen.getByText("E539-A78B")).toBeInTheDocument();
    expect(screen.getByText(/Cart code/)).toBeInTheDocument();
    rerender(<CartCode checkout={CHECKOUT_ID} label="Code du panier" />);
    expect(screen.getByText("E539-A78B")).toHaveAttribute("translate", "no");
    expect(screen.getByText(/Code du panier/)).toBeInTheDocument();
    rerender(<CartCode checkout={TOKEN}>{(code) => <em>Read out {code}</em>}</CartCode>);
    expect(screen.getByText("Read out E539-A78B")).toBeInTheDocument();
  });

  it("shows nothing without a checkout", () => {
    const { container } = render(<CartCode checkout={null} />);
    expect(container).toBeEmptyDOMElement();
    render(<CartCode checkout="garbage" />);
    expect(container).toBeEmptyDOMElement();
  });
});

describe("CustomerServiceBadge", () => {
  it("marks only the lines customer service added", () => {
    const { container, rerender } = render(
      <CustomerServiceBadge metadata={[{ key: LINE_SOURCE_KEY, value: LINE_SOURCE_CUSTOMER_SERVICE }]} />,
    );
    expect(screen.getByText("Added by customer service")).toBeInTheDocument();
    rerender(<CustomerServiceBadge metadata={{ [LINE_SOURCE_KEY]: LINE_SOURCE_CUSTOMER_SERVICE }} label="Ajouté par le service client" />);
    expect(screen.getByText("Ajouté par le service client")).toBeInTheDocument();
    rerender(<CustomerServiceBadge metadata={[{ key: "engraving", value: "For Ada" }]} />);
    expect(container).toBeEmptyDOMElement();
  });
});

describe("TakeoverBanner", () => {
  it("shows while a rep holds the cart, polls, and reports the end of the hold once", async () => {
    vi.useFakeTimers();
    const answers = [HELD, HELD, []];
    const poll = vi.fn(async () => answers.shift());
    const onHoldEnded = vi.fn();
    render(<TakeoverBanner metadata={HELD} poll={poll} onHoldEnded={onHoldEnded} pollInterval={1000} />);
    expect(screen.getByRole("status")).toHaveTextContent("A customer-service representative is editing your cart");

    await act(async () => vi.advanceTimersByTimeAsync(2000));
    expect(poll).toHaveBeenCalledTimes(2);
    expect(screen.getByRole("status")).toBeInTheDocument();
    expect(onHoldEnded).not.toHaveBeenCalled();

    await act(async () => vi.advanceTimersByTimeAsync(1000));
    expect(screen.queryByRole("status")).not.toBeInTheDocument();
    expect(onHoldEnded).toHaveBeenCalledTimes(1);

    // No more polling once the hold is over.
    await act(async () => vi.advanceTimersByTimeAsync(5000));
    expect(poll).toHaveBeenCalledTimes(3);
    expect(onHoldEnded).toHaveBeenCalledTimes(1);
  });

  it("follows new metadata when the storefront re-renders it (poll returning nothing)", async () => {
    vi.useFakeTimers();
    const poll = vi.fn();
    const onHoldEnded = vi.fn();
    const { rerender } = render(
      <TakeoverBanner metadata={HELD} poll={poll} onHoldEnded={onHoldEnded} pollInterval={1000} message="Held" />,
    );
    await act(async () => vi.advanceTimersByTimeAsync(1000));
    expect(poll).toHaveBeenCalledTimes(1);
    expect(screen.getByRole("status")).toHaveTextContent("Held");
    rerender(<TakeoverBanner metadata={[]} poll={poll} onHoldEnded={onHoldEnded} pollInterval={1000} message="Held" />);
    expect(screen.queryByRole("status")).not.toBeInTheDocument();
    expect(onHoldEnded).toHaveBeenCalledTimes(1);
  });

  it("shows nothing and polls nothing for a cart nobody holds", async () => {
    vi.useFakeTimers();
    const poll = vi.fn();
    const onHoldEnded = vi.fn();
    const { container } = render(<TakeoverBanner metadata={[]} poll={poll} onHoldEnded={onHoldEnded} pollInterval={10} />);
    await act(async () => vi.advanceTimersByTimeAsync(1000));
    expect(container).toBeEmptyDOMElement();
    expect(poll).not.toHaveBeenCalled();
    expect(onHoldEnded).not.toHaveBeenCalled();
  });

  it("keeps polling after a failed poll", async () => {
    vi.useFakeTimers();
    const poll = vi.fn().mockRejectedValueOnce(new Error("offline")).mockResolvedValue([]);
    render(<TakeoverBanner metadata={HELD} poll={poll} pollInterval={1000} />);
    await act(async () => vi.advanceTimersByTimeAsync(1000));
    expect(screen.getByRole("status")).toBeInTheDocument();
    await act(async () => vi.advanceTimersByTimeAsync(1000));
    expect(screen.queryByRole("status")).not.toBeInTheDocument();
  });
});

describe("ConsentPrompt", () => {
  const REQUEST = [{ key: CONSENT_REQUESTED_KEY, value: SESSION }];

  it("shows nothing without a request", () => {
    const { container } = render(<ConsentPrompt checkoutId={CHECKOUT_ID} metadata={[]} answer={vi.fn()} />);
    expect(container).toBeEmptyDOMElement();
  });

  it("answers the requested session and goes away", async () => {
    const answer = vi.fn(async () => ({ errors: [] }));
    const onAnswered = vi.fn();
    render(<ConsentPrompt checkoutId={CHECKOUT_ID} metadata={REQUEST} answer={answer} onAnswered={onAnswered} />);
    expect(screen.getByRole("region", { name: "Customer service asks to edit your cart" })).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Accept" }));
    expect(answer).toHaveBeenCalledWith({ checkoutId: CHECKOUT_ID, sessionId: SESSION, accept: true });
    expect(onAnswered).toHaveBeenCalledWith(true);
    expect(screen.queryByRole("region")).not.toBeInTheDocument();
  });

  it("shows the server's errors and stays", async () => {
    const answer = vi.fn(async () => ({
      errors: [{ field: "sessionId", code: "SESSION_NOT_ACTIVE", message: "This request has expired." }],
    }));
    const onAnswered = vi.fn();
    render(
      <ConsentPrompt
        checkoutId={CHECKOUT_ID}
        metadata={REQUEST}
        answer={answer}
        onAnswered={onAnswered}
        strings={{ decline: "Refuser" }}
      />,
    );
    await userEvent.click(screen.getByRole("button", { name: "Refuser" }));
    expect(answer).toHaveBeenCalledWith({ checkoutId: CHECKOUT_ID, sessionId: SESSION, accept: false });
    expect(screen.getByRole("alert")).toHaveTextContent("This request has expired.");
    expect(onAnswered).not.toHaveBeenCalled();
    expect(screen.getByRole("button", { name: "Accept" })).toBeEnabled();
  });

  it("sends takeoverConsentAnswer to the plugin with the shopper's token through the storefront's fetch", async () => {
    const calls: { url: string; headers: Record<string, string>; body: string }[] = [];
    const fetch: FetchLike = async (url, init) => {
      calls.push({ url, headers: init.headers, body: init.body });
      return { ok: true, status: 200, json: async () => ({ data: { takeoverConsentAnswer: { status: "ACTIVE", expiresAt: null, errors: [] } } }) };
    };
    const client = createGraphQLClient({
      endpoint: "https://shop.example.com/plugins/global/saleor.cart_takeover/graphql/",
      fetch,
      token: () => "shopper-jwt",
    });
    render(<ConsentPrompt checkoutId={CHECKOUT_ID} metadata={REQUEST} client={client} />);
    await userEvent.click(screen.getByRole("button", { name: "Accept" }));
    await waitFor(() => expect(screen.queryByRole("region")).not.toBeInTheDocument());
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe("https://shop.example.com/plugins/global/saleor.cart_takeover/graphql/");
    expect(calls[0]!.headers.Authorization).toBe("Bearer shopper-jwt");
    const body = JSON.parse(calls[0]!.body);
    expect(body.operationName).toBe("TakeoverConsentAnswer");
    expect(body.variables).toEqual({ checkoutId: CHECKOUT_ID, sessionId: SESSION, accept: true });
  });

  it("asks the shopper to sign in when the plugin refuses the caller (an expired sign-in gets HTTP 401)", async () => {
    const fetch: FetchLike = async () => ({
      ok: false,
      status: 401,
      json: async () => ({ errors: [{ message: "Token expired", extensions: { exception: { code: "Unauthenticated" } } }] }),
    });
    const client = createGraphQLClient({ endpoint: "https://shop.example.com/x/", fetch, token: "old" });
    render(<ConsentPrompt checkoutId={CHECKOUT_ID} metadata={REQUEST} client={client} />);
    await userEvent.click(screen.getByRole("button", { name: "Accept" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Please sign in to the account this cart belongs to");
    expect(screen.getByRole("region")).toBeInTheDocument();
  });

  it("asks the shopper to sign in when they answer a registered cart signed out (HTTP 200, Unauthenticated)", async () => {
    // What the plugin answers (tests/test_storefront_kit_documents.py).
    const fetch: FetchLike = async () => ({
      ok: true,
      status: 200,
      json: async () => ({
        data: { takeoverConsentAnswer: null },
        errors: [{ message: "Sign in first.", extensions: { exception: { code: "Unauthenticated" } } }],
      }),
    });
    const client = createGraphQLClient({ endpoint: "https://shop.example.com/x/", fetch });
    render(<ConsentPrompt checkoutId={CHECKOUT_ID} metadata={REQUEST} client={client} strings={{ signIn: "Connectez-vous." }} />);
    await userEvent.click(screen.getByRole("button", { name: "Accept" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Connectez-vous.");
  });

  it("says so when the request fails", async () => {
    const fetch: FetchLike = async () => {
      throw new TypeError("fetch failed");
    };
    const client = createGraphQLClient({ endpoint: "https://shop.example.com/x/", fetch });
    render(<ConsentPrompt checkoutId={CHECKOUT_ID} metadata={REQUEST} client={client} />);
    await userEvent.click(screen.getByRole("button", { name: "Decline" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Your answer could not be sent. Please try again.");
  });
});
