import { Box, Button, Text } from "@saleor/macaw-ui";

import type { Takeover } from "./useTakeover";

/** The footer: add the items to the order, revert, or end, each risky one confirmed first. */
export function TakeoverActions({ takeover }: { takeover: Takeover }) {
  const { cart, disabled, confirmRevert, confirmEnd } = takeover;
  return (
    <Box
      as="footer"
      display="flex"
      gap={2}
      flexWrap="wrap"
      alignItems="center"
      paddingTop={2}
      borderTopStyle="solid"
      borderTopWidth={1}
      borderColor="default1"
    >
      <Button variant="primary" disabled={disabled || !cart} onClick={() => takeover.copy(true)}>
        Add Items to Order
      </Button>
      <Button variant="secondary" disabled={disabled || !cart} onClick={() => takeover.copy(false)}>
        Copy to order and keep editing
      </Button>
      {confirmRevert ? (
        <Box display="flex" gap={2} alignItems="center" role="group" aria-label="Confirm revert">
          <Text>Undo every change to the cart since you opened it?</Text>
          <Button variant="error" disabled={disabled} onClick={takeover.revert}>
            Yes, revert
          </Button>
          <Button variant="tertiary" onClick={() => takeover.askRevert(false)}>
            Cancel
          </Button>
        </Box>
      ) : (
        <Button variant="tertiary" disabled={disabled || !cart} onClick={() => takeover.askRevert(true)}>
          Revert my changes
        </Button>
      )}
      {confirmEnd ? (
        <Box display="flex" gap={2} alignItems="center" role="group" aria-label="Confirm ending">
          <Text>End without adding anything to the order?</Text>
          <Button variant="error" disabled={disabled} onClick={takeover.end}>
            Yes, end takeover
          </Button>
          <Button variant="tertiary" onClick={() => takeover.askEnd(false)}>
            Cancel
          </Button>
        </Box>
      ) : (
        <Button variant="tertiary" disabled={disabled} onClick={() => takeover.askEnd(true)}>
          End takeover
        </Button>
      )}
    </Box>
  );
}
