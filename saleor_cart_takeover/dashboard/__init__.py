"""The Saleor Dashboard app of the plugin: manifest, installation and pages.

Everything is served by the plugin itself under
`/plugins/global/saleor.cart_takeover/`, so the app needs no server of its own:
the pages are built by Vite from `dashboard_extension/` into
`saleor_cart_takeover/static/dashboard/`.
"""
