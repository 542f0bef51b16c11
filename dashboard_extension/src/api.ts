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
export function raiseErrors(payload: { errors?: FieldError[] | null }): void {
  const first = payload.errors?.[0];
  if (first) throw new ApiError(first.message, first.code);
}

type GraphQLBody<T> = {
  data?: T | null;
  errors?: { message: string; extensions?: { exception?: { code?: string } } }[];
};

export async function graphql<T>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
  } catch {
    throw new ApiError("The server could not be reached. Check your connection.", "Network");
  }
  let body: GraphQLBody<T>;
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

/** The plugin's GraphQL endpoint, next to the page it serves (`.../dashboard/<page>`). */
export function pluginGraphqlUrl(pathname = window.location.pathname): string {
  const at = pathname.lastIndexOf("/dashboard");
  const root = at >= 0 ? pathname.slice(0, at) : pathname.replace(/\/$/, "");
  return `${root}/graphql/`;
}
