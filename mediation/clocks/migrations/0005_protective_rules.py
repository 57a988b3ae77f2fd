"""Protective dates (issue 8 item B9): new rules D5 and D27, D28 as a running clock, and the
arbitration that follows a referral (D13–D18) wired to the events its liaison records.

D13 now runs from the commission's receipt (Art. 29), not from the union's sending; D14 and D15
from acceptance (Arts. 32, 43; D15 extended by the chair within its 15-day cap); D16/D17 from the
receipt of a final award, D18 from the receipt of a non-final one (Arts. 47–50; a mixed award is
treated as non-final), until a party sues or applies to set the award aside, or the union closes the case. Which clocks a pause (等待工伤认定 …) stops is each rule's `pauses_on`.
"""

from django.db import migrations

C, M = "calendar", "month"
END = ["case.withdrawn", "case.closed"]
# A party sues (Arts. 48, 50) or applies to set a final award aside (Art. 49): the windows have served.
# Closing the case ends the union's following of them.
CHALLENGED = ["referral.arbitration.award_challenged"]

NEW_RULES = {
    "D5": dict(
        title="人民调解委员会调解纠纷", period=1, unit=M, start_event="受理调解申请之日（与人民调解委员会联合调解的案件）",
        legal_basis="《人民调解工作若干规定》（司法部令第75号，2002年）第三十三条：人民调解委员会调解纠纷，一般在一个月内调结。",
        status="confirmed", extension_max_days=None,
        note="适用于工会与人民调解委员会联合调解的案件（登记时勾选“与人民调解委员会联合调解”）。“一般”一个月：可延长，不设上限。",
        starts_on="peoples_mediation.accepted", stops_on=["agreement.effective", "mediation.failed"], waived_on=END,
        pauses_on=["mediation.paused"], resumes_on=["mediation.resumed"],
    ),
    "D27": dict(
        title="检察院决定是否支持起诉", period=15, unit=C, start_event="提请检察院支持起诉之日",
        legal_basis="《民事诉讼法》第十五条：机关、社会团体、企业事业单位对损害国家、集体或者个人民事权益的行为，"
                    "可以支持受损害的单位或者个人向人民法院起诉。法律未规定决定期限；本期限为本地协作机制的办理时限（推定，待确认）。",
        status="inferred",
        note="无法定期限（DOMAIN §3.2 D27；一例为受理后3日内作出决定）。按本地与检察院的协作约定在“时限规则”中按地区配置。",
        starts_on="referral.support_prosecution.sent", stops_on=["referral.support_prosecution.decided"],
    ),
}

EVENTS = {
    "D13": dict(starts_on="referral.arbitration.received", stops_on=["referral.arbitration.decided"]),
    "D14": dict(starts_on="referral.arbitration.accepted", stops_on=["referral.arbitration.tribunal_notified"],
                waived_on=["referral.arbitration.awarded"]),
    "D15": dict(starts_on="referral.arbitration.accepted", stops_on=["referral.arbitration.awarded"],
                extended_on=["referral.arbitration.extended"]),
    "D16": dict(starts_on="referral.arbitration.final_award_received", stops_on=CHALLENGED, waived_on=["case.closed"],
                due_notice="劳动者收到终局裁决书已满十五日：劳动者未向人民法院起诉的，不能再就该裁决起诉（《劳动争议调解仲裁法》第四十八条）。"),
    "D17": dict(starts_on="referral.arbitration.final_award_received", stops_on=CHALLENGED, waived_on=["case.closed"],
                due_notice="用人单位收到终局裁决书已满三十日：不能再申请撤销该裁决（《劳动争议调解仲裁法》第四十九条）。"),
    "D18": dict(starts_on="referral.arbitration.award_received", stops_on=CHALLENGED, waived_on=["case.closed"],
                due_notice="当事人收到非终局裁决书已满十五日：期满不起诉的，裁决书发生法律效力（《劳动争议调解仲裁法》第五十条）。"),
    # D28 runs from the procuratorate's closing of the clue (its own step) until its feedback.
    "D28": dict(starts_on="procuratorate_clue.closed", stops_on=["procuratorate_clue.fed_back"]),
}

BEFORE = {
    "D13": dict(starts_on="referral.arbitration.sent", stops_on=["referral.arbitration.decided"]),
    "D14": dict(starts_on="", stops_on=[], waived_on=[]),
    "D15": dict(starts_on="", stops_on=[], extended_on=[]),
    "D16": dict(starts_on="", stops_on=[], waived_on=[], due_notice=""),
    "D17": dict(starts_on="", stops_on=[], waived_on=[], due_notice=""),
    "D18": dict(starts_on="", stops_on=[], waived_on=[], due_notice=""),
    "D28": dict(starts_on="procuratorate_clue.closed", stops_on=["procuratorate_clue.fed_back"]),
}


def seed(apps, schema_editor):
    DeadlineRule = apps.get_model("clocks", "DeadlineRule")
    for code, fields in NEW_RULES.items():
        DeadlineRule.objects.update_or_create(
            code=code, locality="", version=1, defaults={"extension_max_days": 0, **fields})
    for code, fields in EVENTS.items():
        DeadlineRule.objects.filter(code=code, superseded_at__isnull=True).update(**fields)


def unseed(apps, schema_editor):
    DeadlineRule = apps.get_model("clocks", "DeadlineRule")
    DeadlineRule.objects.filter(code__in=list(NEW_RULES), locality="", version=1, clocks__isnull=True).delete()
    for code, fields in BEFORE.items():
        DeadlineRule.objects.filter(code=code, superseded_at__isnull=True).update(**fields)


class Migration(migrations.Migration):
    dependencies = [("clocks", "0003_rule_events")]
    operations = [migrations.RunPython(seed, unseed)]
