"""Generate realistic fictional typical cases in the schema of shared/data/typical_cases.json.

Titles follow DOMAIN §5.7 (地区 + subject + dispute + method + 案); texts combine
case facts, what each agency did and the lesson, 200–320 characters, with the
mix of dispute types, outcomes, channels and Ankang places of DOMAIN §6.1.
Deterministic for a seed.

    .venv/bin/python bench/generate_typical_cases.py 100000 > /tmp/cases.json
"""

from __future__ import annotations

import json
import random
import sys
from collections.abc import Iterator

COUNTIES = ["汉滨区", "汉阴县", "石泉县", "宁陕县", "紫阳县", "岚皋县", "平利县", "镇坪县", "旬阳市", "白河县"]
TOWNS = ["城关镇", "江北街道", "大河镇", "恒口镇", "涧池镇", "蜀河镇", "茶镇", "漩涡镇", "池河镇", "双安镇", "洞河镇",
         "曾家镇", "城关街道", "新城街道", "长安镇", "关庙镇"]
WORKPLACES = [
    ("建筑工地", "建筑"), ("安置小区项目", "建筑"), ("公路养护工程", "建筑"), ("社区工厂", "社区工厂"),
    ("毛绒玩具厂", "社区工厂"), ("假发加工厂", "社区工厂"), ("电子元件厂", "社区工厂"), ("富硒茶园", "茶叶"),
    ("茶叶加工企业", "茶叶"), ("绞股蓝饮品企业", "茶叶"), ("铅锌矿", "采矿"), ("石材厂", "采矿"), ("硫铁矿", "采矿"),
    ("水电站", "电力"), ("物流公司", "物流"), ("快递网点", "物流"), ("客运公司", "物流"), ("连锁超市", "零售"),
    ("餐馆", "餐饮"), ("景区酒店", "餐饮"), ("民宿", "餐饮"), ("物业公司", "物业"), ("足浴店", "居民服务"),
    ("家政公司", "居民服务"), ("中药材合作社", "农业"), ("魔芋加工厂", "农业"), ("丝绸厂", "制造"), ("化工企业", "制造"),
]
SUBJECTS = {
    "建筑": ["农民工", "钢筋工", "架子工", "木工", "小工"], "社区工厂": ["女工", "缝纫工", "计件工人", "留守妇女"],
    "茶叶": ["采茶工", "制茶工", "季节工"], "采矿": ["井下矿工", "矿工", "爆破工"], "电力": ["检修工", "临时工", "值班员"],
    "物流": ["快递员", "快递小哥", "驾驶员", "网约货车司机", "外卖配送员"], "零售": ["收银员", "理货员", "导购"],
    "餐饮": ["服务员", "厨师", "保洁员"], "物业": ["保安", "保洁员", "电工"], "居民服务": ["修脚技师", "家政服务员", "按摩师"],
    "农业": ["雇工", "采摘工", "超龄务工人员"], "制造": ["女工", "操作工", "职工"],
}
TYPES = [("欠薪", 10), ("工伤", 6), ("经济补偿", 4), ("劳动合同", 4), ("加班费", 3), ("社保", 3)]
DISPUTE_PHRASES = {
    "欠薪": ["欠薪", "工资拖欠", "讨薪", "劳动报酬", "计件工资拖欠", "派费被拖欠"],
    "工伤": ["工伤待遇", "高处坠落伤残赔偿", "工亡待遇", "职业病待遇", "摔伤赔偿", "尘肺病待遇"],
    "经济补偿": ["经济补偿", "关停解除经济补偿", "搬迁集体解除补偿", "违法解除赔偿金", "被辞退经济补偿"],
    "劳动合同": ["未签书面劳动合同二倍工资", "确认劳动关系", "劳务派遣退回争议", "试用期违法解除", "扣押证件"],
    "加班费": ["加班费", "超时加班", "延时加班费", "节假日加班工资"],
    "社保": ["补缴社会保险", "少缴社保", "未缴养老保险待遇损失", "未参保医疗费赔偿"],
}
OUTCOMES = [  # (label, weight, agencies added, method phrase)
    ("调解成功·当场履行", 8, [], ["调解", "现场调解", "联合调解"]),
    ("调解成功·司法确认", 6, ["法院"], ["调解及司法确认", "诉前调解", "法院委派调解"]),
    ("调解成功·仲裁审查确认", 5, ["仲裁委"], ["裁前调解", "仲裁审查确认"]),
    ("调解成功·申请支付令", 2, ["法院"], ["申请支付令"]),
    ("调解成功·分期履行", 2, [], ["分期履行调解"]),
    ("调解不成·诉讼（检察院支持起诉）", 2, ["检察院"], ["检察院支持起诉", "检察支持起诉"]),
    ("一函两书·企业整改", 2, ["劳动监察"], ["“一函两书”监督", "提示函督促整改"]),
    ("调解不成·转仲裁", 1, ["仲裁委"], ["调解不成转仲裁"]),
    ("调解不成·诉讼（法律援助）", 1, ["司法局"], ["法律援助诉讼"]),
    ("移送劳动监察·责令整改", 1, ["劳动监察", "人社局"], ["移送劳动监察"]),
]
CHANNELS = [("来访", 9), ("12351热线", 8), ("工会排查", 5), ("法院委派", 3), ("仲裁委转交", 3), ("劳动监察转交", 1),
            ("检察院移送", 1)]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
FACTS = {
    "欠薪": ["{when}，{place}{org}以{excuse}为由，拖欠{n}名{who}工资{amount}。{worker}等人多次讨要未果。",
             "{org}负责人失联，{n}名{who}的劳动报酬{amount}无人支付，临近春节，工人情绪激动。",
             "{who}{worker}等{n}人在{org}务工，约定按月结算，实际{months}个月未发工资，合计{amount}。"],
    "工伤": ["{who}{worker}在{org}作业时{accident}，经人社局认定为工伤，伤残等级{grade}级，企业拒绝支付{items}。",
             "{org}{who}{worker}{accident}，因企业未缴纳工伤保险，{items}等{amount}由谁承担引发争议。",
             "{n}名{who}在{org}长期接触粉尘，被诊断为职业病，企业已停产，{items}无着落。"],
    "经济补偿": ["{org}因{closure}，与{n}名{who}解除劳动合同，仅支付部分补偿，职工要求按工作年限足额支付经济补偿{amount}。",
              "{who}{worker}在{org}工作{years}年，被口头辞退，要求支付违法解除赔偿金{amount}。"],
    "劳动合同": ["{who}{worker}入职{org}{months}个月，未签订书面劳动合同，要求支付二倍工资差额{amount}。",
              "{org}与{who}{worker}之间是否存在劳动关系发生争议，平台称双方为合作关系，拒绝承担用工责任。",
              "{who}{worker}被劳务派遣单位退回后未安排工作，也未支付待岗期间工资。"],
    "加班费": ["{org}实行“做六休一”，{n}名{who}长期每天工作十小时以上，未足额支付加班费，合计{amount}。",
            "{who}{worker}在法定节假日和休息日加班，{org}以包薪制为由拒付加班工资{amount}。"],
    "社保": ["{org}未为{n}名{who}缴纳社会保险，职工要求补缴并赔偿医疗费损失{amount}。",
           "{org}长期按最低基数为{who}缴纳养老保险，职工临近退休发现待遇受损，要求赔偿{amount}。"],
}
HANDLING = {
    "工会": ["{level}总工会调解员核对考勤表、工资表和转账记录，约谈企业负责人。",
           "工会调解员到{org}现场核实情况，分别与双方背靠背沟通，释明法律后果。",
           "驻{place}调解工作室的调解员组织双方面对面调解，逐项核算{items}。"],
    "法院": ["双方共同向{court}申请司法确认，法院当日受理并出具确认裁定。", "法院委派工会先行调解，调解成功后由法院出具确认裁定。"],
    "检察院": ["检察院受理支持起诉申请，协助调取证据并出具支持起诉书。", "工会将线索移送检察院，检察院依法支持农民工起诉。"],
    "仲裁委": ["仲裁委征得双方同意转交工会调解室先行调解，达成协议后出具仲裁调解书。", "调解不成，工会协助职工向仲裁委申请仲裁。"],
    "劳动监察": ["劳动保障监察大队同步立案调查，责令企业限期整改。", "工会向人社部门发出建议书，监察大队依法督促整改。"],
    "司法局": ["司法局法律援助中心指派律师代理诉讼。", "人民调解员与工会调解员联合调解。"],
    "人社局": ["人社局完成工伤认定和劳动能力鉴定后，双方在此基础上协商。"],
}
EXTRA_FACTS = [
    "{worker}等人先后到{level}总工会和人社部门反映，并拨打12351热线求助。",
    "因涉及人数多、时间紧，当地党委政府高度重视，要求尽快化解。",
    "职工手中只有欠条和微信聊天记录，考勤和工资表由企业保管，举证困难。",
    "企业负责人称经营困难，只同意支付部分款项，双方分歧较大。",
    "部分职工系留守妇女和超龄务工人员，维权能力弱，担心丢掉工作不敢申请仲裁。",
    "{org}系个体工商户，没有建立工会，也未设立劳动争议调解委员会。",
]
EXTRA_HANDLING = [
    "调解员梳理争议焦点，依据《劳动合同法》《保障农民工工资支付条例》释法说理。",
    "为防止协议落空，调解协议约定了违约责任，并由总包单位提供担保。",
    "调解结束后工会开展回访，确认款项已全部到账。",
    "考虑到当事人在外地务工，调解员通过视频连线组织调解，全程录音录像。",
    "律师志愿者参与调解，帮助职工计算应得数额。",
]
SIGNIFICANCE = [
    "工会调解与行政执法、司法确认衔接，既快速兑现工资，又赋予协议强制执行力。",
    "新就业形态劳动关系认定难，裁前调解兼顾效率与效力。",
    "对失联老板欠薪，检察机关支持起诉解决了困难群体“不敢诉、不会诉”的问题。",
    "“一函两书”把监督关口前移，促使企业主动整改，从源头减少纠纷。",
    "社区工厂用工不规范，工会主动排查、上门调解，保障留守妇女就近就业权益。",
    "分期履行并约定违约责任，配合回访机制，确保协议真正落地。",
    "视频调解让在外地务工的职工不必往返奔波，降低维权成本。",
    "集体争议及时介入、依法处置，避免矛盾升级，维护了社会稳定。",
    "支付令程序简便快捷，对不履行调解协议的企业形成有效约束。",
    "工伤保险差额责任明确后，调解协议兼顾情理与法理。",
]


def _weighted(rng: random.Random, pairs):
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def _amount(rng: random.Random, n: int) -> int:
    return int(rng.lognormvariate(10.2, 0.9) * max(1, n ** 0.7)) // 100 * 100 + 1000


def _yuan(value: int) -> str:
    return f"{value / 10000:.1f}万元" if value >= 10000 else f"{value}元"


def generate(count: int, seed: int = 20261129) -> Iterator[dict]:
    rng = random.Random(seed)
    outcomes = [(o[0], o[1]) for o in OUTCOMES]
    by_label = {o[0]: o for o in OUTCOMES}
    for i in range(count):
        county = rng.choice(COUNTIES)
        dispute = _weighted(rng, TYPES)
        place, sector = rng.choice(WORKPLACES)
        who = rng.choice(SUBJECTS[sector])
        outcome = _weighted(rng, outcomes)
        _label, _w, extra_agencies, methods = by_label[outcome]
        n = rng.choice([1, 1, 1, 2, 3, 5, 8, 12, 26, 38, 47, 63, 86])
        amount = _amount(rng, n)
        year = rng.randint(2015, 2025)
        worker = rng.choice(SURNAMES) + "某"
        org = f"{rng.choice(['某', '', ''])}{place}"
        fields = dict(
            when=f"{year}年{rng.randint(1, 12)}月", place=f"{county}{rng.choice(TOWNS)}", org=org, who=who, n=n,
            amount=_yuan(amount), worker=worker, months=rng.randint(2, 14), years=rng.randint(2, 15),
            excuse=rng.choice(["工程款未结算", "资金周转困难", "发包方拖欠进度款", "订单减少"]),
            accident=rng.choice(["从高处坠落", "被机器压伤手指", "送餐途中摔伤", "搬运货物时扭伤腰部", "坠落身亡"]),
            grade=rng.randint(5, 10), items=rng.choice(["医疗费", "停工留薪期工资", "一次性伤残补助金", "工亡补助金"]),
            closure=rng.choice(["整体搬迁", "环保关停", "停产转型", "经营不善关闭"]),
            level=rng.choice(["区", "县", "市"]), court=f"{county}人民法院",
        )
        summary = rng.choice(FACTS[dispute]).format(**fields) + rng.choice(EXTRA_FACTS).format(**fields)
        agencies = ["工会", *extra_agencies]
        if rng.random() < 0.2:
            agencies.append(rng.choice(["司法局", "人社局", "劳动监察"]))
        agencies = list(dict.fromkeys(agencies))
        handling = "".join(rng.choice(HANDLING[a]).format(**fields) for a in agencies)
        handling += rng.choice(EXTRA_HANDLING)
        handling += rng.choice(["经{k}轮调解，双方达成协议，{pay}。", "双方签订调解协议，{pay}。"]).format(
            k=rng.randint(2, 4), pay=rng.choice(["款项当场付清", "约定分三期支付", "首期款当场发放", "企业按期履行完毕"]))
        significance = rng.choice(SIGNIFICANCE)
        dispute_phrase = rng.choice(DISPUTE_PHRASES[dispute])
        title = f"{county}{org}{f'{n}名' if n > 1 else ''}{who}{dispute_phrase}{rng.choice(methods)}案"
        yield {
            "title": f"{title}（{i + 1}）",
            "county": county, "year": year, "dispute_type": dispute, "agencies": agencies,
            "channel": _weighted(rng, CHANNELS), "outcome": outcome, "amount_yuan": amount, "workers_count": n,
            "summary": summary, "handling": handling, "significance": significance,
        }


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    out = sys.stdout
    out.write("[\n")
    for i, record in enumerate(generate(count)):
        out.write((",\n" if i else "") + json.dumps(record, ensure_ascii=False))
    out.write("\n]\n")


if __name__ == "__main__":
    main()
