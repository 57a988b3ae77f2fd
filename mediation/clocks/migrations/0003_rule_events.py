"""Each rule names the procedure events that start, stop, waive, pause and resume its clocks
(issue 8 A2): the steps emit events; which clock they move is data here, not code."""

from django.db import migrations, models

END = ["case.withdrawn", "case.closed"]
EVENTS = {
    "D1": ("case.received", [], ["case.not_accepted", "case.redirected", "agreement.effective",
                                  "mediation.failed", *END]),
    "D2": ("case.received", ["case.accepted", "case.not_accepted", "case.redirected"], END),
    "D3": ("case.accepted", ["agreement.effective", "mediation.failed"], END,
           ["mediation.paused"], ["mediation.resumed"], ["mediation.extended"]),
    "D10": ("court.delegated", ["agreement.effective", "mediation.failed"], END),
    "D11": ("court.entrusted", ["agreement.effective", "mediation.failed"], END),
    "D13": ("referral.arbitration.sent", ["referral.arbitration.decided"], []),
    "D20": ("agreement.effective", ["judicial_confirmation.filed"],
            ["confirmation.skipped", "arbitral_review.filed", "agreement.performed", *END]),
    "D21": ("agreement.effective", ["arbitral_review.filed"],
            ["confirmation.skipped", "judicial_confirmation.filed", "agreement.performed", *END]),
    "D22": ("judicial_confirmation.filed", ["judicial_confirmation.decided"], END),
    "D23": ("arbitral_review.filed", ["arbitral_review.decided"], END),
    "D24": ("payment_order.filed", ["payment_order.decided"], END),
    "D26": ("payment_order.issued", ["agreement.performed"], END),
    "D28": ("procuratorate_clue.closed", ["procuratorate_clue.fed_back"], []),
    "D29": ("referral.legal_aid.sent", ["referral.legal_aid.decided"], []),
    "D30": ("referral.inspection.sent", ["referral.inspection.decided"], []),
    "D40": ("opinion_letter.issued", ["opinion_letter.answered"], []),
    "D41": ("recommendation.delivered", ["recommendation.decided"], []),
    "D42": ("reminder_letter.issued", ["reminder_letter.answered"], []),
}


def seed(apps, schema_editor):
    DeadlineRule = apps.get_model("clocks", "DeadlineRule")
    for code, (starts, stops, waived, *more) in EVENTS.items():
        pauses, resumes, extends = (*more, [], [], [])[:3]
        DeadlineRule.objects.filter(code=code).update(
            starts_on=starts, stops_on=stops, waived_on=waived, pauses_on=pauses, resumes_on=resumes,
            extended_on=extends)


class Migration(migrations.Migration):
    dependencies = [("clocks", "0002_seed_rules")]
    operations = [
        migrations.AddField("deadlinerule", "starts_on", models.CharField(
            blank=True, max_length=60, verbose_name="开始计时的程序事件")),
        migrations.AddField("deadlinerule", "stops_on", models.JSONField(
            blank=True, default=list, verbose_name="按期完成（停止计时）的程序事件")),
        migrations.AddField("deadlinerule", "waived_on", models.JSONField(
            blank=True, default=list, verbose_name="免除（不再计时）的程序事件")),
        migrations.AddField("deadlinerule", "pauses_on", models.JSONField(
            blank=True, default=list, verbose_name="暂停计时的程序事件")),
        migrations.AddField("deadlinerule", "resumes_on", models.JSONField(
            blank=True, default=list, verbose_name="恢复计时的程序事件")),
        migrations.AddField("deadlinerule", "extended_on", models.JSONField(
            blank=True, default=list, verbose_name="延长期限的程序事件")),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
