from django import forms
from django.utils.translation import gettext_lazy as _

from .models import DEIDENTIFICATION_CHECKLIST, EmployerPolicy, PartnerAgency, Topic, TypicalCase


def split_list(text: str) -> list[str]:
    import re

    return [p.strip() for p in re.split(r"[、;；,，\n]+", text or "") if p.strip()]


class TypicalCaseForm(forms.ModelForm):
    tags_text = forms.CharField(
        label=_("关键词"), required=False, help_text=_("用顿号或逗号分隔，如：农民工、司法确认"),
        widget=forms.TextInput(attrs={"maxlength": 300}),
    )
    agencies = forms.MultipleChoiceField(
        label=_("参与机构"), choices=PartnerAgency.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    topics = forms.ModelMultipleChoiceField(
        label=_("专题"), queryset=Topic.objects.filter(enabled=True), widget=forms.CheckboxSelectMultiple,
        required=False, help_text=_("可选多个；专题列表在管理后台“专题”中维护。"),
    )

    class Meta:
        model = TypicalCase
        fields = [
            "title", "county", "year", "dispute_type", "agencies", "channel", "outcome", "amount_yuan",
            "workers_count", "summary", "handling", "significance", "legal_basis",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 5}),
            "handling": forms.Textarea(attrs={"rows": 6}),
            "significance": forms.Textarea(attrs={"rows": 3}),
            "legal_basis": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance and self.instance.pk:
            self.fields["tags_text"].initial = "、".join(self.instance.tags)
            self.fields["topics"].initial = list(self.instance.topics.values_list("pk", flat=True))

    def values(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["tags"] = split_list(self.cleaned_data.get("tags_text", ""))
        data["topics"] = [t.pk for t in self.cleaned_data.get("topics") or []]
        return data


class DeidentifyForm(forms.Form):
    policy = forms.ChoiceField(label=_("用人单位名称"), choices=EmployerPolicy.choices, widget=forms.RadioSelect)
    extra_names = forms.CharField(
        label=_("其他需要脱敏的人名"), required=False,
        help_text=_("案件当事人、代理人、调解员的姓名已自动列入；正文中出现的其他人名请在此补充，用顿号分隔。"),
    )

    def names(self) -> list[str]:
        return split_list(self.cleaned_data.get("extra_names", ""))


class ChecklistForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, label in DEIDENTIFICATION_CHECKLIST:
            self.fields[code] = forms.BooleanField(label=label, required=False)

    def ticks(self) -> dict[str, bool]:
        return {code: bool(self.cleaned_data.get(code)) for code, _label in DEIDENTIFICATION_CHECKLIST}


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)


class SavedSearchForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=80, required=False)
    alert = forms.BooleanField(label=_("有新发布的相符案例时提醒我（站内通知和邮件）"), required=False, initial=True)
