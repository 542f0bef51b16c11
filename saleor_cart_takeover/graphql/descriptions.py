"""Sentences the schema's descriptions share, as Saleor's `graphql/core/descriptions.py`.

They name who may call an operation; the checks themselves live in `auth.py`.
"""

TAKEOVER_PERMISSION = (
    "Requires MANAGE_ORDERS and the cart takeover grant; only in the channels "
    "the caller's permission groups give access to."
)
HOLDER_ONLY = (
    "Only the rep who holds the session now (after any handoff) may call it; "
    "the call restarts the session's idle timeout and goes into its history."
)
GRANT_MANAGEMENT = (
    "Requires MANAGE_STAFF and the cart takeover grant oneself; a manager whose "
    "groups are limited to some channels may change only staff and groups within them."
)
ERRORS = (
    "Why the request was refused, one entry per problem; empty on success. "
    "Missing permissions and authentication stay GraphQL errors."
)
