import { Text } from "@saleor/macaw-ui";
import type { ReactNode } from "react";

import { Loading, Notice, Screen } from "./components/ui";
import { useDashboard } from "./dashboard";
import { CustomerPage } from "./pages/CustomerPage";
import { DraftWidget } from "./pages/DraftWidget";
import { OrderWidget } from "./pages/OrderWidget";
import { SessionsPage } from "./pages/SessionsPage";
import { TakeoverPage } from "./pages/TakeoverPage";

export const PAGES: Record<string, { label: string; render: () => ReactNode }> = {
  takeover: { label: "Cart takeover", render: () => <TakeoverPage /> },
  customer: { label: "Take over cart", render: () => <CustomerPage /> },
  "draft-widget": { label: "Cart takeover status", render: () => <DraftWidget /> },
  "order-widget": { label: "Pickup and takeover", render: () => <OrderWidget /> },
  sessions: { label: "Cart takeovers", render: () => <SessionsPage /> },
};

/** Shows the page once the Dashboard has handed over a token, or says why not. */
export function App({ page }: { page: string }) {
  const { status } = useDashboard();
  const entry = PAGES[page] ?? PAGES.sessions;
  const widget = page.endsWith("widget");
  const content =
    status === "ready" ? (
      entry.render()
    ) : status === "connecting" ? (
      <Loading label="Connecting to the Dashboard…" />
    ) : status === "noToken" ? (
      <Notice tone="warning" title="You don't have access to cart takeover" testId="no-token">
        The Dashboard gave this page no token because your account lacks the Manage orders
        permission. Ask an administrator to add you to a group that manages orders.
      </Notice>
    ) : (
      <Notice tone="warning" title="Open this page from the Saleor Dashboard">
        <Text>It only works inside the Dashboard, which hands it your session.</Text>
      </Notice>
    );
  return widget ? <>{content}</> : <Screen label={entry.label}>{content}</Screen>;
}
