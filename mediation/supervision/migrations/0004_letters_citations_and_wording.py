"""Letter templates: law as in force, the government named, wording faults fixed (issue 8 B10).

* 工会法 as amended on 2021-12-24 (in force 2022-01-01): the amendment inserted a new Art. 8
  (产业工人队伍建设改革), so every later article moved up by one. 交涉 on a violation of workers'
  rights, 要求采取措施予以改正, and — when the employer 拒不改正 — 提请当地人民政府依法作出处理 is
  Art. 23 of the 2021 text (Art. 22 of the 2001/2009 text, which the seed cited).
  劳动法 Art. 88 (union supervision) and 劳动合同法 Art. 78 (union supervision of labour
  contracts) kept their numbers in the 2018 / 2012 amendments.
* The government is named by the issuer's level (`issuer.government`: 安康市人民政府,
  汉滨区人民政府), never "市本级人民政府".
* Wording: no doubled 。 after free text (`|clause`), a 。 after a quotation, no 一、二、 list
  inside a section numbered 二、 (sub-items are （一）（二）).
* The reply date printed is the letter's clock due date (`letter.reply_due`, set by the service).

Only templates the admin has not edited are replaced: a template is updated when its text is
still the seeded text (as written by 0002, or as rewritten by 0003); an edited one is left alone.
"""

import importlib

from django.db import migrations

REMINDER = """={{ issuer_names }}
={{ kind_title }}
={{ letter.doc_no }}
|{% if recipients|length > 1 %}{{ matter.county }}{{ matter.scope_industry }}各用人单位（名单附后）：{% else %}{{ recipient.name }}：{% endif %}
为切实维护职工合法权益，预防和化解劳动关系矛盾，促进劳动关系和谐稳定，根据《中华人民共和国工会法》《中华人民共和国劳动法》第八十八条和《工会劳动法律监督办法》等规定，现就{{ letter.subject|clause }}有关事项提示如下：
#一、有关情况
{{ letter.facts }}
#二、法律依据
{{ letter.legal_basis }}
#三、建议措施
{{ letter.requirements }}
{% if letter.reply_due %}请贵单位高度重视，认真组织自查，并于{{ letter.reply_due|cn_date }}前将自查及整改情况书面反馈本会。{% else %}请贵单位高度重视，认真组织自查，发现问题及时整改，切实保障职工合法权益。{% endif %}
|联系人：{{ letter.contact_person|default:"劳动法律监督委员会办公室" }}　联系电话：{{ letter.contact_phone|default:"12351" }}
>{{ issuer_names }}
>{{ letter.issued_on|cn_date }}
{% if letter.signatory %}|签发人：{{ letter.signatory }}{% endif %}
{% if letter.cc %}|抄送：{{ letter.cc }}{% endif %}
{% if recipients|length > 1 %}#附：受文单位名单
{% for r in recipients %}|{{ forloop.counter }}. {{ r.name }}（统一社会信用代码：{{ r.credit_code }}）
{% endfor %}{% endif %}
"""

OPINION = """={{ issuer_names }}
={{ kind_title }}
={{ letter.doc_no }}
|{{ recipient.name }}：
|（统一社会信用代码：{{ recipient.credit_code }}；法定代表人：{{ recipient.legal_representative }}；地址：{{ recipient.address|default:"—" }}）
{% for inv in investigations %}{{ inv.conducted_on|cn_date }}，本会劳动法律监督员{{ inv.investigator_names }}以{{ inv.method|clause }}的方式，对贵单位{{ letter.subject|clause }}的情况进行了调查核实。
{% endfor %}{% if previous %}本会曾于{{ previous.issued_on|cn_date }}向贵单位制发《{{ previous.full_title }}》（{{ previous.doc_no }}），{% if previous_recipient.reply_kind == "NO_REPLY" %}贵单位未在期限内书面反馈{% else %}贵单位未按要求整改到位{% endif %}。
{% endif %}{{ letter.facts }}
经调查核实，贵单位存在以下违反劳动法律法规的行为：
{% for v in violations %}#{{ forloop.counter|cn_ordinal }}、{{ v.category }}
|违法事实：{{ v.facts|clause }}。
{% if v.evidence %}|证据：{{ v.evidence|clause }}。
{% endif %}|法律依据：{{ v.legal_basis|clause }}。
|整改要求：{{ v.rectification|clause }}。
|整改期限：{{ v.deadline|cn_date }}前。
{% endfor %}#法律依据
{{ letter.legal_basis }}
#整改要求
{{ letter.requirements }}
根据《中华人民共和国工会法》第二十三条、《中华人民共和国劳动合同法》第七十八条的规定，请贵单位对上述问题认真研究处理，在规定期限内整改到位，并于{{ letter.reply_due|cn_date }}前将整改情况书面回复本会。逾期不整改、不回复的，本会将依法提请{{ issuer.government }}依法作出处理，并可视情况将有关线索移送人民检察院。
|联系人：{{ letter.contact_person|default:"劳动法律监督委员会办公室" }}　联系电话：{{ letter.contact_phone|default:"12351" }}
>{{ issuer_names }}
>{{ letter.issued_on|cn_date }}
{% if letter.signatory %}|签发人：{{ letter.signatory }}{% endif %}
{% if letter.cc %}|抄送：{{ letter.cc }}{% endif %}
"""

RECOMMENDATION = """={{ issuer_names }}
={{ kind_title }}
={{ letter.doc_no }}
|{{ recipient.name }}：
本会在劳动法律监督工作中发现，{{ employer.name }}（统一社会信用代码：{{ employer.credit_code }}；法定代表人：{{ employer.legal_representative }}；地址：{{ employer.address|default:"—" }}）存在违反劳动法律法规、侵害职工合法权益的行为。本会已于{{ previous.issued_on|cn_date }}向该单位制发《{{ previous.full_title }}》（{{ previous.doc_no }}），并于{{ previous_recipient.delivered_on|cn_date }}以{{ previous_recipient.delivery_method }}方式送达。{% if previous_recipient.reply_kind == "NO_REPLY" %}该单位在规定期限内未作书面回复。{% elif previous_recipient.reply_kind %}该单位于{{ previous_recipient.replied_on|cn_date }}书面回复称：“{{ previous_recipient.reply_content|clause }}”。{% endif %}经本会核查，该单位{{ previous_recipient.verification|default:"未按要求整改" }}。
#一、基本事实
{{ letter.facts }}
#二、违法事项及证据
{% for v in violations %}|（{{ forloop.counter|cn_ordinal }}）{{ v.category }}：{{ v.facts|clause }}。{% if v.evidence %}证据：{{ v.evidence|clause }}。{% endif %}依据：{{ v.legal_basis|clause }}。
{% endfor %}#三、法律依据
{{ letter.legal_basis }}
#四、建议事项
根据《中华人民共和国工会法》第二十三条、《中华人民共和国劳动合同法》第七十八条和《工会劳动法律监督办法》的规定，本会提请{{ issuer.government }}依法作出处理，并建议贵单位作为主管部门依法履行监管职责：
{% for a in recommended_actions %}|（{{ forloop.counter|cn_ordinal }}）{{ a }}{% if forloop.last %}。{% else %}；{% endif %}
{% endfor %}{{ letter.requirements }}
#五、反馈要求
请贵单位收到本建议书后依法作出是否立案的决定{% if letter.reply_due %}（请于{{ letter.reply_due|cn_date }}前）{% endif %}；不予立案的，请书面说明理由；立案查处的，请将查处结果书面反馈本会。
|附件：{{ previous.doc_no }}及送达回执、调查核实材料、证据清单
|联系人：{{ letter.contact_person|default:"劳动法律监督委员会办公室" }}　联系电话：{{ letter.contact_phone|default:"12351" }}
>{{ issuer_names }}
>{{ letter.issued_on|cn_date }}
{% if letter.signatory %}|签发人：{{ letter.signatory }}{% endif %}
{% if letter.cc %}|抄送：{{ letter.cc }}{% endif %}
"""

NEW = {"REMINDER": REMINDER, "OPINION": OPINION, "RECOMMENDATION": RECOMMENDATION}


def _old_texts(kind: str) -> set[str]:
    seed = importlib.import_module("mediation.supervision.migrations.0002_seed_letter_templates")
    sandboxed = importlib.import_module(
        "mediation.supervision.migrations.0003_docs_sandboxed_templates"
    )
    source = {k: s for k, _name, s in seed.TEMPLATES}[kind]
    return {source.strip(), sandboxed.rewrite(source).strip()}


def seed(apps, schema_editor):
    """Replace each template whose text is still the old seed (also used by the test reseed)."""
    LetterTemplate = apps.get_model("supervision", "LetterTemplate")
    for kind, source in NEW.items():
        for template in LetterTemplate.objects.filter(kind=kind):
            if template.source.strip() in _old_texts(kind):
                LetterTemplate.objects.filter(pk=template.pk).update(source=source)


def unseed(apps, schema_editor):
    seed_module = importlib.import_module(
        "mediation.supervision.migrations.0003_docs_sandboxed_templates"
    )
    old = importlib.import_module("mediation.supervision.migrations.0002_seed_letter_templates")
    LetterTemplate = apps.get_model("supervision", "LetterTemplate")
    for kind, _name, source in old.TEMPLATES:
        LetterTemplate.objects.filter(kind=kind, source=NEW[kind]).update(
            source=seed_module.rewrite(source)
        )


class Migration(migrations.Migration):
    dependencies = [("supervision", "0003_docs_sandboxed_templates")]

    operations = [migrations.RunPython(seed, unseed)]
