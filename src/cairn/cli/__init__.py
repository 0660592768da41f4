"""The ``cairn`` command: thin Typer adapters over the same services as the API and pages."""
