"""Typical-case search: the embedded index by default, Elasticsearch when configured."""

import json
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

# Passed as-is to the Elasticsearch client (api_key, ca_certs, basic_auth …), as JSON.
CONCORD_ELASTICSEARCH_CLIENT_OPTIONS = json.loads(os.environ.get("CONCORD_ELASTICSEARCH_CLIENT_OPTIONS", "{}"))
CONCORD_ELASTICSEARCH_REPLICAS = int(os.environ.get("CONCORD_ELASTICSEARCH_REPLICAS", "0"))
# "bigram" (chosen by measurement, see README), "unigram" or "jieba".
CONCORD_EMBEDDED_ANALYZER = os.environ.get("CONCORD_EMBEDDED_ANALYZER", "bigram")
# How employer names appear in published typical cases: "INDUSTRY" (某+行业+公司) or "KEEP".
CONCORD_TYPICAL_CASE_EMPLOYER_POLICY = os.environ.get("CONCORD_TYPICAL_CASE_EMPLOYER_POLICY", "INDUSTRY")
