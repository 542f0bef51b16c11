"""`python -m saleor_cart_takeover demo`: see saleor_cart_takeover/demo/cli.py."""

import sys

from saleor_cart_takeover.demo.cli import main

if __name__ == "__main__":
    sys.exit(main())
