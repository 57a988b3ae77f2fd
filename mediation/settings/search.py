"""Typical-case search: the embedded index by default, Elasticsearch when configured."""

import os
from pathlib import Path

_var = Path(os.environ.get("CONCORD_VAR_DIR", Path(__file__).resolve().parent.parent.parent / "var"))

ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
# "embedded" needs no server; "elasticsearch" talks to ELASTICSEARCH_URL.
CONCORD_SEARCH_BACKEND = os.environ.get(
    "CONCORD_SEARCH_BACKEND", "elasticsearch" if ELASTICSEARCH_URL else "embedded"
)
CONCORD_SEARCH_INDEX = os.environ.get("CONCORD_SEARCH_INDEX", "concord-typical-cases")
CONCORD_EMBEDDED_INDEX_DIR = os.environ.get("CONCORD_EMBEDDED_INDEX_DIR", str(_var / "search-index"))
