"""A person's skills profile: one current level per skill, merged from every piece of
evidence, explained, and shared only as the person decides."""
