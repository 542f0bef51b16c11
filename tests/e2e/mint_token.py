"""Mint a Dashboard extension token exactly as Saleor's `appExtensions {
accessToken }` resolver does, but with a short life.

Run as `python -m tests.e2e.mint_token IDENTIFIER EMAIL` with the live
server's settings (its RSA key) and JWT_TTL_APP_ACCESS set to the life wanted;
prints the token. Lets the host-page test show a popup outliving its token in
seconds instead of waiting out the server's token life.
"""

import sys

import django


def main(identifier: str, email: str) -> str:
    django.setup()
    from saleor.account.models import User
    from saleor.app.models import App

    from saleor_cart_takeover import APP_IDENTIFIER

    from ..clients import extension_token

    user = User.objects.get(email=email)
    app = App.objects.get(identifier=APP_IDENTIFIER)
    permissions = app.extensions.get(identifier=identifier).permissions.all()
    assert set(permissions) <= set(user.effective_permissions)
    return extension_token(app, user, identifier)


if __name__ == "__main__":
    print(main(sys.argv[1], sys.argv[2]))
