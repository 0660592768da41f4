"""Earned micro-credentials: awards now, verifiable credentials issued from them next."""
