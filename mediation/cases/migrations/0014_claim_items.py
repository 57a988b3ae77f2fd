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
# The sub-types offered under each type: a sub-type counts only under its own type.
SUBTYPES = {
    "WAGES": ["拖欠工资", "克扣工资", "计件/派费拖欠", "低于最低工资", "农民工工资", "劳务报酬"],
    "SEVERANCE": ["解除/终止经济补偿", "关停搬迁集体解除", "违法解除赔偿金"],
    "WORK_INJURY": ["工伤医疗费", "停工留薪期工资", "一次性伤残补助金", "工亡待遇", "职业病待遇", "未参保单位赔付"],
    "SOCIAL_INSURANCE": ["未参保", "少缴/缴费基数不足", "补缴", "未缴致待遇损失赔偿"],
    "OVERTIME": ["延时加班", "休息日/法定节假日加班", "超时加班", "综合工时争议"],
    "CONTRACT": ["未签书面合同二倍工资", "违法解除/恢复劳动关系", "试用期违法", "扣押证件", "劳务派遣退回", "确认劳动关系",
                 "竞业限制", "年休假"],
}


def item_for(dispute_type: str, subtype: str) -> str:
    subtype = (subtype or "").strip()
    item = BY_SUBTYPE.get(subtype) if subtype in SUBTYPES.get(dispute_type, ()) else None
    return item or BY_TYPE.get(dispute_type, "OTHER")


def forwards(apps, schema_editor):
    Claim = apps.get_model("cases", "Claim")
    for claim in Claim.objects.only("pk", "dispute_type", "subtype").iterator(chunk_size=2000):
        Claim.objects.filter(pk=claim.pk).update(item=item_for(claim.dispute_type, claim.subtype))


class Migration(migrations.Migration):
    dependencies = [("cases", "0013_after_agreement")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
