// A transport-agnostic GraphQL client: the storefront passes the `fetch` it
// wants (the global one in a browser or a Next.js server action, a wrapped
// one with its own caching or tracing), the endpoint and the shopper's token.

import {
  PICKUP_CONTACTS_UPDATE,
  TAKEOVER_CONSENT_ANSWER,
  type PickupContactsUpdateResult,
  type PickupContactsUpdateVariables,
  type TakeoverConsentAnswerResult,
  type TakeoverConsentAnswerVariables,
  type TypedDocument,
} from "./documents.js";
import { PLUGIN_URL_PATH } from "./keys.generated.js";

/** The part of `fetch` the kit uses. */
export type FetchLike = (
  url: string,
  init: { method: "POST"; headers: Record<string, string>; body: string },
) => Promise<{ ok: boolean; status: number; json(): Promise<unknown> }>;

export type TokenSource = string | null | undefined | (() => string | null | undefined | Promise<string | null | undefined>);

export type GraphQLClientOptions = {
  /** The GraphQL URL: `pluginEndpoint(saleorApiUrl)` for the plugin, or Saleor's API URL. */
  endpoint: string;
  /** Defaults to the global `fetch`. */
  fetch?: FetchLike;
  /** The shopper's access token (or a function returning it); sent as `Authorization: Bearer …` when present. */
  token?: TokenSource;
  headers?: Record<string, string>;
};

export type GraphQLClient = {
  request<TResult, TVariables>(document: TypedDocument<TResult, TVariables>, variables: TVariables): Promise<TResult>;
};

/** A request that produced no data: HTTP error, 401, or a GraphQL error such as `PermissionDenied`. */
export class GraphQLRequestError extends Error {
  readonly status: number;
  /** `Unauthenticated`, `PermissionDenied`, … (`extensions.exception.code`), or null. */
  readonly code: string | null;
  constructor(message: string, status: number, code: string | null) {
    super(message);
    this.name = "GraphQLRequestError";
    this.status = status;
    this.code = code;
  }
}

/**
 * The plugin's GraphQL endpoint for a Saleor API URL:
 * `https://shop.example.com/graphql/` → `https://shop.example.com/plugins/global/saleor.cart_takeover/graphql/`
 * (a path prefix before `/graphql/` is kept).
 */
export function pluginEndpoint(saleorApiUrl: string): string {
  const url = new URL(saleorApiUrl);
  const base = url.pathname.replace(/\/graphql\/?$/, "").replace(/\/$/, "");
  url.pathname = `${base}${PLUGIN_URL_PATH}/graphql/`;
  url.search = "";
  url.hash = "";
  return url.toString();
}

type GraphQLResponse = {
  data?: unknown;
  errors?: { message?: string; extensions?: { exception?: { code?: string }; code?: string } }[];
};

export function createGraphQLClient(options: GraphQLClientOptions): GraphQLClient {
  const send: FetchLike = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
  return {
    async request(document, variables) {
      const token = typeof options.token === "function" ? await options.token() : options.token;
      const headers: Record<string, string> = { "Content-Type": "application/json", ...options.headers };
      if (token) headers.Authorization = `Bearer ${token}`;
      const operationName = /^\s*(?:query|mutation)\s+(\w+)/.exec(document)?.[1];
      const response = await send(options.endpoint, {
        method: "POST",
        headers,
        body: JSON.stringify({ query: String(document), variables, ...(operationName ? { operationName } : {}) }),
      });
      let body: GraphQLResponse | null = null;
      try {
        body = (await response.json()) as GraphQLResponse;
      } catch {
        body = null;
      }
      const first = body?.errors?.[0];
      const code = first?.extensions?.exception?.code ?? first?.extensions?.code ?? null;
      if (!response.ok || first || !body || body.data == null) {
        const message = first?.message ?? `The request failed (HTTP ${response.status}).`;
        throw new GraphQLRequestError(message, response.status, code ?? (response.status === 401 ? "Unauthenticated" : null));
      }
      return body.data as never;
    },
  };
}

/** `pickupContactsUpdate`: the stored contacts, or the errors (nothing stored then). */
export async function updatePickupContacts(
  client: GraphQLClient,
  variables: PickupContactsUpdateVariables,
): Promise<NonNullable<PickupContactsUpdateResult["pickupContactsUpdate"]>> {
  const data = await client.request(PICKUP_CONTACTS_UPDATE, variables);
  return payloadOf(data.pickupContactsUpdate);
}

/** `takeoverConsentAnswer`: the session's new status, or the errors (nothing changed then). */
export async function answerTakeoverConsent(
  client: GraphQLClient,
  variables: TakeoverConsentAnswerVariables,
): Promise<NonNullable<TakeoverConsentAnswerResult["takeoverConsentAnswer"]>> {
  const data = await client.request(TAKEOVER_CONSENT_ANSWER, variables);
  return payloadOf(data.takeoverConsentAnswer);
}

// The schema declares mutation payloads nullable; null only comes with a
// GraphQL error, which `request` has already raised.
function payloadOf<T>(payload: T | null): T {
  if (payload === null) throw new GraphQLRequestError("The server answered without a result.", 200, null);
  return payload;
}
