"""D11 under the summary procedure: a court entrusts mediation of a case it tries by 简易程序 for 7
days, not 15 (法释〔2016〕14号; DOMAIN §2.1, §3.2 D11). Its own rule row, started by its own event
(court.entrusted_summary), so the period is data like every other."""

from django.db import migrations

CODE = "D11s"


def seed(apps, schema_editor):
    DeadlineRule = apps.get_model("clocks", "DeadlineRule")
    DeadlineRule.objects.update_or_create(
        code=CODE, locality="", version=1,
        defaults=dict(
            title="法院立案后委托调解（简易程序）", period=7, unit="calendar", start_event="法院委托之日",
            legal_basis="《最高人民法院关于人民法院特邀调解的规定》（法释〔2016〕14号）：委托调解适用普通程序的为15日，"
                        "适用简易程序的为7日（条号待核实）。",
            status="confirmed", extension_max_days=0,
            note="法院掌握期限；委托文书载明届满日的，以其为准。普通程序见 D11。",
            starts_on="court.entrusted_summary", stops_on=["agreement.effective", "mediation.failed"],
            waived_on=["case.withdrawn", "case.closed"],
        ),
    )


def unseed(apps, schema_editor):
    apps.get_model("clocks", "DeadlineRule").objects.filter(code=CODE, clocks__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("clocks", "0007_clock_fixed_due")]
    operations = [migrations.RunPython(seed, unseed)]
