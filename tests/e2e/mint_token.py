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
    from saleor.app.models import AppExtension
    from saleor.core.jwt import create_access_token_for_app_extension

    from saleor_cart_takeover import APP_IDENTIFIER

    user = User.objects.get(email=email)
    extension = AppExtension.objects.select_related("app").get(
        identifier=identifier, app__identifier=APP_IDENTIFIER
    )
    permissions = list(extension.permissions.all())
    assert set(permissions) <= set(user.effective_permissions)
    return create_access_token_for_app_extension(
        app_extension=extension, permissions=permissions, user=user, app=extension.app
    )


if __name__ == "__main__":
    print(main(sys.argv[1], sys.argv[2]))
