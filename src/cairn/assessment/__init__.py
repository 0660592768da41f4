"""Assessments: item banks and scoring, item response theory and adaptive tests, and the
evidence they produce about a person's skills."""
