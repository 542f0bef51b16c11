// GraphQL over fetch, for the plugin's endpoint and for Saleor's own API.

export class ApiError extends Error {
  constructor(
    message: string,
    // `Unauthenticated`, `PermissionDenied`, a TakeoverErrorCode, `Network`...
    readonly code: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export type FieldError = { field: string | null; code: string; message: string };

/** Raise the first error of a mutation payload, so callers handle one path. */
export function raiseErrors(
  payload: { errors?: readonly { code: string; message: string | null }[] | null } | null,
): void {
  const first = payload?.errors?.[0];
  if (first) throw new ApiError(first.message ?? first.code, first.code);
}

type GraphQLBody<T> = {
  data?: T | null;
  errors?: { message: string; extensions?: { exception?: { code?: string } } }[];
};

/** A GraphQL document as a string, carrying its result and variables types (src/generated/). */
export type TypedDocument<TResult, TVariables> = string & {
  readonly __apiType?: (variables: TVariables) => TResult;
};

export async function graphql<TResult, TVariables>(
  url: string,
  query: TypedDocument<TResult, TVariables>,
  variables?: NoInfer<TVariables>,
  token?: string,
): Promise<TResult> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query, variables: variables ?? {} }),
    });
  } catch {
    throw new ApiError("The server could not be reached. Check your connection.", "Network");
  }
  let body: GraphQLBody<TResult>;
  try {
    body = await response.json();
  } catch {
    throw new ApiError(`The server answered ${response.status}.`, "Http", response.status);
  }
  const first = body.errors?.[0];
  if (response.status === 401 || first) {
    const code =
      first?.extensions?.exception?.code ??
      (response.status === 401 ? "Unauthenticated" : "GraphQLError");
    throw new ApiError(first?.message ?? "Request failed.", code, response.status);
  }
  if (!response.ok || !body.data) {
    throw new ApiError(`The server answered ${response.status}.`, "Http", response.status);
  }
  return body.data;
}

/**
 * A mutation's payload, which the schema declares nullable: null only comes
 * with a GraphQL error, which `graphql` has already raised.
 */
export function payloadOf<T>(payload: T | null | undefined): T {
  if (payload == null) throw new ApiError("The server answered without a result.", "GraphQLError");
  return payload;
}

/** The plugin's GraphQL endpoint, next to the page it serves (`.../dashboard/<page>`). */
export function pluginGraphqlUrl(pathname = window.location.pathname): string {
  const at = pathname.lastIndexOf("/dashboard");
  const root = at >= 0 ? pathname.slice(0, at) : pathname.replace(/\/$/, "");
  return `${root}/graphql/`;
}
