"""The Elasticsearch index definition: Chinese analysis, exact keywords, optional IK/smartcn."""

import pytest

from search.backends.elastic import build_index
from search.query import Alternative


def test_mapping_has_a_cjk_bigram_analyzer_and_exact_keywords():
    body = build_index("concord-x", plugins=[]).to_dict()
    analyzer = body["settings"]["analysis"]["analyzer"]["concord_cjk"]
    assert analyzer["filter"] == ["cjk_width", "lowercase", "cjk_bigram"]
    props = body["mappings"]["properties"]
    assert props["title"]["analyzer"] == "concord_cjk" and props["title"]["fields"]["raw"]["type"] == "keyword"
    assert props["body"] == {"type": "text", "analyzer": "concord_cjk"}
    for name in ("county", "dispute_type", "agencies", "outcome", "allowed_roles"):
        assert props[name]["type"] == "keyword"
    assert props["allowed_users"]["type"] == "integer" and props["public"]["type"] == "boolean"
    assert body["mappings"]["_meta"]["chinese_subfield"] is None


@pytest.mark.parametrize("plugins, sub, analyzer", [
    (["analysis-ik"], "ik", "ik_max_word"),
    (["analysis-smartcn", "repository-s3"], "smartcn", "smartcn"),
    (["analysis-ik", "analysis-smartcn"], "ik", "ik_max_word"),  # IK first when both exist
])
def test_a_word_level_subfield_when_the_cluster_has_the_plugin(plugins, sub, analyzer):
    body = build_index("concord-x", plugins=plugins).to_dict()
    props = body["mappings"]["properties"]
    assert props["title"]["fields"][sub]["analyzer"] == analyzer
    assert props["body"]["fields"][sub]["analyzer"] == analyzer
    assert body["mappings"]["_meta"]["chinese_subfield"] == sub


def test_plugin_detection_on_a_live_cluster_and_subfield_use_in_queries(settings, osmem):
    from search.backends import get_backend

    from .conftest import use_elasticsearch

    use_elasticsearch(settings, osmem.url)
    backend = get_backend()
    try:
        assert backend.plugins() == []  # osmem has no analysis plugins
        backend.ensure_index()
        assert backend._chinese_subfield() is None
        bag = backend._alternative(Alternative("拖欠农民工工资")).to_dict()
        assert "body.ik" not in str(bag)
        backend._subfield = "ik"  # as read from the _meta of an index built on a cluster with IK
        assert "body.ik" in str(backend._alternative(Alternative("拖欠农民工工资")).to_dict())
    finally:
        backend.drop()
