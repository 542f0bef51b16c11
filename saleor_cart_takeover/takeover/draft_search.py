"""The draft's search vector after a copy, from what the copy already read.

Saleor's draft line mutations rebuild the order's search vector with
`saleor.order.search.prepare_order_search_vector_value`, which reads the
order's payments, discounts, transactions, invoices and notes: five queries
(six with transactions) on every "Add Items to Order". The copy reads them
instead in the statement that locks the session with its draft
(`SEARCHED_WITH_LOCK`), and `search_vector` builds the same vector from them.

This is a fork of Saleor's function, kept to its order, weights and limits so
that the vector is the one Saleor would write: tests/takeover/test_draft_search.py
compares the two on a draft with a payment, a transaction, a discount, an
invoice and notes. What reads nothing (the e-mail, addresses, lines) is left to
Saleor's own helpers.
"""

from typing import Any

import graphene
from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef, Value
from django.db.models.functions import JSONObject
from saleor.account import search as account_search
from saleor.account.search import generate_address_search_vector_value
from saleor.core.postgres import NoValidationSearchVector
from saleor.discount.models import OrderDiscount
from saleor.invoice.models import Invoice
from saleor.order import OrderEvents
from saleor.order.models import Order, OrderEvent
from saleor.order.search import generate_order_lines_search_vector_value
from saleor.payment.models import Payment, TransactionEvent, TransactionItem

_ORDER = OuterRef("draft_order_id")

# The fork mirrors Saleor 3.23's function, which indexes e-mails with
# `generate_email_vector`. Saleor 3.22 has none and indexes them otherwise:
# there the copy lets Saleor's own function build the vector (draft_copy.py),
# a few queries more, rather than fork a second version.
MIRRORS_SALEOR = hasattr(account_search, "generate_email_vector")


def _limit(indexed: str) -> int:
    """How many of a kind Saleor indexes (its settings, unknown to the stubs)."""
    return getattr(settings, f"SEARCH_ORDERS_MAX_INDEXED_{indexed}")


# Annotations for the query that locks a session with its draft (each the
# rows Saleor's function would read, in its order and within its limits).
SEARCHED_WITH_LOCK: dict[str, ArraySubquery] = {
    "search_payments": ArraySubquery(
        Payment.objects.filter(order_id=_ORDER)
        .order_by("pk")
        .values(json=JSONObject(id="pk", psp="psp_reference"))[: _limit("PAYMENTS")]
    ),
    "search_discounts": ArraySubquery(
        OrderDiscount.objects.filter(order_id=_ORDER)
        .order_by("created_at", "id")
        .values(json=JSONObject(name="name", translated="translated_name"))[
            : _limit("DISCOUNTS")
        ]
    ),
    "search_transactions": ArraySubquery(
        TransactionItem.objects.filter(order_id=_ORDER)
        .order_by("pk")
        .values(
            json=JSONObject(
                token="token",
                psp="psp_reference",
                events=ArraySubquery(
                    TransactionEvent.objects.filter(transaction_id=OuterRef("pk"))
                    .order_by("pk")
                    .values("psp_reference")[: _limit("TRANSACTIONS")]
                ),
            )
        )[: _limit("TRANSACTIONS")]
    ),
    "search_invoices": ArraySubquery(
        Invoice.objects.filter(order_id=_ORDER)
        .order_by("-created_at")
        .values("pk")[: _limit("INVOICES")]
    ),
    "search_notes": ArraySubquery(
        OrderEvent.objects.filter(
            order_id=_ORDER,
            type__in=[OrderEvents.NOTE_ADDED, OrderEvents.NOTE_UPDATED],
        )
        .order_by("-date")
        .values("parameters")[: _limit("EVENTS")]
    ),
}


def _vector(value: str, weight: str) -> NoValidationSearchVector:
    return NoValidationSearchVector(Value(value), config="simple", weight=weight)


def search_vector(
    order: Order, searched: Any, new_notes: list[str]
) -> list[NoValidationSearchVector]:
    """`prepare_order_search_vector_value(order)`, reading nothing.

    `order` has its user, addresses and lines (prefetched) in hand; `searched`
    is the locked session carrying `SEARCHED_WITH_LOCK`, read before the copy
    wrote `new_notes` (the newest notes, newest first).
    """
    vectors = [
        _vector(str(order.number), "A"),
        _vector(graphene.Node.to_global_id("Order", order.id), "A"),
    ]
    if order.user_email:
        vectors.extend(account_search.generate_email_vector(order.user_email))
    if order.user:
        if order.user.email and order.user.email != order.user_email:
            vectors.extend(account_search.generate_email_vector(order.user.email))
        if order.user.first_name:
            vectors.append(_vector(order.user.first_name, "A"))
        if order.user.last_name:
            vectors.append(_vector(order.user.last_name, "A"))
    if order.customer_note:
        vectors.append(_vector(order.customer_note, "B"))
    if order.billing_address:
        vectors += generate_address_search_vector_value(
            order.billing_address, weight="B"
        )
    if order.shipping_address:
        vectors += generate_address_search_vector_value(
            order.shipping_address, weight="B"
        )
    if order.external_reference:
        vectors.append(_vector(order.external_reference, "B"))

    for payment in searched.search_payments:
        vectors.append(
            _vector(graphene.Node.to_global_id("Payment", payment["id"]), "D")
        )
        if payment["psp"]:
            vectors.append(_vector(payment["psp"], "D"))
    for discount in searched.search_discounts:
        if discount["name"]:
            vectors.append(_vector(discount["name"], "D"))
        if discount["translated"]:
            vectors.append(_vector(discount["translated"], "D"))
    vectors += generate_order_lines_search_vector_value(order)
    for transaction in searched.search_transactions:
        token = graphene.Node.to_global_id("TransactionItem", transaction["token"])
        vectors.append(_vector(token, "D"))
        if transaction["psp"]:
            vectors.append(_vector(transaction["psp"], "D"))
        vectors += [_vector(psp, "D") for psp in transaction["events"] if psp]
    for invoice_id in searched.search_invoices:
        vectors.append(_vector(graphene.Node.to_global_id("Invoice", invoice_id), "D"))
    notes = new_notes + [
        parameters.get("message") for parameters in searched.search_notes
    ]
    vectors += [
        _vector(message, "D") for message in notes[: _limit("EVENTS")] if message
    ]
    return vectors
