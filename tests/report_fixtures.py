"""Written evaluation reports for the report tests: the source report's data paragraphs, as .docx, .pdf, .txt.

The paragraphs are the source report's own (``shared/seeds``), line by line as its PDF broke them: the
staffing paragraph, 服务指标完成情况, a paragraph of 片区三's section, and one whose figures name no
annex indicator. They name no person. ``plant`` swaps figures for typos; ``BREAK`` marks where a line
breaks inside a figure ('17' / '57'): a soft line break in the .docx (so in the PDF too), a new line
in the .txt.
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

BREAK = "¦"

#: (paragraph lines, as the source report's PDF broke them); a heading is a paragraph of one line.
PARAGRAPHS = [
    ["社工站本年度协议期为 2024 年 5 月 1 日至 2025 年 4 月 30",
     "日，中期评估周期为 2024 年 5 月 1 日至 2024 年 12 月 31 日，",
     "计 8 个考核月份。"],
    ["1.社工站能够按照《广州市社工服务站管理办法》有关规定",
     "和购买项目协议有关要求配备人员。在人员到岗方面，协议要",
     "求本年度配备持证社工比例应不低于五分之三，评估期持证社",
     "工应配备不少于 96 人次，实到岗 133 次，超配 37 人次；社工",
     "（含持证社工及非持证社工）应到岗 160 人次，实到岗 160.5 人",
     "次，超配 0.5 人次。在人员资质方面，截至评估末月，团队共配",
     "备中级社工师 8 名、助理级社工师 9 名及非持证社工 3 名，共",
     "计 20名社工。其中，非持证社工均能按要求接受社会工作行业",
     "组织管理、培训且取得相关培训证书。本评估期内，共有 18 名",
     " 社工持续稳定在岗，稳岗率为 90%。服务团队中拥有 2 年以上",
     "从业经验的社工实到 109 人次，占社工站社工实到人次的",
     "67.91%。以上各项在评估期内均符合评估指标体系及服务协议",
     "的要求，落实情况良好。"],
    ["2.服务指标完成情况"],
    ["评估期末月，社工站投入符合资质的社工 20 名。本年度完",
     "成困难群众和特殊群体建档 2185 个，红棉热线服务 6752 次，",
     "家庭探视服务 754 户，分别完成协议指标量的 121.39%，96.46%，",
     "107.71%；个案接案 63 个，开展 355节，结案 54个，分别完成",
     "协议指标量的 63.00%，118.33%，75.00%；完成小组 26个，开",
     "展 127 节，服务人次 997 人次，分别完成协议指标量的 74.29%，",
     "72.57%，71.21%；完成大型社区活动 10 个，服务人次 17" + BREAK + "57 人，",
     "完成协议指标量的 125.00%，219.63%；完成中型社区活动 5 个，",
     "服务人次 338 人，完成协议指标量的 83.33%，112.67%；完成小",
     "型社区活动 22 个，服务人次 466 人。（以上数据统计共计 8 个",
     "考核月份，由社工服务站提供，各片区指标完成情况见附件 1）"],
    ["3.片区三社工点服务情况"],
    ["（2）各项服务指标完成情况较好，取得了一定的服务成效。",
     "片区三现有华贵社区等 4 个社工点，共配备了 5 位社工，其中",
     "社会工作师 2 人，助理社会工作师 2 人，非持证社工 1 人。团",
     "队整体持证率较高，且有 3 位专业社工在逢源街服务 10 多年，",
     "非常熟悉社区情况，与片区内服务对象建立了良好的专业关系。",
     "服务中能够重视社会工作角色和作用的发挥，重点开展了针对",
     "困难长者的心理疏导和家庭支持系统建立等专业服务。节假日",
     "开展在册困难群众和特殊群体的入户探访（电访）覆盖率达",
     "100%，提升了服务对象的幸福感。本评估期，完成电访 3033 人",
     "次、入户探访 343 人次，开展个案 24 个、小组 10 个、开展兜",
     "底民生社会救助政策宣传 23 场。"],
    ["（4）社工站开展“红棉守护”热线服务，目前社工站共设置了",
     " 22条“红棉守护”热线服务，其中 20 条是社工手机，2 条是社",
     "工站电话。每天安排 2 名社工在线上值班，保证平时和紧急均",
     " 24 小时畅通。社工把“红棉守护”热线和电访工作相结合。本",
     "评估期内“红棉守护”热线电话呼入和呼出共计 7067 次。"],
]

#: The figures of the faithful paragraphs that name an annex figure, and agree with the sample: 45 of the two
#: data paragraphs (the period's 8 months counted twice) and 6 of 片区三's paragraph.
AGREEING = 45 + 6


def averaged_total(path: Path) -> Path:
    """The sample with one error behind a figure the reports quote: 附件1-1 H8, the 合计 hotline rate, the
    average of the districts' (=AVERAGE(H5:H7), 96.67%) instead of 6752 ÷ 7000 (96.46%): A108 there, nothing else."""
    import sys
    sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
    import build_annex2
    return Path(build_annex2.edit(build_annex2._set("附件1-1", "H8", "=AVERAGE(H5:H7)", 0.9666847826086956))(str(path)))


def plant(paragraphs, *swaps: tuple[int, str, str]) -> list[list[str]]:
    """A copy with ``old`` replaced by ``new`` in paragraph ``i`` (0-based; exactly one occurrence)."""
    out = [list(p) for p in paragraphs]
    for i, old, new in swaps:
        text = "\n".join(out[i])
        assert text.count(old) == 1, (i, old)
        out[i] = text.replace(old, new).split("\n")
    return out


def write_txt(paragraphs, path: Path) -> Path:
    """As the source report's text was extracted: every line followed by a blank line; at BREAK the line
    ends inside the figure and the rest of it opens the next line (as a PDF's full line would)."""
    lines, carry = [], ""
    for p in paragraphs:
        for line in p:
            head, sep, tail = (carry + line).partition(BREAK)
            lines.append(head)
            carry = tail if sep else ""
    assert not carry
    path.write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_docx(paragraphs, path: Path, page_break_before: int | None = None) -> Path:
    """One Word paragraph per paragraph (its lines joined); a soft line break where BREAK is."""
    from docx import Document
    doc = Document()
    for i, p in enumerate(paragraphs):
        para = doc.add_paragraph()
        if i == page_break_before:
            para.paragraph_format.page_break_before = True
        parts = "".join(line.strip() for line in p).split(BREAK)
        for j, part in enumerate(parts):
            run = para.add_run(part)
            if j < len(parts) - 1:
                run.add_break()
    doc.save(path)
    return path


def to_pdf(docx: Path, outdir: Path) -> Path:
    """The .docx printed to PDF by LibreOffice Writer (a private profile); skips where Writer is absent."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    profile = Path(tempfile.mkdtemp(prefix="annexproc-writer-"))
    try:
        subprocess.run([exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(outdir), str(docx)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       timeout=180, check=False)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    pdf = outdir / (docx.stem + ".pdf")
    if not pdf.exists():
        pytest.skip("LibreOffice Writer is not installed (libreoffice-writer-nogui)")
    return pdf
