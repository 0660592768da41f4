"""Learning accounts: programs defined as rules, and the credit ledger that pays for learning."""
