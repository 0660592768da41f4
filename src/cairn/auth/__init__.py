"""Sign-in, web sessions, CSRF and API tokens: everything that turns a request into an Actor."""
