"""The JSON API: thin adapters from HTTP to services."""
