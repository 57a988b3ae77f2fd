"""Test-only glue for osmem-server, the in-memory Elasticsearch-compatible test server.

The official client sends `application/vnd.elasticsearch+json; compatible-with=8`,
which osmem answers with 406. JsonMediaTypeNode rewrites those media types to plain
application/json / application/x-ndjson through the client's public `node_class`
option; the product code passes settings.CONCORD_ELASTICSEARCH_CLIENT_OPTIONS to the
client unchanged and needs nothing of this against a real Elasticsearch 8 cluster.
"""

from __future__ import annotations

from elastic_transport import Urllib3HttpNode
from osmem_server import OsmemServer


def _plain(value: str) -> str:
    if "vnd.elasticsearch+x-ndjson" in value:
        return "application/x-ndjson"
    if "vnd.elasticsearch+json" in value:
        return "application/json"
    return value


class JsonMediaTypeNode(Urllib3HttpNode):
    def perform_request(self, method, target, body=None, headers=None, **kwargs):
        if headers:
            headers = headers.copy()
            for key in list(headers.keys()):
                if key.lower() in ("accept", "content-type"):
                    headers[key] = _plain(headers[key])
        return super().perform_request(method, target, body=body, headers=headers, **kwargs)


CLIENT_OPTIONS = {"node_class": JsonMediaTypeNode}


def start_osmem() -> OsmemServer:
    """osmem on a free loopback port (the binary picks it: --addr 127.0.0.1:0); exits with this process."""
    return OsmemServer.start(addr="127.0.0.1:0", japanese=False)
