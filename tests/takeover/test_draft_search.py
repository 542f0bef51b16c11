"""The draft's search vector after "Add Items to Order" is the one Saleor writes.

The copy builds it from what it read with its lock (takeover/draft_search.py)
instead of Saleor's `prepare_order_search_vector_value`, which reads the
order's payments, discounts, transactions, invoices and notes again. Staff
search orders by it (`orders(search:)`), so it must not differ.
"""

from decimal import Decimal

from saleor.discount import DiscountType, DiscountValueType
from saleor.discount.models import OrderDiscount
from saleor.invoice.models import Invoice
from saleor.order import OrderEvents
from saleor.order.models import Order, OrderEvent
from saleor.order.search import update_order_search_vector
from saleor.payment.models import Payment, TransactionEvent, TransactionItem

from ..builders import line_input
from ..operations import ADD, copy


def stored_vector(draft: Order) -> str:
    return Order.objects.values_list("search_vector", flat=True).get(pk=draft.pk)


def saleors_vector(draft: Order) -> str:
    """What Saleor's own function writes for the draft as it is now."""
    order = Order.objects.get(pk=draft.pk)
    update_order_search_vector(order)
    return stored_vector(order)


def test_the_copys_search_vector_is_saleors(csr_client, started, shop):
    session, draft = started
    Payment.objects.create(
        order=draft,
        gateway="mirumee.payments.dummy",
        currency="USD",
        total=Decimal(10),
        psp_reference="paypsp",
    )
    transaction = TransactionItem.objects.create(
        order_id=draft.pk, name="Card", psp_reference="trpsp", currency="USD"
    )
    TransactionEvent.objects.create(
        transaction=transaction, psp_reference="evpsp", currency="USD"
    )
    TransactionEvent.objects.create(transaction=transaction, currency="USD")
    OrderDiscount.objects.create(
        order=draft,
        type=DiscountType.MANUAL,
        value_type=DiscountValueType.FIXED,
        value=Decimal(1),
        amount_value=Decimal(1),
        currency="USD",
        name="Loyalty",
        translated_name="Fidelite",
    )
    Invoice.objects.create(order=draft, number="INV-77")
    OrderEvent.objects.create(
        order=draft,
        type=OrderEvents.NOTE_ADDED,
        parameters={"message": "Call before delivery"},
    )

    copy(csr_client, session)
    copied = stored_vector(draft)
    for word in ("paypsp", "trpsp", "evpsp", "loyalty", "fidelite", "call"):
        assert f"'{word}'" in copied
    assert copied == saleors_vector(draft)

    # Copying again, with a line added to the cart and the earlier copy's note
    # among the draft's notes.
    csr_client.post(
        ADD, {"session": session["id"], "lines": [line_input(shop[1], 1)]}
    ).payload("takeoverLinesAdd")
    copy(csr_client, session)
    assert stored_vector(draft) == saleors_vector(draft)


def test_a_plain_draft_has_saleors_search_vector(csr_client, started):
    session, draft = started
    copy(csr_client, session)
    assert stored_vector(draft) == saleors_vector(draft)
