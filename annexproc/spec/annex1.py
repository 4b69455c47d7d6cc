"""附件1-1 and 附件1-2 as data: what the source document's template shows (see native-layout.md)."""
from __future__ import annotations

from .model import (Annex1Spec, Annex12Spec, DistrictBlock, Header, Indicator, Measure, Target,
                    TargetBlock)

PCT = Header("百分比", ("完成百分比", "完成率", "百分比(%)", "百分比（%）"))
DONE = Header("完成量", ("完成数", "完成情况", "实际完成", "完成数量"))
AGREE_COUNT = Header("协议个数", ("协议量", "协议数", "协议数量"))
AGREE_TIMES = Header("协议次数", ("协议量", "协议场次", "协议数"))
AGREE_PEOPLE = Header("协议人次", ("协议服务人次",))
AGREE_SESSIONS = Header("协议节数", ("协议节次",))


def _m(key, label, agree, done=DONE, unit=None):
    return Measure(key, label, agree, done, PCT, unit)


COMMENT_AGREE = "严格按照协议指标要求填写指标数据，如领域无此部分指标，则填写“/”。"
COMMENT_PCT = "1、已设置好计算公式，如无特殊情况，请勿改动此栏。\n2、如领域无此部分指标，则填“/”。"
COMMENT_DISTRICT = "原则上每个村（居）设置1个社工点，3个村（居）社工点设1个服务片区。"
COMMENT_STAFF = ("原则上，每个服务片区投入3名社工组成1个服务小组，每个服务小组服务1个片区。另外，不能重复计算"
                 "投入社工人数，每1名社工只能计入1个或2个服务片区。如有社工兼任数个服务片区，投入社工人数的算法"
                 "可以分成两种：\n1、只在其中1个服务片区计算投入1人；\n2、将1人分别统计为2个0.5人，在兼任2个片区"
                 "分别计算投入0.5人。")
COMMENT_JOINT = "如出现多个片区合作举办的大型活动，不能重复计算，只能计入单个片区。"

DISTRICT = Header("服务片区", ("片区", "服务区域"))
STAFF = Header("投入社工人数", ("投入社工数", "社工人数", "投入人数"))


def _activity(key, title, variants=(), agreement=True, comment=None, ledger=None):
    return Indicator(key, Header(title, variants), (
        _m(f"{key}.times", "次数", AGREE_TIMES, unit="count"),
        _m(f"{key}.people", "人次", AGREE_PEOPLE, unit="people"),
    ), comment=comment, agreement=agreement, ledger_type=ledger or title)


BLOCK1 = DistrictBlock("services", DISTRICT, STAFF, (
    Indicator("filing", Header("困难群众和特殊群体建档", ("困难群众和特殊群体建档数", "建档")), (
        _m("filing.count", "建档数", AGREE_COUNT),)),
    Indicator("hotline", Header("红棉热线服务次数", ("红棉热线服务", "红棉热线")), (
        _m("hotline.count", "次数", Header("协议量", ("协议次数", "协议数"))),)),
    Indicator("visit", Header("家庭探视服务户数", ("家庭探视服务", "家庭探视")), (
        _m("visit.count", "户数", Header("协议量", ("协议户数", "协议数"))),)),
    Indicator("case", Header("专业个案", ("个案",)), (
        _m("case.intake", "接案数", Header("协议接案数", ("协议接案", "协议个案数")),
           Header("接案完成数", ("完成量", "接案数"))),
        _m("case.sessions", "节数", AGREE_SESSIONS),
        _m("case.closed", "结案数", Header("协议结案数", ("协议结案",))),
    ), ledger_type="个案"),
    Indicator("group", Header("专业小组", ("小组",)), (
        _m("group.count", "个数", AGREE_COUNT, unit="count"),
        _m("group.sessions", "节数", AGREE_SESSIONS),
        _m("group.people", "人次", AGREE_PEOPLE, unit="people"),
    ), ledger_type="小组"),
), district_comment=COMMENT_DISTRICT, staff_comment=COMMENT_STAFF)

BLOCK2 = DistrictBlock("activities", DISTRICT, STAFF, (
    _activity("large", "大型社区活动", ("大型活动",), comment=COMMENT_JOINT),
    _activity("medium", "中型社区活动", ("中型活动",)),
    _activity("policy", "政策宣传", ("政策宣传活动",)),
    _activity("small", "小型社区活动", ("小型活动",), agreement=False),
), district_comment=COMMENT_DISTRICT, staff_comment=COMMENT_STAFF)

FIVE = "五社联动"
VOLUNTEER = "志愿者"
PUBLIC = "社区公共问题"

BLOCK3 = TargetBlock(
    "five_social", Header(FIVE, ("五社联动指标",)),
    Header("协议内容", ("指标内容", "内容")), Header("指标要求", ("协议要求", "协议量")),
    Header("完成量", ("完成情况", "完成数")), PCT,
    (
        Target("five.charity", Header("党建引领慈善活动"), FIVE),
        Target("five.needs", Header("摸查需求"), FIVE),
        Target("five.org", Header("社区社会组织培育"), FIVE),
        Target("five.brand", Header("五社联动品牌项目"), FIVE),
        Target("five.meeting", Header("协调购买方及社区居委会沟通会议", ("协调购买方及社区居委会沟通会",)), FIVE),
        Target("vol.backbone", Header("培育社区骨干"), VOLUNTEER),
        Target("vol.teams", Header("发展志愿者团体"), VOLUNTEER),
        Target("vol.people", Header("发展个人志愿者"), VOLUNTEER),
        Target("vol.active", Header("活跃志愿者团队"), VOLUNTEER),
        Target("public.issues", Header("协助街道介入和解决的社区公共问题"), PUBLIC),
    ),
    groups=(FIVE, VOLUNTEER, PUBLIC),
)

#: Figures the station states in words in block 3's sentence cell (documented in the seed).
SENTENCE = (
    ("registered_population", r"户籍人口[（(]?\s*([\d.]+)\s*万"),
    ("filed_households", r"建档总户数\s*([\d]+)\s*户"),
    ("filed_people", r"建档人数\s*([\d]+)\s*人"),
    ("visit_people_times", r"入户探访总人数\s*([\d]+)\s*人次"),
    ("visit_people", r"服务总人数\s*([\d]+)\s*人"),
    ("served_people_times", r"共服务社区居民\s*([\d]+)\s*人次"),
)

ANNEX1_1 = Annex1Spec(
    title_template="广州市{station}购买服务项目指标完成情况统计表",
    sheet_name="附件1-1",
    sheet_names=("附件1-1", "附件1", "附件一", "附件1－1", "指标完成情况", "指标完成情况统计表"),
    blocks=(BLOCK1, BLOCK2),
    target_block=BLOCK3,
    sentence_keys=SENTENCE,
    pct_comment=COMMENT_PCT,
    agree_comment=COMMENT_AGREE,
)

ANNEX1_2 = Annex12Spec(
    sheet_name="附件1-2",
    sheet_names=("附件1-2", "附件1－2", "附件一（2）", "指标完成情况2"),
    title_template="广州市{station}购买服务项目指标完成情况统计表",
    target_header=Header("指标要求", ("协议要求", "协议量")),
    done_header=Header("完成情况", ("完成量", "完成数")),
    pct_header=Header("完成百分比", ("百分比", "完成率")),
    targets=(
        Target("typical_cases", Header("典型案例（个）", ("典型案例(个)", "典型案例"))),
        Target("training_hours", Header("专业培训（小时）", ("专业培训(小时)", "专业培训"))),
        Target("meetings", Header("项目会议（次）", ("项目会议(次)", "项目会议"))),
        Target("evaluations", Header("项目评估（次）", ("项目评估(次)", "项目评估"))),
        Target("newsletter", Header("半年刊制作及派发（次）", ("半年刊制作及派发(次)", "半年刊制作及派发", "半年刊"))),
    ),
)
