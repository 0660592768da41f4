"""Organisations, their departments and job roles, people and their memberships."""
