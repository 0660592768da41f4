"""Micro-credential specifications: the offer, designed to a recognised profile, versioned."""
