"""Indexing that loses nothing: after-commit tasks, reconciliation, rebuild, an engine outage."""

import io

import pytest
from celery.signals import task_retry
from django.core.management import call_command
from django.core.management.base import CommandError

from mediation.cases.models import DisputeType
from search import indexing, services, tasks
from search.backends import SearchUnavailable, get_backend
from search.models import DEIDENTIFICATION_CHECKLIST, TypicalCase, TypicalCaseStatus
from search.selectors import search_typical_cases
from tests.factories.search import TypicalCaseFactory

from .conftest import use_elasticsearch

pytestmark = pytest.mark.django_db
ALL_TICKED = {code: True for code, _label in DEIDENTIFICATION_CHECKLIST}


def found(user, q, **kwargs):
    return [h.source["title"] for h in search_typical_cases(user=user, q=q, **kwargs).hits]


def under_review(people, title="汉滨区某物业公司保洁员加班费调解案"):
    tc = TypicalCaseFactory(title=title, status=TypicalCaseStatus.UNDER_REVIEW, nominated_by=people["mediator"],
                            agency=people["mediator"].staff.agency, checklist=ALL_TICKED)
    indexing.index_ids([tc.pk])
    return tc


def test_publish_edit_unpublish_reach_the_index_after_commit(search_backend, people, on_commit):
    tc = under_review(people)
    assert found(people["court"], "保洁员") == []
    with on_commit() as callbacks:
        services.typical_case_publish(user=people["supervisor"], typical_case_id=tc.pk)
        assert found(people["court"], "保洁员") == []  # nothing before the commit
    assert callbacks  # the index task and the alert task were queued on commit
    assert found(people["court"], "保洁员") == [tc.title]
    with on_commit():
        services.typical_case_update(user=people["supervisor"], typical_case_id=tc.pk,
                                     values={"title": "汉滨区某物业公司保洁员延时加班费调解案"})
    assert found(people["court"], "延时加班费") == ["汉滨区某物业公司保洁员延时加班费调解案"]
    with on_commit():
        services.typical_case_unpublish(user=people["supervisor"], typical_case_id=tc.pk, reason="更正")
    assert found(people["court"], "保洁员") == []
    assert found(people["supervisor"], "保洁员", include_drafts=True) == [
        "汉滨区某物业公司保洁员延时加班费调解案"]  # still findable by those who may read it
    assert search_backend.indexed_versions()[tc.pk] == TypicalCase.objects.get(pk=tc.pk).version


def test_reconcile_repairs_drift_in_both_directions(search_backend, people):
    kept, changed, lost = (TypicalCaseFactory(title=t) for t in ("甲案欠薪", "乙案欠薪", "丙案欠薪"))
    indexing.index_ids([kept.pk, changed.pk, lost.pk])
    search_backend.delete([lost.pk])                              # a document the index lost
    TypicalCase.objects.filter(pk=changed.pk).update(title="乙案工伤", dispute_type=DisputeType.WORK_INJURY,
                                                     version=5)  # an edit whose task was lost
    ghost = TypicalCaseFactory(title="丁案欠薪")
    indexing.index_ids([ghost.pk])
    TypicalCase.objects.filter(pk=ghost.pk).delete()              # a row deleted behind the index's back
    report = tasks.reconcile_index()
    assert report == {"checked": 3, "reindexed": 2, "deleted": 1}
    assert search_backend.indexed_versions() == {kept.pk: 1, changed.pk: 5, lost.pk: 1}
    assert sorted(found(people["mediator"], "欠薪")) == ["丙案欠薪", "甲案欠薪"]
    assert found(people["mediator"], "工伤") == ["乙案工伤"]
    assert tasks.reconcile_index() == {"checked": 3, "reindexed": 0, "deleted": 0}


def test_rebuild_switches_to_a_new_index_with_no_gap(search_backend, people, settings):
    for i in range(5):
        TypicalCaseFactory(title=f"第{i}件社保补缴调解案")
    indexing.reconcile()
    before = search_backend.describe()
    err = io.StringIO()
    call_command("search_index", "--rebuild", stdout=io.StringIO(), stderr=err)
    assert "重建索引" in err.getvalue() and "5/5" in err.getvalue()  # tqdm's progress bar
    after = search_backend.describe()
    assert after["documents"] == 5
    if settings.CONCORD_SEARCH_BACKEND == "elasticsearch":
        assert after["indices"] != before["indices"] and len(after["indices"]) == 1
        assert search_backend.client.indices.exists(index=before["indices"][0]).body is False
    else:
        assert after["path"] != before["path"]
    assert len(found(people["mediator"], "社保")) == 5


def test_search_index_command_reconcile_and_info(search_backend):
    TypicalCaseFactory(title="某某欠薪案")
    out = io.StringIO()
    call_command("search_index", "--reconcile", stdout=out)
    assert "重新索引 1 件" in out.getvalue()
    out = io.StringIO()
    call_command("search_index", "--info", stdout=out)
    assert "documents: 1" in out.getvalue()


def _engine_down_for(monkeypatch, backend, failures: int) -> list[list[int]]:
    """The engine refuses the first `failures` index calls (as an outage would), then answers."""
    real_index = type(backend).index
    calls: list[list[int]] = []

    def flaky_index(self, docs, *args, **kwargs):
        docs = list(docs)
        calls.append([int(d["id"]) for d in docs])
        if len(calls) <= failures:
            raise SearchUnavailable("engine down")
        return real_index(self, docs, *args, **kwargs)

    monkeypatch.setattr(type(backend), "index", flaky_index)
    # As a worker runs it: a failure is the task's state, not an exception in the caller, so the
    # eager retry chain (apply → Retry → sig.apply) goes on instead of re-raising the first Retry.
    monkeypatch.setitem(tasks.index_typical_cases.app.conf, "task_eager_propagates", False)
    return calls


def test_indexing_task_is_retried_until_the_engine_answers(monkeypatch):
    backend = get_backend()
    backend.ensure_index()
    tc = TypicalCaseFactory(title="汉阴县建筑工地农民工工资拖欠调解案")
    calls = _engine_down_for(monkeypatch, backend, failures=2)
    retried = []

    def on_retry(sender=None, request=None, reason=None, **kwargs):
        retried.append((sender.name, request.retries, reason.exc))  # reason: the Retry, wrapping the cause

    task_retry.connect(on_retry, weak=False)
    try:
        result = tasks.index_typical_cases.apply(args=[[tc.pk]])  # eager: retries run in place, no countdown
    finally:
        task_retry.disconnect(on_retry)
    assert result.successful()
    assert result.get() == {"indexed": 1, "deleted": 0}
    assert calls == [[tc.pk], [tc.pk], [tc.pk]]  # two refusals, then the third attempt went through
    assert [(name, n, type(reason)) for name, n, reason in retried] == [
        ("search.tasks.index_typical_cases", 0, SearchUnavailable),
        ("search.tasks.index_typical_cases", 1, SearchUnavailable)]
    assert backend.indexed_versions() == {tc.pk: tc.version}


def test_indexing_task_gives_up_after_max_retries(monkeypatch):
    backend = get_backend()
    backend.ensure_index()
    tc = TypicalCaseFactory(title="紫阳县茶厂季节工经济补偿调解案")
    calls = _engine_down_for(monkeypatch, backend, failures=10**6)  # never comes back
    result = tasks.index_typical_cases.apply(args=[[tc.pk]])
    assert result.failed() and isinstance(result.result, SearchUnavailable)
    assert len(calls) == 1 + 8  # the first attempt and max_retries=8 retries; the sweep repairs the rest
    assert backend.indexed_versions() == {}


def test_indexing_tasks_retry_with_backoff_when_the_engine_is_unavailable():
    for task in (tasks.index_typical_cases, tasks.reconcile_index, tasks.alert_saved_searches):
        assert SearchUnavailable in task.autoretry_for
        assert task.retry_backoff and task.max_retries
    assert tasks.reconcile_index.name == "search.tasks.reconcile_index"  # the beat schedule's name


def test_publishing_succeeds_while_elasticsearch_is_down_and_the_index_catches_up(
        settings, osmem, people, on_commit):
    use_elasticsearch(settings, "http://127.0.0.1:9")  # nothing listens on the discard port
    tc = TypicalCaseFactory(title="白河县社区工厂女工计件工资拖欠调解案", status=TypicalCaseStatus.UNDER_REVIEW,
                            checklist=ALL_TICKED)
    with on_commit():
        services.typical_case_publish(user=people["supervisor"], typical_case_id=tc.pk)
    assert TypicalCase.objects.get(pk=tc.pk).status == TypicalCaseStatus.PUBLISHED
    with pytest.raises(SearchUnavailable):
        search_typical_cases(user=people["court"], q="计件工资")
    with pytest.raises(CommandError):
        call_command("search_index", "--reconcile", stdout=io.StringIO())
    use_elasticsearch(settings, osmem.url)  # the cluster is back
    try:
        assert tasks.reconcile_index()["reindexed"] == 1
        assert found(people["court"], "计件工资") == [tc.title]
    finally:
        get_backend().drop()


def test_embedded_index_locked_by_another_writer_reports_unavailable(monkeypatch):
    import search.backends.embedded as embedded

    backend = get_backend()
    backend.ensure_index()
    holder = backend._generation().index.writer(15_000_000, 1)  # as another process's writer would
    monkeypatch.setattr(embedded, "LOCK_WAIT_SECONDS", 0.2)
    try:
        with pytest.raises(SearchUnavailable):
            backend.index([{"id": 1, "version": 1, "title": "某案", "year": 2024}])
    finally:
        holder.rollback()
        holder.wait_merging_threads()
    backend.index([{"id": 1, "version": 1, "title": "某案", "year": 2024}])  # free again
    assert backend.indexed_versions() == {1: 1}
