"""Build samples/sample.xlsx: the station of the source document, every number from it, invented names.

Run: python samples/build_sample.py   (writes samples/sample.xlsx; see samples/README.md for sources)
The source is the mid-term evaluation report of 逢源街社工服务站 (period 2024-05 … 2024-12, 3 districts).
Names of people are invented: the report's real names must never enter this repository.
"""
from __future__ import annotations

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from annexproc.params import Params  # noqa: E402
from annexproc.template import FillData, Worker, write_workbook  # noqa: E402

S = "√"
D = "——"
G = "seg"          # covered by a 【分段计算】 merge: counted in the other section these months
CERT_MID = "2024年6月16日考取助理社会工作师证"

#: Invented names, one per worker of the report's 附件2, in its order (序号 1 … 22).
NAMES = ["林思远", "周建华", "郑美玲", "许嘉欣", "冯婉清", "韩晓彤", "曾丽娟", "罗秀梅", "卢碧云", "萧慧敏",
         "程雅琪", "袁诗琪", "邱梓晴", "潘若彤", "董雨桐", "钟安琪", "戴雪莹", "方嘉怡", "江晓琳", "石晴雯",
         "龙月华", "田可欣"]
N = dict(enumerate(NAMES, start=1))
UNCERT_QUAL = "已接受社会工作行业组织管理、培训且获得相关证书"


def workers() -> list[Worker]:
    full = [S] * 8
    w = [
        Worker("certified", "1", N[1], "社工站副站长", "社会工作师", "2012.08.01-无固定期限", full, 8,
               "承接机构聘为管理岗位\n按女性55岁退休"),
        Worker("certified", "2", N[2], "社工站副主任", "社会工作师", "2013.11.01-无固定期限", full, 8),
        Worker("certified", "3", N[3], "第三片区主管", "社会工作师", "2011.01.01-无固定期限", full, 8),
        Worker("certified", "4", N[4], "第一片区主管", "社会工作师", "2012.05.01-无固定期限", full, 8),
        Worker("certified", "5", N[5], "党建服务社工", "社会工作师", "2012.07.01-无固定期限", full, 8),
        Worker("certified", "6", N[6], "第二片区主管", "社会工作师", "2019.02.18-无固定期限", full, 8),
        Worker("certified", "7", N[7], "第一片区社工", "社会工作师", "2018.07.01-无固定期限", full, 8,
               "2023年12月6日至2024年6月30日休产假"),
        Worker("certified", "8", N[8], "第三片区社工", "社会工作师", "2024.04.29-2027.04.30", full, 0),
        Worker("certified", "9", N[9], "第三片区社工", "助理社会工作师", "2012.12.01-无固定期限", full, 8),
        Worker("certified", "10", N[10], "党建服务社工", "助理社会工作师", "2013.10.01-无固定期限", full, 8),
        Worker("certified", "11", N[11], "第二片区社工", "助理社会工作师", "2020.10.09-无固定期限", full, 8,
               "2024年6月24日至12月18日休产假"),
        Worker("certified", "12", N[12], "第二片区社工", "助理社会工作师", "2024.07.08-2027.04.30",
               [D, D] + [S] * 6, 6),
        Worker("certified", "13", N[13], "第一片区社工", "助理社会工作师", "2022.09.01-2025.08.31", full, 4),
        Worker("certified", "14", N[14], "第一片区社工", "助理社会工作师", "2023.02.14-2026.02.28",
               [G, G] + [S] * 6, 0, CERT_MID),
        Worker("certified", "15", N[15], "第二片区社工", "助理社会工作师", "2023.03.23-2026.03.31",
               [G, G] + [S] * 6, 0, CERT_MID),
        Worker("certified", "16", N[16], "第二片区社工", "助理社会工作师", "2024.05.11-2027.04.30",
               [G, G] + [S] * 6, 0, CERT_MID),
        Worker("certified", "17", N[17], "第三片区社工", "助理社会工作师", "2024.05.21-2027.04.30",
               [G, G] + [S] * 6, 0, CERT_MID),
        Worker("certified", "18", N[18], "第二片区社工", "助理社会工作师", "2022.07.25-2025.07.31",
               [S] * 3 + [D] * 5, 3, "2024年7月31日离职"),
        Worker("certified", "19", N[19], "第一片区社工", "助理社会工作师", "2024.03.04-2027.04.30",
               [G, G] + [S] * 4 + [D] * 2, 0, CERT_MID + "\n2024年10月29日离职"),
        Worker("uncertified", "同14", N[14], "第一片区社工", UNCERT_QUAL, "2023.02.14-2026.02.28",
               [S, S] + [G] * 6, 0, CERT_MID),
        Worker("uncertified", "同15", N[15], "第二片区社工", UNCERT_QUAL, "2023.03.23-2026.03.31",
               [S, S] + [G] * 6, 0, CERT_MID),
        Worker("uncertified", "同16", N[16], "第二片区社工", "社会工作专业", "2024.05.11-2027.04.30",
               [S, S] + [G] * 6, 0, CERT_MID),
        Worker("uncertified", "同17", N[17], "第三片区社工", "社会工作专业", "2024.05.21-2027.04.30",
               [0.5, S] + [G] * 6, 0, "入职当月计0.5人次，" + CERT_MID),
        Worker("uncertified", "同19", N[19], "第一片区社工", UNCERT_QUAL, "2024.03.04-2027.04.30",
               [S, S] + [G] * 4 + [D] * 2, 0, CERT_MID),
        Worker("uncertified", "20", N[20], "第三片区社工", UNCERT_QUAL, "2014.12.01-无固定期限", full, 8),
        Worker("uncertified", "21", N[21], "第一片区社工", UNCERT_QUAL, "2018.04.16-无固定期限", full, 8),
        Worker("uncertified", "22", N[22], "第一片区社工", UNCERT_QUAL, "2024.11.04-2027.04.30",
               [D] * 6 + [S] * 2, 0),
    ]
    return w


# 附件1-1 block 1 and 2: (协议, 完成量) per district, from the report's table.
DISTRICTS = ["片区1", "片区2", "片区3"]
TABLE = {
    "filing.count": [(600, 765), (600, 738), (600, 682)],
    "hotline.count": [(2400, 1965), (2300, 1754), (2300, 3033)],
    "visit.count": [(250, 188), (200, 223), (250, 343)],
    "case.intake": [(36, 21), (31, 18), (33, 24)],
    "case.sessions": [(108, 116), (93, 100), (99, 139)],
    "case.closed": [(24, 18), (24, 19), (24, 17)],
    "group.count": [(12, 10), (10, 6), (13, 10)],
    "group.sessions": [(60, 49), (50, 31), (65, 47)],
    "group.people": [(480, 366), (400, 233), (520, 398)],
    "large.times": [(3, 3), (2, 3), (3, 4)],
    "large.people": [(300, 300), (200, 336), (300, 1121)],
    "medium.times": [(2, 1), (2, 2), (2, 2)],
    "medium.people": [(100, 80), (100, 148), (100, 110)],
    "policy.times": [(24, 12), (24, 17), (24, 23)],
    "policy.people": [(105, 541), (480, 551), (480, 694)],
    "small.times": [("/", 4), ("/", 13), ("/", 5)],
    "small.people": [("/", 80), ("/", 277), ("/", 109)],
}
STAFF = {"片区1": 6, "片区2": 5, "片区3": 5}
TARGETS = {
    "five.charity": (4, 4), "five.needs": (12, 12), "five.org": (1, 1), "five.brand": (3, 3),
    "five.meeting": (4, 4), "vol.backbone": (20, 23), "vol.teams": (2, 2), "vol.people": (50, 67),
    "vol.active": (10, 12), "public.issues": (2, 2),
    "typical_cases": (6, 5), "training_hours": (1440, 1419.5), "meetings": (12, 8), "evaluations": (2, 0),
    "newsletter": (2, 1),
}
SENTENCE = ("所在街道/镇户籍人口（6万人），评估末月社工站为困难群众和特殊群体建档总户数1800户，建档人数1800人；"
            "评估期内入户探访总人数 754人次，服务总人数1021人；通过社工专业服务共服务社区居民 16914人次。")
# The station's own comment on the sentence, as the report shows it (hand arithmetic included, slips too).
SENTENCE_COMMENT = """逢源街社工服务站:

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


def _names(*seqs):
    return "逢源街社工服务站\n" + " ".join(N[i] for i in seqs)


COMMENTS = {
    # The station's worker lists per district on 投入社工人数 (block 1, then block 2 as the report has them;
    # block 2's list of 片区1 still names 序号19, who left in October, instead of 序号22 who joined in November).
    "staff:services:片区1": _names(4, 7, 13, 14, 21, 22),
    "staff:services:片区2": _names(6, 12, 11, 15, 16),
    "staff:services:片区3": _names(3, 9, 20, 8, 17),
    "staff:activities:片区1": _names(4, 7, 13, 19, 14, 21),
    "staff:activities:片区2": _names(6, 12, 11, 15, 16),
    "staff:activities:片区3": _names(3, 9, 20, 8, 17),
    "sentence": SENTENCE_COMMENT,
    "target:typical_cases": "逢源街社工服务站\n202406 " + N[18] + "\n202408 " + N[16] + "\n202411 " + N[4] +
                            "\n202501 " + N[2] + "\n202501 " + N[2] + "（入第二片区）",
}


def sample_params() -> Params:
    return Params(station="逢源街社工服务站", districts=DISTRICTS, start="2024-05", months=8,
                  agreed_headcount=20)


def sample_data() -> FillData:
    values = {(k, d): v for k, rows in TABLE.items() for d, v in zip(DISTRICTS, rows)}
    return FillData(staff=STAFF, values=values, targets=TARGETS, sentence=SENTENCE, workers=workers(),
                    stable_workers=18, comments=COMMENTS, comment_author="逢源街社工服务站")


def main(out: str | None = None) -> str:
    out = out or os.path.join(HERE, "sample.xlsx")
    return write_workbook(out, sample_params(), sample_data())


if __name__ == "__main__":
    print(main(sys.argv[1] if len(sys.argv) > 1 else None))
