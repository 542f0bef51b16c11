"""`python -m saleor_cart_takeover demo`: see saleor_cart_takeover/demo/cli.py.

The demo ships in the repository, not in the wheel (a production install has
no use for an embedded PostgreSQL and sample data).
"""

import sys


def main() -> int:
    try:
        from saleor_cart_takeover.demo.cli import main as demo_main
    except ModuleNotFoundError as error:
        if error.name != "saleor_cart_takeover.demo":
            raise
        print(
            "The demo runs from a checkout of saleor-cart-takeover, not from an "
            "installed package: clone the repository and run `scripts/demo` there.",
            file=sys.stderr,
        )
        return 2
    return demo_main()


if __name__ == "__main__":
    sys.exit(main())
