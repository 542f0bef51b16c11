"""Create a registered shopper in the live server's database.

Run as `python -m tests.e2e.make_shopper EMAIL FIRST LAST PASSWORD` with the
server's settings. Uses the project's shop builder, which gives the user an
address and Saleor's search vector, as `accountRegister` and the Dashboard's
customer form would (neither can set a password without e-mail).
"""

import json
import sys

import django


def main(email: str, first: str, last: str, password: str) -> dict:
    django.setup()
    from saleor_cart_takeover.demo import builders

    from ..ids import gid

    user = builders.user(
        email,
        password,
        addresses=[{"first_name": first, "last_name": last}],
        first_name=first,
        last_name=last,
    )
    return {"id": gid("User", user.pk), "email": user.email}


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:5])))
