"""A refused delivery or reply of a mass 提示函 says which field and why, not a generic line."""

import pytest
from django.urls import reverse

from mediation.supervision.models import Letter, SupervisionMatter
from parties.models import County, Industry
from tests.factories.parties import EmployerFactory
from tests.factories.supervision import chair

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(client, sup, cal):
    EmployerFactory(industry=Industry.CONSTRUCTION, county=County.HANBIN, name="汉滨建工0有限公司")
    client.force_login(sup["lsup"])
    client.post(reverse("supervision:campaign_new"), {
        "title": "春节前集中提示", "county": County.HANBIN, "industry": Industry.CONSTRUCTION,
        "issued_on": "2026-03-02", "subject": "按时足额支付农民工工资", "facts": "节前欠薪风险。",
        "legal_basis": "《保障农民工工资支付条例》第三条", "requirements": "全面自查。"})
    # Drafted: the union's chair signs it off on the matter page (a mass 提示函 has no flow).
    matter = SupervisionMatter.objects.get()
    client.force_login(chair(matter.agency))
    client.post(reverse("supervision:draft_sign_off", args=[matter.pk, matter.drafts.get().pk]),
                {"so-decision": "approve"})
    client.force_login(sup["lsup"])
    letter = Letter.objects.get()
    return letter, letter.recipients.get()


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def test_reply_with_a_negative_amount_names_the_field(client, campaign):
    letter, recipient = campaign
    response = client.post(reverse("supervision:recipient_reply", args=[letter.matter_id, recipient.pk]), {
        "r-reply_kind": "ACCEPTED", "r-replied_on": "2026-03-02", "r-verification": "RECTIFIED",
        "r-verified_on": "2026-03-02", "r-amount_recovered": "-5"}, follow=True)
    assert any(m.startswith("追回金额（元）：") for m in messages_of(response)), messages_of(response)
    recipient.refresh_from_db()
    assert recipient.reply_kind == ""


def test_delivery_without_receipt_names_the_field(client, campaign):
    letter, recipient = campaign
    response = client.post(reverse("supervision:recipient_deliver", args=[letter.matter_id, recipient.pk]), {
        "d-method": "MEETING", "d-delivered_on": "2026-03-02", "d-receipt": ""}, follow=True)
    assert any(m.startswith("送达回执（签收人/回执编号）：") for m in messages_of(response)), messages_of(response)
    recipient.refresh_from_db()
    assert recipient.delivered_on is None
