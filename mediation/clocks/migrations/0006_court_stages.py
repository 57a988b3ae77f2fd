"""Court clocks in stages (issue 8 B7, DOMAIN §3.4).

* Judicial confirmation (法释〔2011〕5号 Arts. 4–5): D22 is the acceptance — 3 days from receipt of the
  application, met when the court accepts (or decides not to); D22a is the decision — 15 days from
  acceptance, extendable once by at most 10 days with the court president's approval (the parties'
  consent is not needed; the approval is recorded on the application).
* Payment order (民事诉讼法 督促程序): D24 acceptance, 5 days from the application, met on acceptance;
  D25 issue, 15 days from acceptance; D26 the debtor's 15 days, counted from service of the order
  (not from its issue), ended by payment, a written objection, or running out.
Every new rule is waived when the case is withdrawn or closed.
"""

from django.db import migrations

C = "calendar"
END = ["case.withdrawn", "case.closed"]

NEW_RULES = {
    "D22a": dict(
        title="法院作出是否确认调解协议的决定", period=15, unit=C, start_event="法院受理司法确认申请之日",
        legal_basis="《最高人民法院关于人民调解协议司法确认程序的若干规定》（法释〔2011〕5号）第五条：人民法院应当自受理"
                    "司法确认申请之日起十五日内作出是否确认的决定。因特殊情况需要延长的，经本院院长批准，可以延长十日。",
        status="confirmed", extension_max_days=10, extension_needs_consent=False,
        note="延长须经院长批准，不需当事人同意：在审查任务中记录批准情况。后续规定可能已有变化（推定）。",
    ),
}

EVENTS = {
    "D22": ("judicial_confirmation.filed", ["judicial_confirmation.accepted", "judicial_confirmation.decided"], END),
    "D22a": ("judicial_confirmation.accepted", ["judicial_confirmation.decided"], END, [], [],
             ["judicial_confirmation.extended"]),
    "D24": ("payment_order.filed", ["payment_order.accepted", "payment_order.decided"], END),
    "D25": ("payment_order.accepted", ["payment_order.decided"], END),
    "D26": ("payment_order.served", ["agreement.performed", "payment_order.objected", "payment_order.lapsed"], END),
}

NOTES = {
    "D22": "受理后的决定期限见 D22a（15日，经院长批准可延长10日）。",
    "D26": "自支付令送达债务人之日起计算，而非发出之日。期满不提出异议又不履行的，债权人可以申请强制执行；"
           "异议成立的，终结督促程序，转入诉讼。",
}

# What 0003_rule_events set, for the way back.
BEFORE = {
    "D22": ("judicial_confirmation.filed", ["judicial_confirmation.decided"], END),
    "D24": ("payment_order.filed", ["payment_order.decided"], END),
    "D25": ("", [], []),
    "D26": ("payment_order.issued", ["agreement.performed"], END),
}


def _wire(DeadlineRule, table):
    for code, (starts, stops, waived, *more) in table.items():
        pauses, resumes, extends = (*more, [], [], [])[:3]
        DeadlineRule.objects.filter(code=code).update(
            starts_on=starts, stops_on=stops, waived_on=waived, pauses_on=pauses, resumes_on=resumes,
            extended_on=extends)


def seed(apps, schema_editor):
    DeadlineRule = apps.get_model("clocks", "DeadlineRule")
    for code, fields in NEW_RULES.items():
        DeadlineRule.objects.update_or_create(code=code, locality="", version=1, defaults=fields)
    for code, note in NOTES.items():
        DeadlineRule.objects.filter(code=code, locality="", version=1).update(note=note)
    _wire(DeadlineRule, EVENTS)


def unseed(apps, schema_editor):
    DeadlineRule = apps.get_model("clocks", "DeadlineRule")
    DeadlineRule.objects.filter(code__in=list(NEW_RULES), clocks__isnull=True).delete()
    _wire(DeadlineRule, BEFORE)


class Migration(migrations.Migration):
    dependencies = [("clocks", "0003_rule_events")]
    operations = [migrations.RunPython(seed, unseed)]
