"""The seed station's annexes as data, read off the seed's text (names invented, numbers the seed's own).

Written for tests/foreign/build_foreign.py, independently of annexproc's spec: every row and label is
in the order the seed's text prints it. Names are those of samples/build_sample.py (invented; the
report's real names never enter the repository).
"""
from __future__ import annotations

STATION = "逢源街社工站"
TITLE = f"广州市{STATION}购买服务项目指标完成情况统计表"
COMMENT_AUTHOR = "逢源街社工服务站"

#: Invented names, one per worker of the seed's 附件2, in its order (序号 1 … 22): as samples/build_sample.py.
NAMES = ["林思远", "周建华", "郑美玲", "许嘉欣", "冯婉清", "韩晓彤", "曾丽娟", "罗秀梅", "卢碧云", "萧慧敏",
         "程雅琪", "袁诗琪", "邱梓晴", "潘若彤", "董雨桐", "钟安琪", "戴雪莹", "方嘉怡", "江晓琳", "石晴雯",
         "龙月华", "田可欣"]
N = dict(enumerate(NAMES, start=1))

DISTRICTS = ["片区1", "片区2", "片区3"]
STAFF = [6, 5, 5]

# 附件1-1 block 1: (group title, [(leaf title of 协议, leaf title of 完成量, [(协议, 完成量) per district])]).
BLOCK1 = [
    ("困难群众和特殊群体建档", [("协议个数", "完成量", [(600, 765), (600, 738), (600, 682)])]),
    ("红棉热线服务次数", [("协议量", "完成量", [(2400, 1965), (2300, 1754), (2300, 3033)])]),
    ("家庭探视服务户数", [("协议量", "完成量", [(250, 188), (200, 223), (250, 343)])]),
    ("专业个案", [("协议接案数", "接案完成数", [(36, 21), (31, 18), (33, 24)]),
                 ("协议节数", "完成量", [(108, 116), (93, 100), (99, 139)]),
                 ("协议结案数", "完成量", [(24, 18), (24, 19), (24, 17)])]),
    ("专业小组", [("协议个数", "完成量", [(12, 10), (10, 6), (13, 10)]),
                 ("协议节数", "完成量", [(60, 49), (50, 31), (65, 47)]),
                 ("协议人次", "完成量", [(480, 366), (400, 233), (520, 398)])]),
]
# Block 2: 小型社区活动 has no agreement in this station ('/').
BLOCK2 = [
    ("大型社区活动", [("协议次数", "完成量", [(3, 3), (2, 3), (3, 4)]),
                    ("协议人次", "完成量", [(300, 300), (200, 336), (300, 1121)])]),
    ("中型社区活动", [("协议次数", "完成量", [(2, 1), (2, 2), (2, 2)]),
                    ("协议人次", "完成量", [(100, 80), (100, 148), (100, 110)])]),
    ("政策宣传", [("协议次数", "完成量", [(24, 12), (24, 17), (24, 23)]),
                 ("协议人次", "完成量", [(105, 541), (480, 551), (480, 694)])]),
    ("小型社区活动", [("协议次数", "完成量", [("/", 4), ("/", 13), ("/", 5)]),
                    ("协议人次", "完成量", [("/", 80), ("/", 277), ("/", 109)])]),
]

# Block 3: three side-by-side groups of five data rows; a group may have a category label (merged down
# its first column, items one column to its right). None = an empty row in that group, as the seed shows.
BLOCK3 = [
    ("五社联动", [("党建引领慈善活动", 4, 4), ("摸查需求", 12, 12), ("社区社会组织培育", 1, 1),
               ("五社联动品牌项目", 3, 3), ("协调购买方及社区居委会沟通会议", 4, 4)]),
    ("志愿者", [("培育社区骨干", 20, 23), None, ("发展志愿者团体", 2, 2), ("发展个人志愿者", 50, 67),
             ("活跃志愿者团队", 10, 12)]),
    (None, [None, None, None, ("协助街道介入和解决的社区公共问题", 2, 2), None]),
]
SENTENCE = ("所在街道/镇户籍人口（6万人），评估末月社工站为困难群众和特殊群体建档总户数1800户，建档人数1800人；"
            "评估期内入户探访总人数 754人次，服务总人数1021人；通过社工专业服务共服务社区居民 16914人次。")

# 附件1-2: five small blocks stacked one under another, as the seed's text prints them.
ANNEX12 = [("典型案例（个）", 6, 5), ("专业培训（小时）", 1440, 1419.5), ("项目会议（次）", 12, 8),
           ("项目评估（次）", 2, 0), ("半年刊制作及派发（次）", 2, 1)]

# The template's own comments (documented in the seed); the authors are invented.
TPL_AUTHOR_A, TPL_AUTHOR_B = "Admin", "Lenovo"
C_DISTRICT = "原则上每个村（居）设置1个社工点，3个村（居）社工点设1个服务片区。"
C_STAFF = ("原则上，每个服务片区投入3名社工组成1个服务小组，每个服务小组服务1个片区。另外，不能重复计算投入社工人数，"
           "每1名社工只能计入1个或2个服务片区。如有社工兼任数个服务片区，投入社工人数的算法可以分成两种：\n"
           "1、只在其中1个服务片区计算投入1人；\n2、将1人分别统计为2个0.5人，在兼任2个片区分别计算投入0.5人。")
C_AGREEMENT = "严格按照协议指标要求填写指标数据，如领域无此部分指标，则填写“/”。"
C_PERCENT = "1、已设置好计算公式，如无特殊情况，请勿改动此栏。\n\n2、如领域无此部分指标，则填“/”。"
C_LARGE = "如出现多个片区合作举办的大型活动，不能重复计算，只能计入单个片区。"


def _names(*seq):
    return COMMENT_AUTHOR + "\n" + " ".join(N[i] for i in seq)


# The station's comments on 投入社工人数: block 1's lists, then block 2's (片区1 of block 2 still names
# 序号19, who left in October, instead of 序号22, as the seed's does: a real slip of the seed).
STAFF_COMMENTS_1 = [_names(4, 7, 13, 14, 21, 22), _names(6, 12, 11, 15, 16), _names(3, 9, 20, 8, 17)]
STAFF_COMMENTS_2 = [_names(4, 7, 13, 19, 14, 21), _names(6, 12, 11, 15, 16), _names(3, 9, 20, 8, 17)]
# The station's comment on the sentence, as the seed has it (its mis-subtractions included).
SENTENCE_COMMENT = COMMENT_AUTHOR + """:

电访 6752
探访 88+155+233+98+175+111+70+91=1021
个案 355
小组 997
活动 4347
进室人次 3442

202401 14016-12708=1308
202402 19900-14016=5884
202403 21245-19900=1345
202405 1774
202406 3960-1774=2186
202407 6041-2186=3855
202408 8485-6041=2417
202409 10281-8485=1796
202410 13142-10281=2861
202411 14071-13142=929
202412 16862-14071=2791

建档人数：
第一：666
第二：615
第三：606"""
CASES_COMMENT = (COMMENT_AUTHOR + f"\n202406 {N[18]}\n202408 {N[16]}\n202411 {N[4]}\n202501 {N[2]}\n"
                 f"202501 {N[2]}（入第二片区）")

# 附件2
AGREEMENT_LINE = "年度服务协议时间：2024年5月1日至2025年4月30日"
MONTHS = [f"2024年{m}月" for m in range(5, 13)]
STABLE = "=18/20"
V, D, S = "v", "d", "seg"     # ticked in all three · '——' in all three · under a 【分段计算】 merge
FULL = [V] * 8
CERT_MID = "2024年6月16日考取助理社会工作师证"
UNCERT_QUAL = "已接受社会工作行业组织管理、培训且获得相关证书"

#: (序号, name, 职位, 岗位资格证/资质, 合同期限, months, 2-year subtotal, 备注) per section, in the seed's order.
CERTIFIED = [
    (1, N[1], "社工站副站长", "社会工作师", "2012.08.01-无固定期限", FULL, 8, "承接机构聘为管理岗位\n按女性55岁退休"),
    (2, N[2], "社工站副主任", "社会工作师", "2013.11.01-无固定期限", FULL, 8, None),
    (3, N[3], "第三片区主管", "社会工作师", "2011.01.01-无固定期限", FULL, 8, None),
    (4, N[4], "第一片区主管", "社会工作师", "2012.05.01-无固定期限", FULL, 8, None),
    (5, N[5], "党建服务社工", "社会工作师", "2012.07.01-无固定期限", FULL, 8, None),
    (6, N[6], "第二片区主管", "社会工作师", "2019.02.18-无固定期限", FULL, 8, None),
    (7, N[7], "第一片区社工", "社会工作师", "2018.07.01-无固定期限", FULL, 8, "2023年12月6日至2024年6月30日休产假"),
    (8, N[8], "第三片区社工", "社会工作师", "2024.04.29-2027.04.30", FULL, 0, None),
    (9, N[9], "第三片区社工", "助理社会工作师", "2012.12.01-无固定期限", FULL, 8, None),
    (10, N[10], "党建服务社工", "助理社会工作师", "2013.10.01-无固定期限", FULL, 8, None),
    (11, N[11], "第二片区社工", "助理社会工作师", "2020.10.09-无固定期限", FULL, 8, "2024年6月24日至12月18日休产假"),
    (12, N[12], "第二片区社工", "助理社会工作师", "2024.07.08-2027.04.30", [D, D] + [V] * 6, 6, None),
    (13, N[13], "第一片区社工", "助理社会工作师", "2022.09.01-2025.08.31", FULL, 4, None),
    (14, N[14], "第一片区社工", "助理社会工作师", "2023.02.14-2026.02.28", [S, S] + [V] * 6, 0, CERT_MID),
    (15, N[15], "第二片区社工", "助理社会工作师", "2023.03.23-2026.03.31", [S, S] + [V] * 6, 0, CERT_MID),
    (16, N[16], "第二片区社工", "助理社会工作师", "2024.05.11-2027.04.30", [S, S] + [V] * 6, 0, CERT_MID),
    (17, N[17], "第三片区社工", "助理社会工作师", "2024.05.21-2027.04.30", [S, S] + [V] * 6, 0, CERT_MID),
    (18, N[18], "第二片区社工", "助理社会工作师", "2022.07.25-2025.07.31", [V] * 3 + [D] * 5, 3, "2024年7月31日离职"),
    (19, N[19], "第一片区社工", "助理社会工作师", "2024.03.04-2027.04.30", [S, S] + [V] * 4 + [D] * 2, 0,
     CERT_MID + "\n2024年10月29日离职"),
]
UNCERTIFIED = [
    ("同14", N[14], "第一片区社工", UNCERT_QUAL, "2023.02.14-2026.02.28", [V, V] + [S] * 6, 0, CERT_MID),
    ("同15", N[15], "第二片区社工", UNCERT_QUAL, "2023.03.23-2026.03.31", [V, V] + [S] * 6, 0, CERT_MID),
    ("同16", N[16], "第二片区社工", "社会工作专业", "2024.05.11-2027.04.30", [V, V] + [S] * 6, 0, CERT_MID),
    ("同17", N[17], "第三片区社工", "社会工作专业", "2024.05.21-2027.04.30", [0.5, V] + [S] * 6, 0,
     "入职当月计0.5人次，" + CERT_MID),
    ("同19", N[19], "第一片区社工", UNCERT_QUAL, "2024.03.04-2027.04.30", [V, V] + [S] * 4 + [D] * 2, 0, CERT_MID),
    (20, N[20], "第三片区社工", UNCERT_QUAL, "2014.12.01-无固定期限", FULL, 8, None),
    (21, N[21], "第一片区社工", UNCERT_QUAL, "2018.04.16-无固定期限", FULL, 8, None),
    (22, N[22], "第一片区社工", UNCERT_QUAL, "2024.11.04-2027.04.30", [D] * 6 + [V] * 2, 0, None),
]

#: The staffing figures the seed's report states (the evaluators' recomputation).
FIGURES = {"certified_person_months": 133, "uncertified_person_months": 27.5, "total_person_months": 160.5,
           "two_year_person_months": 109, "two_year_share": 109 / 160.5, "required_person_months": 160,
           "required_certified_person_months": 96, "stable_rate": 0.9}
