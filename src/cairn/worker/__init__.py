"""Runs background jobs: ``cairn worker``, or a thread of the web app (decision 0039)."""
