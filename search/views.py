"""Pages of the typical-case library: search, detail, the publication pipeline, saved searches."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from mediation.lib.idempotency import idempotent_post

from . import permissions, selectors, services
from .backends import SearchUnavailable
from .forms import ChecklistForm, DeidentifyForm, ReasonForm, SavedSearchForm, TypicalCaseForm
from .models import DEIDENTIFICATION_CHECKLIST, TypicalCaseStatus
from .query import FACETS, SORTS

FACET_LABELS = {"county": _lazy("县区"), "dispute_type": _lazy("争议类型"), "year": _lazy("年度"),
                "agency": _lazy("参与机构"), "outcome": _lazy("结果"), "topic": _lazy("专题")}
SORT_LABELS = {"relevance": _lazy("相关度"), "date": _lazy("最新"), "date_asc": _lazy("最早"),
               "amount": _lazy("金额从高到低"), "amount_asc": _lazy("金额从低到高")}
PAGE_SIZE = 20


def _staff_required(request: HttpRequest) -> None:
    if not permissions.is_staff_member(request.user):
        raise PermissionDenied


def _errors(exc: ValidationError) -> list[str]:
    return list(exc.messages)


def _search_params(request: HttpRequest) -> dict:
    return {
        "q": request.GET.get("q", "").strip(),
        "filters": {key: request.GET.getlist(key) for key in FACETS},
        "sort": request.GET.get("sort", "relevance") or "relevance",
        "page": request.GET.get("page", "1") or "1",
        "include_drafts": request.GET.get("scope") == "all",
        "exact": request.GET.get("exact") == "1",
    }


def _url_with(request: HttpRequest, **changes) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return f"{reverse('search:search')}?{params.urlencode()}"


def _facet_links(request: HttpRequest, facets: dict) -> list[dict]:
    groups = []
    for key in FACETS:
        selected = set(request.GET.getlist(key))
        buckets = []
        for bucket in facets.get(key, []):
            value = str(bucket["value"])
            params = request.GET.copy()
            params.pop("page", None)
            values = [v for v in params.getlist(key) if v != value]
            if value not in selected:
                values.append(value)
            params.setlist(key, values)
            buckets.append({"value": value, "count": bucket["count"], "selected": value in selected,
                            "url": f"{reverse('search:search')}?{params.urlencode()}"})
        groups.append({"key": key, "label": FACET_LABELS[key], "buckets": buckets})
    return groups


@login_required
def search_view(request: HttpRequest) -> HttpResponse:
    _staff_required(request)
    params = _search_params(request)
    context = {"q": params["q"], "sort": params["sort"], "sorts": [(s, SORT_LABELS[s]) for s in SORTS],
               "scope_all": params["include_drafts"], "result": None, "error": None, "unavailable": None,
               "saved_form": SavedSearchForm(), "saved_searches": selectors.saved_searches_of(request.user)[:20]}
    status = 200
    try:
        page = int(params["page"])
    except ValueError:
        page = 0
    try:
        if page < 1:
            raise selectors.SearchParameterError("page", _("页码应为正整数。"))
        result = selectors.search_typical_cases(
            user=request.user, q=params["q"], filters=params["filters"], sort=params["sort"], page=page,
            page_size=PAGE_SIZE, include_drafts=params["include_drafts"], exact=params["exact"],
        )
        context["result"] = result
        context.update(_understood(request, params["q"], result))
        context["facets"] = _facet_links(request, result.facets)
        context["page"] = page
        context["pages"] = max(1, -(-result.count // PAGE_SIZE))
        context["page_prev_url"] = _url_with(request) + f"&page={page - 1}" if page > 1 else ""
        context["page_next_url"] = _url_with(request) + f"&page={page + 1}" if page * PAGE_SIZE < result.count else ""
    except selectors.SearchParameterError as exc:
        context["error"] = exc.message
        status = 400
    except SearchUnavailable as exc:
        context["unavailable"] = exc.user_message
        status = 503
    context["hidden_filters"] = [(key, value) for key in FACETS for value in request.GET.getlist(key)]
    context["active_filters"] = [
        {"label": FACET_LABELS[key], "value": value, "url": _remove_filter_url(request, key, value)}
        for key in FACETS for value in request.GET.getlist(key)
    ]
    return render(request, "search/search.html", context, status=status)


def _understood(request: HttpRequest, q: str, result) -> dict:
    """Chips for a query that became filters (旬阳 2024年 → 县区：旬阳市 ×, 年度：2024 ×),
    the link that searches the same words as plain text, and the "您是不是要找" link."""
    chips = []
    for entity in result.entities:
        if entity.facet not in result.understood_filters:
            continue
        rest = " ".join(w for w in q.replace(entity.text, " ").split())
        chips.append({"label": FACET_LABELS[entity.facet], "value": entity.value,
                      "url": _url_with(request, q=rest or None)})
    return {
        "understood_chips": chips,
        "exact_url": _url_with(request, exact="1") if chips else "",
        "suggestion": result.suggestion,
        "suggestion_url": _url_with(request, q=result.suggestion, exact=None) if result.suggestion else "",
    }


def _remove_filter_url(request: HttpRequest, key: str, value: str) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    params.setlist(key, [v for v in params.getlist(key) if v != value])
    return f"{reverse('search:search')}?{params.urlencode()}"


@login_required
def detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    tc = selectors.typical_case_get_for_user(request.user, pk)
    similar, similar_unavailable = [], None
    if tc.is_published:
        try:
            similar = selectors.similar_precedents(tc, limit=5)
        except SearchUnavailable as exc:
            similar_unavailable = exc.user_message
    user = request.user
    context = {
        "tc": tc,
        "similar": similar,
        "similar_unavailable": similar_unavailable,
        "source_case": selectors.source_case_for_user(user, tc),
        "versions": tc.versions.select_related("created_by")[:20] if permissions.is_participant(user, tc) else [],
        "events": tc.events.select_related("actor")[:50] if permissions.is_participant(user, tc) else [],
        "can_edit": permissions.can_edit(user, tc),
        "can_deidentify": permissions.can_edit(user, tc) and tc.status in permissions.DRAFT_STATUSES,
        "can_approve": permissions.is_approver(user),
        "checklist": [(label, bool(tc.checklist.get(code))) for code, label in DEIDENTIFICATION_CHECKLIST],
        "steps": _steps(tc),
        "reason_form": ReasonForm(),
        "S": TypicalCaseStatus,
    }
    return render(request, "search/detail.html", context)


def _steps(tc) -> list[dict]:
    order = [TypicalCaseStatus.NOMINATED, TypicalCaseStatus.DRAFTING, TypicalCaseStatus.DEIDENTIFIED,
             TypicalCaseStatus.UNDER_REVIEW, TypicalCaseStatus.PUBLISHED]
    current = order.index(tc.status) if tc.status in order else -1
    return [{"label": s.label, "done": i < current, "current": i == current} for i, s in enumerate(order)]


@login_required
def pipeline_view(request: HttpRequest) -> HttpResponse:
    _staff_required(request)
    cases = selectors.pipeline_for(request.user).select_related("nominated_by", "agency")[:200]
    return render(request, "search/pipeline.html", {"cases": cases,
                                                    "can_nominate": permissions.can_nominate(request.user)})


@login_required
@idempotent_post
def nominate_view(request: HttpRequest, case_id: int) -> HttpResponse:
    from mediation.cases.selectors import case_get_for_user

    if not permissions.can_nominate(request.user):
        raise PermissionDenied
    case = case_get_for_user(request.user, case_id)
    if request.method == "POST":
        try:
            tc = services.typical_case_nominate(user=request.user, case_id=case.pk)
        except ValidationError as exc:
            for message in _errors(exc):
                messages.error(request, message)
        else:
            messages.success(request, _("已提名为典型案例，请继续撰写。"))
            return redirect("search:edit", pk=tc.pk)
    prefill = services.prefill_from_case(case)
    return render(request, "search/nominate.html", {"case": case, "prefill": prefill})


@login_required
@idempotent_post
def create_view(request: HttpRequest) -> HttpResponse:
    if not permissions.can_nominate(request.user):
        raise PermissionDenied
    form = TypicalCaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            tc = services.typical_case_create(user=request.user, values=form.values())
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("案例草稿已保存。"))
            return redirect("search:detail", pk=tc.pk)
    return render(request, "search/form.html", {"form": form, "tc": None})


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
def edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    tc = selectors.typical_case_get_for_user(request.user, pk)
    if not permissions.can_edit(request.user, tc):
        raise PermissionDenied
    form = TypicalCaseForm(request.POST or None, instance=tc)
    if request.method == "POST" and form.is_valid():
        try:
            services.typical_case_update(user=request.user, typical_case_id=tc.pk, values=form.values())
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("search:detail", pk=tc.pk)
    # The ModelForm edits the instance in memory; show the stored values if it failed.
    return render(request, "search/form.html", {"form": form, "tc": tc})


@login_required
@idempotent_post
def deidentify_view(request: HttpRequest, pk: int) -> HttpResponse:
    tc = selectors.typical_case_get_for_user(request.user, pk)
    if not permissions.can_edit(request.user, tc):
        raise PermissionDenied
    form = DeidentifyForm(request.POST or None, initial={"policy": tc.employer_policy})
    preview = None
    if request.method == "POST" and form.is_valid():
        policy, names = form.cleaned_data["policy"], form.names()
        if request.POST.get("action") == "confirm":
            try:
                services.typical_case_deidentify(user=request.user, typical_case_id=tc.pk, policy=policy,
                                                 extra_names=names, digest=request.POST.get("digest", ""))
            except ValidationError as exc:
                for message in _errors(exc):
                    messages.error(request, message)
            else:
                messages.success(request, _("已按预览内容完成脱敏。"))
                return redirect("search:detail", pk=tc.pk)
        preview = services.typical_case_deidentify_preview(user=request.user, typical_case=tc, policy=policy,
                                                           extra_names=names)
    labels = {"title": _("标题"), "summary": _("案例概况"), "handling": _("履职情况"), "significance": _("典型意义"),
              "legal_basis": _("法律依据")}
    fields = [(labels[k], v) for k, v in preview.fields.items()] if preview else []
    return render(request, "search/deidentify.html", {"tc": tc, "form": form, "preview": preview,
                                                      "preview_fields": fields})


@login_required
@require_POST
@idempotent_post
def submit_view(request: HttpRequest, pk: int) -> HttpResponse:
    tc = selectors.typical_case_get_for_user(request.user, pk)
    try:
        services.typical_case_submit(user=request.user, typical_case_id=tc.pk)
    except ValidationError as exc:
        for message in _errors(exc):
            messages.error(request, message)
    else:
        messages.success(request, _("已提交审核。"))
    return redirect("search:detail", pk=tc.pk)


@login_required
@idempotent_post
def review_view(request: HttpRequest, pk: int) -> HttpResponse:
    tc = selectors.typical_case_get_for_user(request.user, pk)
    if not permissions.is_approver(request.user):
        raise PermissionDenied
    form = ChecklistForm(request.POST or None, initial=tc.checklist)
    reason_form = ReasonForm()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action in ("save", "publish") and form.is_valid():
                services.typical_case_review(user=request.user, typical_case_id=tc.pk, checklist=form.ticks())
                if action == "publish":
                    services.typical_case_publish(user=request.user, typical_case_id=tc.pk)
                    messages.success(request, _("已审核通过并发布。"))
                    return redirect("search:detail", pk=tc.pk)
                messages.success(request, _("核查清单已保存。"))
                return redirect("search:review", pk=tc.pk)
            if action in ("return", "reject"):
                reason_form = ReasonForm(request.POST)
                if reason_form.is_valid():
                    service = services.typical_case_return if action == "return" else services.typical_case_reject
                    service(user=request.user, typical_case_id=tc.pk, reason=reason_form.cleaned_data["reason"])
                    messages.success(request, _("已退回修改。") if action == "return" else _("已决定不采用。"))
                    return redirect("search:detail", pk=tc.pk)
        except ValidationError as exc:
            for message in _errors(exc):
                messages.error(request, message)
    return render(request, "search/review.html", {"tc": tc, "form": form, "reason_form": reason_form})


@login_required
@require_POST
@idempotent_post
def unpublish_view(request: HttpRequest, pk: int) -> HttpResponse:
    tc = selectors.typical_case_get_for_user(request.user, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写撤回发布的理由。"))
        return redirect("search:detail", pk=tc.pk)
    try:
        services.typical_case_unpublish(user=request.user, typical_case_id=tc.pk, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        for message in _errors(exc):
            messages.error(request, message)
    else:
        messages.success(request, _("已撤回发布。"))
    return redirect("search:detail", pk=tc.pk)


@login_required
@require_POST
@idempotent_post
def saved_search_create_view(request: HttpRequest) -> HttpResponse:
    _staff_required(request)
    form = SavedSearchForm(request.POST)
    q = request.POST.get("q", "")
    filters = {key: request.POST.getlist(key) for key in FACETS}
    back = f"{reverse('search:search')}?{urlencode({'q': q, **filters}, doseq=True)}"
    if form.is_valid():
        try:
            services.saved_search_create(user=request.user, name=form.cleaned_data["name"], query=q,
                                         filters=filters, alert=form.cleaned_data["alert"])
        except selectors.SearchParameterError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("检索已保存。"))
    return redirect(back)


@login_required
def saved_search_list_view(request: HttpRequest) -> HttpResponse:
    _staff_required(request)
    rows = []
    for saved in selectors.saved_searches_of(request.user):
        params = {"q": saved.query, **saved.filters}
        rows.append({"saved": saved, "url": f"{reverse('search:search')}?{urlencode(params, doseq=True)}"})
    return render(request, "search/saved_searches.html", {"rows": rows})


@login_required
@require_POST
def saved_search_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    services.saved_search_delete(user=request.user, saved_search_id=pk)
    messages.success(request, _("已删除保存的检索。"))
    return redirect("search:saved_searches")


@login_required
def case_similar(request, case_id):
    """The similar-precedents panel of the case page, fetched after the page has loaded: a slow
    or dead search engine delays only this panel, about a second at most, and it says so."""
    from mediation.cases.selectors import case_get_for_user

    from .backends import SearchUnavailable
    from .selectors import similar_precedents_for_case_page

    case = case_get_for_user(request.user, case_id)
    try:
        similar = {"items": similar_precedents_for_case_page(case, limit=5), "unavailable": None}
    except SearchUnavailable as exc:
        similar = {"items": [], "unavailable": exc.user_message}
    fragment = request.headers.get("X-Requested-With") == "fetch"
    template = "search/_similar_panel.html" if fragment else "search/similar_for_case_page.html"
    return render(request, template, {"case": case, "similar": similar})
