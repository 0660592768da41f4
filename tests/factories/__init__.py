"""Typed ``make_*`` helpers, one module per domain; each flushes and returns the object."""
