import { ApiError } from "./api";

/** What to tell a CSR for an error: plain words and what to do next. */
export function describeError(error: unknown): { title: string; text: string } {
  if (error instanceof ApiError) {
    switch (error.code) {
      case "PermissionDenied":
        return {
          title: "You don't have permission for this",
          text: `${error.message} Cart takeover needs Manage orders and the cart takeover grant; staff who manage staff can grant it under Orders → Cart takeovers.`,
        };
      case "Unauthenticated":
        return {
          title: "Your session has ended",
          text: `${error.message} Close this window and open it again from the Dashboard.`,
        };
      case "ALREADY_TAKEN_OVER":
        return { title: "Another rep holds this cart", text: error.message };
      case "SESSION_NOT_ACTIVE":
        return {
          title: "This takeover is no longer active",
          text: `${error.message} It expired or was handed back. Start it again to keep editing.`,
        };
      case "Network":
        return { title: "Connection problem", text: error.message };
      default:
        return { title: "Something went wrong", text: error.message };
    }
  }
  return { title: "Something went wrong", text: String(error) };
}
