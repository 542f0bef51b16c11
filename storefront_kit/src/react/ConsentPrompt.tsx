"use client";

import { useId, useState, type ReactNode } from "react";

import { GraphQLRequestError, answerTakeoverConsent, type GraphQLClient } from "../client.js";
import type { TakeoverConsentAnswerVariables } from "../documents.js";
import type { FieldError } from "../errors.js";
import type { Metadata } from "../metadata.js";
import { consentRequest } from "../takeover.js";

/** Sends `takeoverConsentAnswer` with the shopper's token (e.g. a Next.js server action). */
export type ConsentAnswer = (variables: TakeoverConsentAnswerVariables) => Promise<{ errors: FieldError[] }>;

export type ConsentPromptStrings = {
  title: ReactNode;
  body: ReactNode;
  accept: string;
  decline: string;
  /** Shown when the request itself failed (network, server). */
  failed: string;
  /** Shown when the server refused the caller: a registered shopper's cart needs that shopper signed in. */
  signIn: string;
};

export const CONSENT_PROMPT_STRINGS: ConsentPromptStrings = {
  title: "Customer service asks to edit your cart",
  body: "A customer-service representative would like to change the items in your cart for you. You cannot check out while they do.",
  accept: "Accept",
  decline: "Decline",
  failed: "Your answer could not be sent. Please try again.",
  signIn: "Please sign in to the account this cart belongs to, then answer again.",
};

export type ConsentPromptProps = {
  /** The checkout's id (or token). */
  checkoutId: string;
  /** The checkout's public metadata, as last loaded. */
  metadata: Metadata;
  /** How to send the answer; or pass `client` (the plugin's endpoint, with the shopper's token). */
  answer?: ConsentAnswer;
  client?: GraphQLClient;
  /** The answer was taken: reload the checkout. */
  onAnswered?: (accepted: boolean) => void;
  strings?: Partial<ConsentPromptStrings>;
  /** Translate a server error (default: its message). */
  formatError?: (error: FieldError) => string;
  className?: string;
};

/** Shows while `cart_takeover.consent_requested` holds a session id: Accept / Decline. */
export function ConsentPrompt({
  checkoutId,
  metadata,
  answer,
  client,
  onAnswered,
  strings,
  formatError = (error) => error.message,
  className,
}: ConsentPromptProps) {
  const text = { ...CONSENT_PROMPT_STRINGS, ...strings };
  const sessionId = consentRequest(metadata);
  const [answered, setAnswered] = useState<string | null>(null);
  const [sending, setSending] = useState<boolean | null>(null);
  const [errors, setErrors] = useState<string[]>([]);
  const titleId = useId();
  const bodyId = useId();

  if (!sessionId || answered === sessionId) return null;

  const send = async (accept: boolean) => {
    const sender: ConsentAnswer | undefined =
      answer ?? (client ? (variables) => answerTakeoverConsent(client, variables) : undefined);
    if (!sender) throw new Error("ConsentPrompt needs `answer` or `client`.");
    setSending(accept);
    setErrors([]);
    try {
      const result = await sender({ checkoutId, sessionId, accept });
      if (result.errors.length) {
        setErrors(result.errors.map(formatError));
      } else {
        setAnswered(sessionId);
        onAnswered?.(accept);
      }
    } catch (caught) {
      const refused =
        caught instanceof GraphQLRequestError && (caught.code === "Unauthenticated" || caught.code === "PermissionDenied");
      setErrors([refused ? text.signIn : text.failed]);
    } finally {
      setSending(null);
    }
  };

  return (
    <section
      className={className}
      aria-labelledby={titleId}
      aria-describedby={bodyId}
      aria-busy={sending !== null}
      data-consent-prompt=""
    >
      <p id={titleId} data-consent-title="">
        {text.title}
      </p>
      <p id={bodyId} data-consent-body="">
        {text.body}
      </p>
      {errors.length > 0 && (
        <ul role="alert" data-consent-errors="">
          {errors.map((message, index) => (
            <li key={index}>{message}</li>
          ))}
        </ul>
      )}
      <button type="button" disabled={sending !== null} onClick={() => void send(true)} data-consent-accept="">
        {text.accept}
      </button>
      <button type="button" disabled={sending !== null} onClick={() => void send(false)} data-consent-decline="">
        {text.decline}
      </button>
    </section>
  );
}
