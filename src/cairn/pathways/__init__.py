"""Pathways: the cheapest, shortest set of micro-credentials from a learner's skills to a target role."""
