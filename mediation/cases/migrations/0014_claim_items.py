"""Each existing claim gets its item (DOMAIN §3.4: payment-order eligibility follows the item), read
from its sub-type, else its dispute type. The mapping is frozen here as it stood when written."""

from django.db import migrations

BY_SUBTYPE = {
    "拖欠工资": "WAGES", "克扣工资": "WAGES", "计件/派费拖欠": "WAGES", "低于最低工资": "WAGES",
    "农民工工资": "WAGES", "劳务报酬": "OTHER",
    "解除/终止经济补偿": "SEVERANCE", "关停搬迁集体解除": "SEVERANCE", "违法解除赔偿金": "DAMAGES",
    "工伤医疗费": "INJURY_MEDICAL", "停工留薪期工资": "SUSPENSION_WAGES", "一次性伤残补助金": "DISABILITY_LUMP_SUM",
    "工亡待遇": "DEATH_BENEFITS", "职业病待遇": "INJURY_OTHER", "未参保单位赔付": "INJURY_OTHER",
    "未缴致待遇损失赔偿": "DAMAGES", "未签书面合同二倍工资": "DOUBLE_WAGES",
}
BY_TYPE = {"WAGES": "WAGES", "OVERTIME": "OVERTIME", "SEVERANCE": "SEVERANCE", "WORK_INJURY": "INJURY_OTHER",
           "SOCIAL_INSURANCE": "SOCIAL_INSURANCE", "CONTRACT": "OTHER"}


def forwards(apps, schema_editor):
    Claim = apps.get_model("cases", "Claim")
    for claim in Claim.objects.only("pk", "dispute_type", "subtype").iterator(chunk_size=2000):
        item = BY_SUBTYPE.get((claim.subtype or "").strip()) or BY_TYPE.get(claim.dispute_type, "OTHER")
        Claim.objects.filter(pk=claim.pk).update(item=item)


class Migration(migrations.Migration):
    dependencies = [("cases", "0013_after_agreement")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
