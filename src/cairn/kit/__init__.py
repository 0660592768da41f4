"""Domain-free building blocks every other layer may use."""
