"""Skills frameworks: skills, groups, occupations, scales and crosswalks, imported from the
formats their publishers release, searchable, and exported for other systems."""
