"""Skill intelligence: free text, job titles and course outcomes mapped to a framework's
skills and occupations, offline on the CPU, with quality measured on public benchmarks."""
