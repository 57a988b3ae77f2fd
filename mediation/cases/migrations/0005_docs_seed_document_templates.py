"""Seed the case document templates (issue 10): editable later in the admin (案件文书模板).

Line markup: "=" centred title, "#" bold heading, ">" right-aligned, "|" no indent,
"~" a line of the signatures block; other lines are body paragraphs."""

from django.db import migrations

HEAD = """={{ organisation.committee }}
"""

ACCEPTANCE_NOTICE = HEAD + """=受理通知书
>{{ document.doc_no }}
|{{ applicant_names }}：
你（们）与{{ respondent_names }}{{ case.dispute_types }}劳动争议一案，本会于{{ case.received_on|cn_date }}收到调解申请。经审查，符合受理条件，本会决定于{{ case.accepted_on|cn_date }}予以受理，案号为{{ case.case_no }}。
#请求事项
{% for c in claims %}|{{ forloop.counter }}. {{ c.dispute_type }}·{{ c.subtype }}：{{ c.amount_claimed }}
{% endfor %}|请求金额合计：{{ case.amount_claimed }}
#告知事项
本案由调解员{{ case.lead_mediator|default:"（待指派）" }}承办。请按通知按时参加调解，如实陈述事实，提供相关证据材料。调解遵循自愿、合法、公正的原则，你（们）有权申请调解员回避。
自{{ arbitration.may_apply_from|cn_date }}起仍未达成调解协议的，你（们）可以依法向{{ arbitration.commission }}申请仲裁。
|联系人：{{ issuer.name }}（{{ issuer.title }}）
>{{ organisation.committee }}
>{{ document.date|cn_date }}
"""

NON_ACCEPTANCE_NOTICE = HEAD + """=不予受理通知书
>{{ document.doc_no }}
|{{ applicant_names }}：
你（们）于{{ case.received_on|cn_date }}提出的与{{ respondent_names }}{{ case.dispute_types }}劳动争议调解申请（登记号：{{ case.case_no }}），经审查，本会决定不予受理。
|理由：{{ case.decision_reason|default:case.redirected_to }}
你（们）可以依法向{{ arbitration.commission }}申请劳动争议仲裁。劳动争议申请仲裁的时效期间为{{ arbitration.limitation }}，从{{ arbitration.limitation_start }}起计算。
>{{ organisation.committee }}
>{{ document.date|cn_date }}
"""

SESSION_RECORD = HEAD + """=调解笔录
|案号：{{ case.case_no }}　第{{ session.number }}次调解
|时间：{{ session.time }}
|地点：{{ session.place|default:"—" }}　方式：{{ session.form }}
|调解员：{{ case.mediators|default:issuer.name }}　记录人：{{ session.recorder|default:issuer.name }}
{% for a in applicants %}|申请人：{{ a.name }}，公民身份号码：{{ a.id_number }}
{% endfor %}{% for r in respondents %}|被申请人：{{ r.name }}{% if r.legal_representative %}，法定代表人：{{ r.legal_representative }}{% endif %}
{% endfor %}#到场人员
{{ session.participants }}
#调解员告知
调解员告知当事人调解的性质、原则和效力以及当事人的权利义务，当事人表示已听清，不申请调解员回避。
#当事人陈述与争议焦点
{{ session.points_in_dispute }}
#调解方案与各方意见
{{ session.proposals|default:"—" }}
#本次结果与下一步
{{ session.result|default:"—" }}
|以上笔录已交当事人阅看（或已向其宣读），确认无误。
~申请人（签名）：
~被申请人（签名或盖章）：
~调解员（签名）：
~记录人（签名）：
>{{ session.held_on|cn_date }}
"""

AGREEMENT = HEAD + """=调解协议书
>{{ document.doc_no }}
|案号：{{ case.case_no }}
{% for a in applicants %}|申请人：{{ a.name }}{% if a.gender %}，{{ a.gender }}{% endif %}，公民身份号码：{{ a.id_number }}，联系电话：{{ a.phone }}
{% endfor %}{% for r in respondents %}|被申请人：{{ r.name }}{% if r.credit_code %}，统一社会信用代码：{{ r.credit_code }}{% endif %}{% if r.legal_representative %}，法定代表人：{{ r.legal_representative }}{% endif %}{% if r.address %}，住所：{{ r.address }}{% endif %}
{% endfor %}{% for g in agents %}|委托代理人：{{ g.name }}（{{ g.kind }}，代理{{ g.represents }}）
{% endfor %}#争议事项
{{ case.facts }}
{% for c in claims %}|{{ forloop.counter }}. {{ c.dispute_type }}·{{ c.subtype }}：请求{{ c.amount_claimed }}{% if c.amount_agreed %}，协议{{ c.amount_agreed }}{% endif %}
{% endfor %}#协议内容
经本会主持调解，双方当事人自愿达成如下协议：
{{ agreement.terms }}
|协议金额合计：{{ agreement.amount_total }}
{% if agreement.paid_on_spot %}|履行方式：被申请人于本协议签订时当场支付。
{% elif agreement.instalments %}#履行期限和方式
{% for i in agreement.instalments %}|第{{ i.number|cn_ordinal }}期：{{ i.due_on|cn_date }}前支付{{ i.amount }}
{% endfor %}{% endif %}{% if agreement.default_clause %}|违约责任：{{ agreement.default_clause }}
{% endif %}#协议效力与确认途径
本协议自双方当事人签名或盖章、调解员签名并加盖调解组织印章之日起生效，对双方当事人具有约束力，当事人应当履行。
{% if agreement.confirmation_code == "JUDICIAL" %}双方当事人同意自本协议生效之日起{{ confirmation.judicial_period }}内共同向{{ confirmation.court }}申请司法确认。{% elif agreement.confirmation_code == "ARBITRAL" %}双方当事人同意自本协议生效之日起{{ confirmation.arbitral_period }}内共同向{{ confirmation.arbitration }}申请仲裁审查确认。{% else %}确认途径：{{ agreement.confirmation_path }}。{% endif %}一方当事人在协议约定期限内不履行的，另一方当事人可以依法申请仲裁；符合法定条件的，可以依法向人民法院申请支付令。
|本协议一式三份，双方当事人各执一份，调解组织留存一份。
~申请人（签名）：
~被申请人（签名或盖章）：
~调解员（签名）：{{ case.lead_mediator }}
>{{ organisation.committee }}（印章）
>{{ agreement.signed_on|cn_date }}
"""

SERVICE_RECEIPT = HEAD + """=送达回证
|案号：{{ case.case_no }}
|送达文书：{{ served.title }}{% if served.doc_no %}（{{ served.doc_no }}）{% endif %}
|受送达人：{{ applicant_names }}；{{ respondent_names }}
|送达地点：
|送达方式：
|受送达人签名或盖章：
|签收日期：　　年　　月　　日
|代收人及代收理由：
|备注：
~送达人（签名）：{{ issuer.name }}
>{{ organisation.committee }}
>{{ document.date|cn_date }}
"""

CONFIRMATION_APPLICATION = """=司法确认申请书
{% for a in applicants %}|申请人：{{ a.name }}{% if a.gender %}，{{ a.gender }}{% endif %}，公民身份号码：{{ a.id_number }}，联系电话：{{ a.phone }}
{% endfor %}{% for r in respondents %}|申请人：{{ r.name }}{% if r.credit_code %}，统一社会信用代码：{{ r.credit_code }}{% endif %}{% if r.legal_representative %}，法定代表人：{{ r.legal_representative }}{% endif %}
{% endfor %}#请求事项
请求依法确认申请人之间于{{ agreement.signed_on|cn_date }}经{{ organisation.committee }}主持调解达成的调解协议（{{ case.case_no }}）有效。
#事实与理由
{{ case.facts }}
经{{ organisation.committee }}主持调解，申请人于{{ agreement.signed_on|cn_date }}自愿达成调解协议，协议金额合计{{ agreement.amount_total }}。协议内容如下：
{{ agreement.terms }}
{% for i in agreement.instalments %}|第{{ i.number|cn_ordinal }}期：{{ i.due_on|cn_date }}前支付{{ i.amount }}
{% endfor %}申请人均系出于解决纠纷的目的自愿达成协议，没有恶意串通、规避法律的行为；如因虚假调解协议申请司法确认而给他人造成损失，愿承担相应的法律责任。依照《中华人民共和国民事诉讼法》及《中华人民共和国人民调解法》的规定，申请人在调解协议生效之日起{{ confirmation.judicial_period }}内共同提出申请。
|此致
|{{ confirmation.court }}
|附：调解协议书、当事人身份证明、相关证据材料
~申请人（签名）：
~申请人（签名或盖章）：
>{{ document.date|cn_date }}
"""

TERMINATION_NOTICE = HEAD + """=调解终止告知书
>{{ document.doc_no }}
|{{ applicant_names }}：
你（们）与{{ respondent_names }}{{ case.dispute_types }}劳动争议一案（案号：{{ case.case_no }}），本会于{{ case.received_on|cn_date }}收到调解申请{% if case.accepted_on %}并于{{ case.accepted_on|cn_date }}受理{% endif %}。经调解，双方未能达成调解协议，本会决定终止调解。
|终止理由：{{ case.failure_reason }}
#告知事项
一、你（们）可以依法向{{ arbitration.commission }}申请劳动争议仲裁{% if arbitration.may_apply_from %}（自{{ arbitration.may_apply_from|cn_date }}起可以申请）{% endif %}。
二、劳动争议申请仲裁的时效期间为{{ arbitration.limitation }}，从{{ arbitration.limitation_start }}起计算；请注意在时效期间内提出仲裁申请。
三、依据：{{ arbitration.limitation_basis }}
{% if referrals %}#已移送事项
{% for r in referrals %}|{{ r.kind }}：{{ r.target }}（{{ r.status }}）
{% endfor %}{% endif %}>{{ organisation.committee }}
>{{ document.date|cn_date }}
~受告知人（签名）：
"""

CLOSING_REPORT = HEAD + """=结案报告
|案号：{{ case.case_no }}
|案由：{{ case.title }}
|申请人：{{ applicant_names }}（{{ case.workers_count }}人）
|被申请人：{{ respondent_names }}
|收件日期：{{ case.received_on|cn_date }}　受理日期：{{ case.accepted_on|cn_date|default:"—" }}　结案日期：{{ case.closed_on|cn_date }}
|承办调解员：{{ case.mediators|default:"—" }}
#案件基本情况
{{ case.facts }}
|请求金额合计：{{ case.amount_claimed }}
#调解经过
{% for s in sessions %}|第{{ s.number }}次（{{ s.time }}，{{ s.form }}）：{{ s.points_in_dispute }}{% if s.result %}；结果：{{ s.result }}{% endif %}
{% empty %}|未进行调解。
{% endfor %}#处理结果
|结案方式：{{ case.closing_code }}
{% if agreement %}|调解协议金额：{{ agreement.amount_total }}（{{ agreement.signed_on|cn_date }}签订；{{ agreement.confirmation_path }}）
{% endif %}{% if case.failure_reason %}|调解终止理由：{{ case.failure_reason }}
{% endif %}{% for r in referrals %}|{{ r.kind }}：{{ r.target }}，{{ r.status }}{% if r.result %}，{{ r.result }}{% endif %}
{% endfor %}{% for v in visits %}|回访（{{ v.visited_on|cn_date }}，{{ v.method }}）：{{ v.findings }}
{% endfor %}{% if case.closing_note %}|结案说明：{{ case.closing_note }}
{% endif %}~承办人（签名）：
~调解委员会主任审批意见：
>{{ organisation.committee }}
>{{ document.date|cn_date }}
"""

TEMPLATES = [
    ("ACCEPTANCE_NOTICE", "受理通知书（标准文本）", ACCEPTANCE_NOTICE),
    ("NON_ACCEPTANCE_NOTICE", "不予受理通知书（标准文本）", NON_ACCEPTANCE_NOTICE),
    ("SESSION_RECORD", "调解笔录（标准文本）", SESSION_RECORD),
    ("AGREEMENT", "调解协议书（标准文本）", AGREEMENT),
    ("SERVICE_RECEIPT", "送达回证（标准文本）", SERVICE_RECEIPT),
    ("CONFIRMATION_APPLICATION", "司法确认申请书（标准文本）", CONFIRMATION_APPLICATION),
    ("TERMINATION_NOTICE", "调解终止告知书（标准文本）", TERMINATION_NOTICE),
    ("CLOSING_REPORT", "结案报告（标准文本）", CLOSING_REPORT),
]


def seed(apps, schema_editor):
    Template = apps.get_model("cases", "CaseDocumentTemplate")
    for kind, name, source in TEMPLATES:
        Template.objects.get_or_create(kind=kind, defaults={"name": name, "source": source})


def unseed(apps, schema_editor):
    apps.get_model("cases", "CaseDocumentTemplate").objects.filter(kind__in=[t[0] for t in TEMPLATES]).delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_docs_case_documents")]

    operations = [migrations.RunPython(seed, unseed)]
