"""The secretariat's workbench: the queue of contributions to answer, similar ones grouped,
decisions taken for many at once with a response in each person's own words, drafts and
their approval, and the matrix of contributions and responses both ways (XLSX and CSV)."""
