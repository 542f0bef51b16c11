import { TakeoverScreen } from "../components/TakeoverScreen";
import { Notice } from "../components/ui";
import { useDashboard } from "../dashboard";

/** DRAFT_ORDER_DETAILS_MORE_ACTIONS "View user's cart" (or opened from the draft's widget). */
export function TakeoverPage() {
  const { params, appParams } = useDashboard();
  const draftOrderId =
    params.get("draftOrderId") ||
    (typeof appParams.draftOrderId === "string" ? appParams.draftOrderId : "") ||
    params.get("orderId");
  if (!draftOrderId) {
    return (
      <Notice tone="warning" title="No draft order">
        Open "View user's cart" from a draft order's menu.
      </Notice>
    );
  }
  return <TakeoverScreen draftOrderId={draftOrderId} context="draft" />;
}
