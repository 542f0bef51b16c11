"""What the tests build: the same objects a merchant, a CSR and a shopper make,
made through Saleor's API wherever Saleor offers one."""

from saleor.account.models import Group, User
from saleor.permission.models import Permission

from saleor_cart_takeover.models import TakeoverGrant

from .clients import SaleorClient
from .ids import gid

ADDRESS = {
    "firstName": "Wade",
    "lastName": "Wilson",
    "streetAddress1": "Tęczowa 7",
    "city": "Wrocław",
    "postalCode": "53-601",
    "country": "PL",
    "phone": "+48713988102",
}

DRAFT_CREATE = """
mutation($input: DraftOrderCreateInput!) {
  draftOrderCreate(input: $input) { order { id } errors { field code message } }
}"""


def make_csr(
    email: str,
    manage_orders: Permission | None = None,
    grant: bool = True,
    group_name: str = "Customer service",
) -> User:
    """A staff member in a "Customer service" group that manages orders in every
    channel, as merchants set CSRs up in the Dashboard."""
    group, created = Group.objects.get_or_create(name=group_name)
    if created:
        group.permissions.add(
            manage_orders or Permission.objects.get(codename="manage_orders")
        )
    user = User.objects.create(email=email, is_staff=True, is_active=True)
    user.groups.add(group)
    if grant:
        TakeoverGrant.objects.create(user=user)
    return user


def create_draft(csr, channel, user=None, email=None) -> str:
    """The CSR's "Orders → Create order", through Saleor's own API."""
    payload = {"channelId": gid("Channel", channel.pk)}
    if user is not None:
        payload["user"] = gid("User", user.pk)
    if email is not None:
        payload["userEmail"] = email
    data = SaleorClient(csr).call(DRAFT_CREATE, {"input": payload})["draftOrderCreate"]
    assert data["errors"] == []
    return data["order"]["id"]


def line_input(variant, quantity: int, **configuration: str) -> dict:
    return {
        "variantId": gid("ProductVariant", variant.pk),
        "quantity": quantity,
        "metadata": [{"key": k, "value": v} for k, v in configuration.items()],
    }


def metadata(items: list[dict]) -> dict[str, str]:
    return {item["key"]: item["value"] for item in items}
