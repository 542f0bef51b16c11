"""What happens at Saleor's checkout and order hooks: completion checks, reconciliation, payments and the plugin's metadata writes."""
