import "@saleor/macaw-ui/style";

import { StrictMode } from "react";
import { createRoot } from "react-dom/client";

import { App } from "./App";
import { DashboardProvider } from "./dashboard";

const root = document.getElementById("root");
if (root) {
  // The plugin's HTML shell says which extension page this is.
  const page = root.dataset.page ?? "sessions";
  createRoot(root).render(
    <StrictMode>
      <DashboardProvider>
        <App page={page} />
      </DashboardProvider>
    </StrictMode>,
  );
}
