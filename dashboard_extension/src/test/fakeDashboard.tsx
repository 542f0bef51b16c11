import { render } from "@testing-library/react";
import type { ReactNode } from "react";
import { vi } from "vitest";

import { DashboardContext, type Dashboard } from "../dashboard";

type Handler = (variables: Record<string, unknown>) => unknown;

/**
 * A Dashboard whose plugin/Saleor APIs answer from `handlers`, keyed by the
 * GraphQL operation name, for component tests that do not concern tokens:
 * they check what a screen sends and shows. It skips the app-bridge and the
 * session exchange entirely, so never use it for authentication: the token
 * exchange, its renewal, `tokenRefresh`, 401s and PermissionDenied are tested
 * through the real `DashboardProvider` against recorded plugin responses in
 * session.test.tsx; the real APIs end to end by the Python e2e suite.
 */
export function fakeDashboard(handlers: Record<string, Handler>, params: Record<string, string> = {}) {
  const calls: { operation: string; variables: Record<string, unknown> }[] = [];
  const answer = async (query: string, variables: Record<string, unknown> = {}) => {
    const operation = /(?:query|mutation)\s+(\w+)/.exec(query)?.[1] ?? "anonymous";
    calls.push({ operation, variables });
    const handler = handlers[operation];
    if (!handler) throw new Error(`unexpected operation ${operation}`);
    return handler(variables);
  };
  const dashboard: Dashboard = {
    status: "ready",
    params: new URLSearchParams(params),
    appParams: {},
    locale: "en-US",
    theme: "light",
    userEmail: "csr@example.com",
    plugin: vi.fn(answer) as Dashboard["plugin"],
    saleor: vi.fn(answer) as Dashboard["saleor"],
    dispatch: vi.fn(async () => true),
  };
  return { dashboard, calls };
}

export function renderWith(dashboard: Dashboard, ui: ReactNode) {
  return render(<DashboardContext.Provider value={dashboard}>{ui}</DashboardContext.Provider>);
}
