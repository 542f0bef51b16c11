"""Names the demo's sample data and its walkthrough share; no Django here, so the
walkthrough runs without loading Saleor."""

from dataclasses import dataclass

CHANNEL_SLUG = "cart-takeover-demo"


@dataclass(frozen=True)
class Account:
    email: str
    password: str
    role: str


ADMIN = Account(
    "admin@example.com", "admin-demo", "superuser: Dashboard, plugins, apps"
)
CSR = Account(
    "csr@example.com", "csr-demo", "customer-service rep (MANAGE_ORDERS + takeover)"
)
SHOPPER = Account("shopper@example.com", "shopper-demo", "registered shopper")
