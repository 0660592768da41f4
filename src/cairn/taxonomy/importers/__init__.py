"""Importers for the formats publishers release: ESCO CSV, the O*NET text database, a
documented CSV for an organisation's own framework, code crosswalks, and the built-in
digital framework. Each runs inside the caller's transaction and raises ``ImportFailed``
with every problem found before writing anything."""
