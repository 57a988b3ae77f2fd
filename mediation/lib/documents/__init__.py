"""One document engine for every area: sandboxed templates (sandbox), A4 PDF and .docx (layout),
and the bound case file (bundle). Knows nothing of cases or letters: each area builds the plain
context of its own documents."""
