import { Box, Button, Input } from "@saleor/macaw-ui";
import { useState } from "react";

import { payloadOf, raiseErrors } from "../api";
import { useDashboard } from "../dashboard";
import { TRANSFER, cartLabel, type Session } from "../queries";
import { ErrorNotice } from "./ui";
import { useAction } from "./useAction";

/** "Hand over": give an active takeover to a colleague, by their staff email. */
export function HandOver({ session, onDone }: { session: Session; onDone: (email: string) => void }) {
  const { plugin } = useDashboard();
  const [open, setOpen] = useState(false);
  const [email, setEmail] = useState("");
  const { busy, error, setError, run } = useAction();

  if (!open) {
    return (
      <Button
        variant="tertiary"
        size="small"
        aria-label={`Hand over cart ${cartLabel(session.cartCode)}`}
        onClick={() => setOpen(true)}
      >
        Hand over
      </Button>
    );
  }
  return (
    <Box
      as="form"
      display="flex"
      flexDirection="column"
      gap={2}
      aria-label={`Hand over cart ${cartLabel(session.cartCode)}`}
      onSubmit={(event: React.FormEvent) => {
        event.preventDefault();
        void run("transfer", async () => {
          const data = await plugin(TRANSFER, {
            session: session.id,
            email: email.trim(),
          });
          const payload = payloadOf(data.takeoverTransfer);
          raiseErrors(payload);
          setOpen(false);
          onDone(payload.session?.heldByEmail ?? email.trim());
        });
      }}
    >
      <Input
        label="Colleague's staff email"
        type="email"
        value={email}
        onChange={(event) => setEmail(event.target.value)}
      />
      <Box display="flex" gap={2}>
        <Button type="submit" variant="primary" size="small" disabled={busy !== null || !email.trim()}>
          Hand over
        </Button>
        <Button
          variant="tertiary"
          size="small"
          onClick={() => {
            setOpen(false);
            setError(null);
          }}
        >
          Cancel
        </Button>
      </Box>
      {error !== null && <ErrorNotice error={error} />}
    </Box>
  );
}
