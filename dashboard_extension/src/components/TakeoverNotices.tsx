import { Box, Button, Text } from "@saleor/macaw-ui";

import { formatDate } from "../i18n";
import { ErrorNotice, Loading, Notice } from "./ui";
import type { Takeover } from "./useTakeover";

/** What happened last, what the screen waits for, and what failed. */
export function TakeoverNotices({ takeover, locale }: { takeover: Takeover; locale: string }) {
  const { session, phase, error, pending, refused, notActive, notice, notRestored, busy } = takeover;
  if (!session) return null;
  return (
    <>
      {error !== null && <ErrorNotice error={error} />}
      {pending && (
        <Notice tone="info" title="Waiting for the shopper's consent" testId="pending">
          The shopper has to accept the takeover on the storefront
          {session.expiresAt ? ` before ${formatDate(session.expiresAt, locale)}` : ""}. Nothing can
          be changed until then; this page updates by itself when they answer.
        </Notice>
      )}
      {pending && (
        <Box>
          <Button variant="tertiary" disabled={busy !== null} onClick={takeover.end}>
            Withdraw the request
          </Button>
        </Box>
      )}
      {refused && (
        <Notice tone="warning" title={`Takeover ${session.status.toLowerCase()}`} testId="refused">
          {session.endReason ?? "The takeover is over."}
        </Notice>
      )}
      {(notActive || refused) && (
        <Box>
          <Button variant="secondary" onClick={() => void takeover.load()}>
            Start again
          </Button>
        </Box>
      )}
      {notice && (
        <Notice tone="success" title={phase === "closed" ? "Done" : "Saved"} testId="notice">
          {notice}
        </Notice>
      )}
      {notRestored.length > 0 && (
        <Notice tone="warning" title="Not restored" testId="not-restored">
          <Box as="ul" margin={0} paddingLeft={4}>
            {notRestored.map((item) => (
              <li key={`${item.field}-${item.code}`}>
                <Text>{item.message}</Text>
              </li>
            ))}
          </Box>
        </Notice>
      )}
      {busy && <Loading label="Saving…" />}
    </>
  );
}
