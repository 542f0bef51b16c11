import { Box, Button, Input, Text } from "@saleor/macaw-ui";
import { useCallback, useEffect, useState } from "react";

import { payloadOf, raiseErrors } from "../api";
import { HandOver } from "../components/HandOver";
import { TakeoverReportCard } from "../components/TakeoverReport";
import { Card, Cell, ErrorNotice, Loading, Notice, SelectField, Table } from "../components/ui";
import { useAction } from "../components/useAction";
import { actions, useDashboard } from "../dashboard";
import { formatDate, formatMoney } from "../i18n";
import { CART_BY_CODE, GRANT, HOLDERS, REVOKE, SESSIONS, VIEWER, cartLabel, type Cart, type Holder, type Session, type TakeoverStatus, type Viewer } from "../queries";


/** NAVIGATION_ORDERS "Cart takeovers": sessions, carts by code, and who may take over. */
export function SessionsPage() {
  const { plugin } = useDashboard();
  const [viewer, setViewer] = useState<Viewer | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    plugin(VIEWER)
      .then((data) => setViewer(data.viewer))
      .catch(setError);
  }, [plugin]);

  return (
    <Box display="flex" flexDirection="column" gap={4}>
      <Text as="h1" size={8} fontWeight="bold">
        Cart takeovers
      </Text>
      {error !== null && <ErrorNotice error={error} />}
      {!viewer && error === null && <Loading label="Loading…" />}
      {viewer && !viewer.canTakeOver && (
        <Notice tone="warning" title="You can't take over carts">
          You ({viewer.email}) need the Manage orders permission and the cart takeover grant.
          {viewer.canManageGrants ? " You can grant it below." : " Ask a staff manager to grant it."}
        </Notice>
      )}
      {viewer?.canTakeOver && <SessionList />}
      {viewer?.canTakeOver && <TakeoverReportCard />}
      {viewer?.canTakeOver && <CodeLookup />}
      {viewer?.canManageGrants && <Grants />}
    </Box>
  );
}

function SessionList() {
  const { plugin, dispatch, locale } = useDashboard();
  const [status, setStatus] = useState<TakeoverStatus | "">("ACTIVE");
  const [sessions, setSessions] = useState<Session[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [handedOver, setHandedOver] = useState<string | null>(null);

  const load = useCallback(() => {
    setSessions(null);
    setError(null);
    plugin(SESSIONS, { status: status || null, first: 50 })
      .then((data) => setSessions(data.takeoverSessions))
      .catch(setError);
  }, [plugin, status]);
  useEffect(load, [load]);

  return (
    <Card
      title="Sessions"
      actions={
        <Box display="flex" gap={2} alignItems="end">
          <SelectField
            label="Show"
            value={status}
            onChange={(value) => setStatus(value as TakeoverStatus | "")}
            options={[
              { value: "ACTIVE", label: "Active" },
              { value: "PENDING", label: "Waiting for consent" },
              { value: "", label: "All recent" },
              { value: "COMPLETED", label: "Completed" },
              { value: "ENDED", label: "Ended" },
              { value: "EXPIRED", label: "Expired" },
            ]}
          />
          <Button variant="tertiary" onClick={load}>
            Refresh
          </Button>
        </Box>
      }
    >
      {error !== null && <ErrorNotice error={error} />}
      {handedOver && <Notice tone="success" title={handedOver} testId="handed-over" />}
      {sessions === null && error === null && <Loading label="Loading sessions…" />}
      {sessions?.length === 0 && <Text>No {status ? status.toLowerCase() : ""} takeovers.</Text>}
      {sessions && sessions.length > 0 && (
        <Table caption="Takeover sessions" head={["Cart", "Shopper", "Rep", "Started", "Status", "Order", ""]}>
          {sessions.map((session) => (
            <tr key={session.id} data-testid="session-row">
              <Cell>
                <Text>{cartLabel(session.cartCode)}</Text>
              </Cell>
              <Cell>
                <Text>{session.cart?.customerName || session.customerEmail || "Anonymous"}</Text>
              </Cell>
              <Cell>
                <Text>{session.heldByEmail}</Text>
                {session.heldByEmail !== session.startedByEmail && (
                  <Text as="p" size={2} color="default2">
                    started by {session.startedByEmail}
                  </Text>
                )}
              </Cell>
              <Cell>
                <Text>{formatDate(session.startedAt, locale)}</Text>
              </Cell>
              <Cell>
                <Text>{session.status.toLowerCase()}</Text>
                {session.endReason && (
                  <Text as="p" size={2} color="default2">
                    {session.endReason}
                  </Text>
                )}
              </Cell>
              <Cell>
                <Text>
                  {session.orderNumber
                    ? `Order #${session.orderNumber}`
                    : session.draftOrderNumber
                      ? `Draft #${session.draftOrderNumber}`
                      : "—"}
                </Text>
              </Cell>
              <Cell>
                {session.draftOrderId && !session.orderId && (
                  <Button
                    variant="tertiary"
                    size="small"
                    aria-label={`Open draft #${session.draftOrderNumber}`}
                    onClick={() =>
                      dispatch(actions.Redirect({ to: `/orders/drafts/${encodeURIComponent(session.draftOrderId ?? "")}` }))
                    }
                  >
                    Open draft
                  </Button>
                )}
                {session.status === "ACTIVE" && (
                  <HandOver
                    session={session}
                    onDone={(email) => {
                      setHandedOver(`Cart ${cartLabel(session.cartCode)} is now with ${email}.`);
                      load();
                    }}
                  />
                )}
              </Cell>
            </tr>
          ))}
        </Table>
      )}
    </Card>
  );
}

function CodeLookup() {
  const { plugin, locale } = useDashboard();
  const [code, setCode] = useState("");
  const [cart, setCart] = useState<Cart | null | undefined>(undefined);
  const { busy, error, run } = useAction();

  return (
    <Card title="Find a cart by its code">
      <Text size={2} color="default2">
        Anonymous shoppers read the code from their cart. To edit it, create a draft order and use
        "View user's cart" there with this code.
      </Text>
      <Box
        as="form"
        display="flex"
        gap={2}
        alignItems="end"
        onSubmit={(event: React.FormEvent) => {
          event.preventDefault();
          void run("find", async () => {
            const data = await plugin(CART_BY_CODE, { code: code.trim() });
            setCart(data.cartByCode);
          });
        }}
      >
        <Box flexGrow="1">
          <Input label="Cart code" value={code} onChange={(event) => setCode(event.target.value)} placeholder="1A2B-3C4D" />
        </Box>
        <Button type="submit" variant="secondary" disabled={busy !== null || !code.trim()}>
          Find cart
        </Button>
      </Box>
      {error !== null && <ErrorNotice error={error} />}
      {cart === null && <Notice tone="warning" title="No cart with this code" />}
      {cart && (
        <Box data-testid="found-cart" display="flex" flexDirection="column" gap={1}>
          <Text fontWeight="bold">
            Cart {cartLabel(cart.code)} · {cart.channel}
            {cart.takenOver ? " · taken over" : ""}
          </Text>
          <Text size={2}>
            {cart.customerName || cart.email || "Anonymous shopper"} · {cart.quantity} item(s) ·{" "}
            {formatMoney(cart.subtotal, locale)} · changed {formatDate(cart.updatedAt, locale)}
          </Text>
          {cart.lines.map((line) => (
            <Text size={2} key={line.id}>
              {line.quantity} × {line.productName} ({line.variantName})
            </Text>
          ))}
        </Box>
      )}
    </Card>
  );
}

function Grants() {
  const { plugin } = useDashboard();
  const [holders, setHolders] = useState<Holder[] | null>(null);
  const [kind, setKind] = useState<"user" | "group">("user");
  const [name, setName] = useState("");
  const [done, setDone] = useState<string | null>(null);
  const { busy, error, setError, run } = useAction();

  const load = useCallback(() => {
    plugin(HOLDERS)
      .then((data) => setHolders(data.takeoverPermissionHolders))
      .catch(setError);
  }, [plugin, setError]);
  useEffect(load, [load]);

  const change = (give: boolean, target: { kind: string; name: string }) =>
    run(give ? "grant" : "revoke", async () => {
      const variables = target.kind === "group" ? { group: target.name } : { user: target.name };
      const payload = payloadOf(
        give
          ? (await plugin(GRANT, variables)).takeoverPermissionGrant
          : (await plugin(REVOKE, variables)).takeoverPermissionRevoke,
      );
      raiseErrors(payload);
      setDone(
        payload.changed
          ? `${give ? "Granted cart takeover to" : "Revoked cart takeover from"} ${target.name}.`
          : `${target.name} ${give ? "already holds" : "did not hold"} cart takeover.`,
      );
      setName("");
      load();
    });

  return (
    <Card title="Who may take over carts">
      {error !== null && <ErrorNotice error={error} />}
      {done && <Notice tone="success" title={done} />}
      {holders === null && error === null && <Loading label="Loading…" />}
      {holders && (
        <Table caption="Holders of the cart takeover permission" head={["Holder", "Kind", "Granted by", ""]}>
          {holders.map((holder) => (
            <tr key={`${holder.kind}:${holder.name}`} data-testid="holder-row">
              <Cell>
                <Text>{holder.name}</Text>
              </Cell>
              <Cell>
                <Text>{holder.kind}</Text>
              </Cell>
              <Cell>
                <Text>{holder.grantedBy || "—"}</Text>
              </Cell>
              <Cell>
                {holder.kind !== "superuser" && (
                  <Button
                    variant="tertiary"
                    size="small"
                    disabled={busy !== null}
                    aria-label={`Revoke from ${holder.name}`}
                    onClick={() => change(false, holder)}
                  >
                    Revoke
                  </Button>
                )}
              </Cell>
            </tr>
          ))}
        </Table>
      )}
      <Box
        as="form"
        display="grid"
        __gridTemplateColumns="1fr 2fr auto"
        gap={2}
        alignItems="end"
        onSubmit={(event: React.FormEvent) => {
          event.preventDefault();
          if (name.trim()) void change(true, { kind, name: name.trim() });
        }}
      >
        <SelectField
          label="Grant to"
          value={kind}
          onChange={(value) => setKind(value as "user" | "group")}
          options={[
            { value: "user", label: "Staff member" },
            { value: "group", label: "Permission group" },
          ]}
        />
        <Input
          label={kind === "user" ? "Staff member's email" : "Group name"}
          value={name}
          onChange={(event) => setName(event.target.value)}
        />
        <Button type="submit" variant="primary" disabled={busy !== null || !name.trim()}>
          Grant
        </Button>
      </Box>
    </Card>
  );
}
