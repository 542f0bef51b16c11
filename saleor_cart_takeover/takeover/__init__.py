"""The takeover session: starting, editing and copying the cart, handing it back, transfer, revert, consent, expiry and the report."""
