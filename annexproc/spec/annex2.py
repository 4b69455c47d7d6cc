"""附件2 人员到岗情况 as data (see native-layout.md)."""
from __future__ import annotations

from .model import Annex2Spec, Header

PRESENT = Header("人员到位", ("到位", "人员到岗"))
INSURED = Header("社保购买", ("社保", "购买社保"))
PAID = Header("工资发放", ("工资", "发放工资"))

ANNEX2 = Annex2Spec(
    sheet_name="附件2",
    sheet_names=("附件2", "附件二", "人员到岗情况", "人员到岗"),
    agreement_template="年度服务协议时间：{start}至{end}",
    lead_columns=(
        Header("类型"), Header("序号", ("编号",)), Header("姓名"), Header("职位", ("岗位", "职务")),
        Header("岗位资格证/资质", ("岗位资格证", "资格证/资质", "资质", "岗位资格证／资质")),
        Header("合同期限", ("合同期", "劳动合同期限")),
    ),
    sub_columns=(PRESENT, INSURED, PAID),
    month_header="{y}年{m}月",
    row_total=Header("人员到岗小计", ("到岗小计", "人员到岗合计")),
    two_year=Header("符合从业2年以上的社工到岗小计", ("符合从业2年以上社工到岗小计", "从业2年以上社工到岗小计",
                                                "符合从业2年以上的社工到岗")),
    remarks=Header("备注"),
    sections=(("certified", Header("持证社工")), ("uncertified", Header("非持证社工"))),
    subtotal=Header("小计"),
    effective={"certified": Header("持证社工有效人次小计"), "uncertified": Header("非持证社工有效人次小计")},
    grand_total_label=Header("总计"),
    grand_rows=(
        Header("每月社保购买、工资发放、人员到岗等情况总计"),
        Header("社工有效人次小计（即持证社工及非持证社工有效人次总数）", ("社工有效人次小计",)),
        Header("社工站稳岗率（持续在岗社工数/协议要求在岗社工数*100%）", ("社工站稳岗率", "稳岗率")),
    ),
)
