// Everything a page needs from the Dashboard: the app-bridge, the tokens, the
// theme and locale, and API helpers that authenticate the right way.
import {
  actions,
  AppBridge,
  AppBridgeProvider,
  useAppBridge,
  type Actions,
} from "@saleor/app-sdk/app-bridge";
import { ThemeProvider, useTheme } from "@saleor/macaw-ui";
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from "react";

import { ApiError, graphql, pluginGraphqlUrl, type TypedDocument } from "./api";
import { DashboardSessionDocument } from "./generated/plugin";
import { toBcp47 } from "./i18n";

export type Status = "connecting" | "ready" | "noToken" | "notInDashboard";

export type Dashboard = {
  status: Status;
  params: URLSearchParams;
  /** Extra parameters a widget passed with `openPopup`. */
  appParams: Record<string, unknown>;
  locale: string;
  theme: "light" | "dark";
  userEmail?: string;
  /** Calls the plugin's API with the dashboard session (survives the 5-minute token). */
  plugin<TResult, TVariables>(query: TypedDocument<TResult, TVariables>, variables?: NoInfer<TVariables>): Promise<TResult>;
  /** Calls Saleor's API; `auth` sends the Dashboard's own token. */
  saleor<TResult, TVariables>(
    query: TypedDocument<TResult, TVariables>,
    variables?: NoInfer<TVariables>,
    auth?: boolean,
  ): Promise<TResult>;
  /** Sends an action to the Dashboard; never throws (the Dashboard may be gone). */
  dispatch(action: Actions): Promise<boolean>;
};

export const DashboardContext = createContext<Dashboard | null>(null);

export function useDashboard(): Dashboard {
  const value = useContext(DashboardContext);
  if (!value) throw new Error("useDashboard outside DashboardProvider");
  return value;
}

// Renew the plugin session this long before it runs out.
const RENEW_MARGIN_MS = 10 * 60 * 1000;
const HANDSHAKE_TIMEOUT_MS = 8000;

type Session = { token: string; expiresAt: number };

function referrerOrigin(): string | undefined {
  try {
    return document.referrer ? new URL(document.referrer).origin : undefined;
  } catch {
    return undefined;
  }
}

function DashboardState({ children }: { children: ReactNode }) {
  const { appBridge, appBridgeState } = useAppBridge();
  const { setTheme } = useTheme();
  const params = useMemo(() => new URLSearchParams(window.location.search), []);
  const [token, setToken] = useState<string | undefined>();
  const [locale, setLocale] = useState<string>(toBcp47(params.get("locale") ?? undefined));
  const [status, setStatus] = useState<Status>("connecting");
  const session = useRef<Session | null>(null);
  const pending = useRef<Promise<Session> | null>(null);
  const tokenRef = useRef<string | undefined>();
  tokenRef.current = token;

  useEffect(() => {
    if (appBridgeState?.token) {
      setToken(appBridgeState.token);
      setStatus("ready");
    }
  }, [appBridgeState?.token]);

  const theme = appBridgeState?.theme ?? (params.get("theme") === "dark" ? "dark" : "light");
  useEffect(() => {
    setTheme(theme === "dark" ? "defaultDark" : "defaultLight");
    document.documentElement.style.colorScheme = theme;
  }, [theme, setTheme]);

  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);

  // useAppBridge re-renders on handshake and theme only; follow the rest here.
  useEffect(() => {
    if (!appBridge) return;
    const offToken = appBridge.subscribe("tokenRefresh", ({ token }) => setToken(token));
    const offLocale = appBridge.subscribe("localeChanged", ({ locale }) =>
      setLocale(toBcp47(locale)),
    );
    return () => {
      offToken();
      offLocale();
    };
  }, [appBridge]);

  // The Dashboard sends an empty token when the user lacks the extension's
  // permissions; the SDK cannot decode it, so watch for it directly.
  useEffect(() => {
    const origin = referrerOrigin();
    const onMessage = (event: MessageEvent) => {
      if (event.origin !== origin) return;
      const data = event.data as { type?: string; payload?: { token?: string } };
      if (data?.type === "handshake" && !data.payload?.token) setStatus("noToken");
    };
    window.addEventListener("message", onMessage);
    const timer = window.setTimeout(
      () => setStatus((current) => (current === "connecting" ? "notInDashboard" : current)),
      HANDSHAKE_TIMEOUT_MS,
    );
    return () => {
      window.removeEventListener("message", onMessage);
      window.clearTimeout(timer);
    };
  }, []);

  const exchange = useCallback(async (): Promise<Session> => {
    const current = session.current;
    // Renew with the session itself while it lasts, else with the Dashboard's token.
    const bearer =
      current && current.expiresAt > Date.now() + 30_000 ? current.token : tokenRef.current;
    if (!bearer) throw new ApiError("The Dashboard gave this page no token.", "Unauthenticated");
    const data = await graphql(pluginGraphqlUrl(), DashboardSessionDocument, {}, bearer);
    const created = data.dashboardSessionCreate;
    if (!created?.token || !created.expiresAt) {
      throw new ApiError("The plugin gave this page no session.", "Unauthenticated");
    }
    const next = { token: created.token, expiresAt: Date.parse(created.expiresAt) };
    session.current = next;
    return next;
  }, []);

  const ensureSession = useCallback(async (): Promise<Session> => {
    const current = session.current;
    if (current && current.expiresAt - Date.now() > RENEW_MARGIN_MS) return current;
    if (!pending.current) {
      pending.current = exchange().finally(() => {
        pending.current = null;
      });
    }
    return pending.current;
  }, [exchange]);

  // Keep the session alive while the page is open, even when the CSR is idle.
  useEffect(() => {
    if (status !== "ready") return;
    ensureSession().catch(() => undefined);
    const timer = window.setInterval(() => ensureSession().catch(() => undefined), 60_000);
    return () => window.clearInterval(timer);
  }, [status, ensureSession]);

  const plugin = useCallback(
    async <TResult, TVariables>(
      query: TypedDocument<TResult, TVariables>,
      variables?: NoInfer<TVariables>,
    ): Promise<TResult> => {
      const current = await ensureSession();
      try {
        return await graphql(pluginGraphqlUrl(), query, variables, current.token);
      } catch (error) {
        // A revoked session may come back with a fresher Dashboard token (widgets).
        if (error instanceof ApiError && error.code === "Unauthenticated" && tokenRef.current) {
          session.current = null;
          const renewed = await ensureSession().catch(() => null);
          if (renewed) return graphql(pluginGraphqlUrl(), query, variables, renewed.token);
        }
        throw error;
      }
    },
    [ensureSession],
  );

  const saleorApiUrl = appBridgeState?.saleorApiUrl || params.get("saleorApiUrl") || "";
  const saleor = useCallback(
    <TResult, TVariables>(
      query: TypedDocument<TResult, TVariables>,
      variables?: NoInfer<TVariables>,
      auth = false,
    ): Promise<TResult> => graphql(saleorApiUrl, query, variables, auth ? tokenRef.current : undefined),
    [saleorApiUrl],
  );

  const dispatch = useCallback(
    async (action: Actions): Promise<boolean> => {
      if (!appBridge) return false;
      try {
        await appBridge.dispatch(action);
        return true;
      } catch {
        return false;
      }
    },
    [appBridge],
  );

  const rawAppParams = appBridgeState?.appParams;
  const appParams = useMemo(
    () => (rawAppParams && typeof rawAppParams === "object" ? rawAppParams : {}) as Record<string, unknown>,
    [rawAppParams],
  );
  const value = useMemo<Dashboard>(
    () => ({
      status,
      params,
      appParams,
      locale,
      theme,
      userEmail: appBridgeState?.user?.email,
      plugin,
      saleor,
      dispatch,
    }),
    [status, params, appParams, locale, theme, appBridgeState?.user?.email, plugin, saleor, dispatch],
  );
  return <DashboardContext.Provider value={value}>{children}</DashboardContext.Provider>;
}

export function DashboardProvider({ children }: { children: ReactNode }) {
  const [bridge] = useState(() => new AppBridge({ autoNotifyReady: true }));
  const initialTheme =
    new URLSearchParams(window.location.search).get("theme") === "dark"
      ? "defaultDark"
      : "defaultLight";
  return (
    <AppBridgeProvider appBridgeInstance={bridge}>
      <ThemeProvider defaultTheme={initialTheme}>
        <DashboardState>{children}</DashboardState>
      </ThemeProvider>
    </AppBridgeProvider>
  );
}

export { actions };
