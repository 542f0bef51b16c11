"""The plugin's GraphQL API: it parses, authorizes and calls the domain modules."""
