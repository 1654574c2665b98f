"""The meeting brief (`kbo report summary`): its sections as HTML, and as a PDF read back with pdftotext.

The demo tells the story of a workshop and a follow-up meeting two months later; the brief of the
follow-up meeting must show who came, each district, the change since the workshop, the ranking, the pick,
each agency's open actions and one page per product; its PDF must number its pages, repeat its header and
wrap Thai only between words.
"""

from __future__ import annotations

import html
import itertools
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from kbo_cli.render.html import unhinted
from kbo_cli.render.linebreak import segments

from conftest import Invoke, ok

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
needs_pdf = pytest.mark.skipif(not (CHROMIUM and shutil.which("pdftotext")), reason="needs Chromium and pdftotext")


def test_the_brief_of_the_follow_up_meeting(demo: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "brief.html"
    r = ok(demo, "report", "summary", "--meeting", "2", "--out", str(out))
    assert "Brief written" in r.stderr
    page = html.unescape(unhinted(out.read_text(encoding="utf-8")))
    order = [
        "Meeting brief",
        "1. Attendance",
        "2. Districts at a glance",
        "3. Progress per producer group",
        "4. Candidates for the provincial pick",
        "5. The pick of round 2569",
        "6. Each agency's actions",
        "7. The products",
    ]
    positions = [page.find(heading) for heading in order]
    assert all(p >= 0 for p in positions) and positions == sorted(positions), list(zip(order, positions, strict=True))
    # printed after the meeting (22 Sep 2569): the cover says whose figures these are
    assert "Figures</td><td>as they stood when this was printed, after the meeting" in page
    assert "ประชุมติดตามความก้าวหน้าเครือข่าย KBO ครั้งที่ 1/2569" in page  # the cover
    assert "ห้องประชุมสำนักงานอธิการบดี มหาวิทยาลัยนครพนม" in page and "2026-09-22" in page
    assert "ผศ.ดร.ธนากร บุญมา" in page  # a person who attended
    assert "Change since the previous meeting (ประชุมเชิงปฏิบัติการเครือข่าย KBO จังหวัดนครพนม" in page
    assert "+9.1" in page  # NPM01 moved since the workshop
    assert "NPM12-01" in page and "NPM07-01 เป็นตัวแทนรอบ 2567 แล้ว" in page  # the pick and its reason
    assert "The committee's scores" in page and "(2/4)" in page  # beside the pick: NPM04-01 still pending
    assert "<svg" in page and "<script" not in page  # charts are inline SVG, no JavaScript
    assert page.count('class="product"') == 30  # one page per product
    assert "recommended: GAP (in progress), Organic Thailand" in page  # gaps folded per product
    assert "counter(page)" in page and "@top-left" in page  # page numbers and a repeated header


def test_sections_can_be_left_out_and_a_round_without_pick_says_so(demo: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "brief.html"
    ok(
        demo,
        "report",
        "summary",
        "--meeting",
        "1",
        "--out",
        str(out),
        "--leave-out",
        "products",
        "--leave-out",
        "agencies",
    )
    page = html.unescape(unhinted(out.read_text(encoding="utf-8")))
    assert 'class="product"' not in page and "Each agency's actions" not in page
    assert "There is no earlier meeting to compare with" in page  # the workshop was the first meeting
    out2 = tmp_path / "brief2.html"
    ok(demo, "report", "summary", "--out", str(out2), "--year", "2570")
    assert "Not yet decided" in unhinted(out2.read_text(encoding="utf-8"))
    r = demo("report", "summary", "--out", str(tmp_path / "x.html"), "--leave-out", "cover")
    assert r.exit_code == 2 and "unknown section 'cover'" in r.stderr
    r = demo("report", "summary", "--out", str(out))
    assert r.exit_code == 1 and "already exists" in r.stderr and "--force" in r.stderr
    r = demo("report", "summary", "--out", str(tmp_path / "brief.docx"))
    assert r.exit_code == 2 and ".html or .pdf" in r.stderr


def test_without_a_pdf_engine_the_error_says_how_to_get_one(
    demo: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KBO_CHROMIUM", str(tmp_path / "no-such-browser"))
    r = demo("report", "summary", "--out", str(tmp_path / "สรุป.pdf"))
    assert r.exit_code == 1 and "needs a PDF engine to write สรุป.pdf\n" in r.stderr and "kbo[pdf]" in r.stderr
    assert [p.name for p in tmp_path.iterdir() if p.suffix != ".db"] == []  # nor anything half-written


def _pdf_text(pdf: Path) -> list[str]:
    """The text of each page (pdftotext separates pages with a form feed)."""
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")


def _visual_line_pairs(pdf: Path) -> list[tuple[str, str]]:
    """Each pair of lines that follow each other in one text flow, as the page shows them.

    pdftotext's own "lines" are runs of glyphs (it splits one visual line where Thai marks shift a glyph), so the
    words it finds are grouped by their position instead: same flow, same height on the page = one line; and two
    lines follow each other in a paragraph when their type is the same size and nothing stands between them.
    """
    box = subprocess.run(
        ["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pairs = []
    for flow in re.split(r"<flow>", box)[1:]:
        lines: dict[int, list[tuple[float, str]]] = {}
        size: dict[int, float] = {}
        for x, y, y_max, word in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>', flow
        ):
            text = html.unescape(word)
            if text:
                lines.setdefault(round(float(y)), []).append((float(x), text))
                size[round(float(y))] = float(y_max) - float(y)
        ys = sorted(lines)
        for upper, lower in itertools.pairwise(ys):
            same_type = abs(size[upper] - size[lower]) < 0.1 * size[upper]
            if same_type and lower - upper < 1.8 * size[upper]:
                pairs.append(
                    ("".join(t for _x, t in sorted(lines[upper])), "".join(t for _x, t in sorted(lines[lower])))
                )
    return pairs


def _is_thai(char: str) -> bool:
    return "\u0e01" <= char <= "\u0e5b"


@needs_pdf
def test_the_brief_as_a_pdf_in_thai(demo: Invoke, tmp_path: Path) -> None:
    pdf = tmp_path / "สรุปการประชุม.pdf"
    ok(demo, "report", "summary", "--meeting", "2", "--out", str(pdf), lang_="th")
    assert pdf.read_bytes().startswith(b"%PDF")
    pages = [p for p in _pdf_text(pdf) if p.strip()]
    assert len(pages) >= 35  # cover, six sections and thirty product pages
    assert "เอกสารประกอบการประชุม" in pages[0] and "จัดทำโดย" in pages[0]
    assert "หน้า 1 จาก" not in pages[0]  # the cover has no page number
    for number, text in enumerate(pages[1:], 2):
        assert f"หน้า {number} จาก {len(pages)}" in text, f"no page number on page {number}"
        assert "เครือข่าย KBO จังหวัดนครพนม" in text  # the repeated header
    whole = "\n".join(pages)
    for heading in (
        "ผู้เข้าร่วมประชุม",
        "ภาพรวมรายอำเภอ",
        "ความก้าวหน้ารายกลุ่มผู้ผลิต",
        "ผลการคัดเลือกรอบปี 2569",
        "งานของแต่ละหน่วยงาน",
        "รายละเอียดรายผลิตภัณฑ์",
    ):
        assert heading in whole, heading
    assert "ยังขาด" in whole and "ข้าวฮางงอกหอมมะลิ" in whole
    for page in pages:  # no page holds only a footnote or a header
        body = [line for line in page.splitlines() if line.strip() and not line.startswith(("หน้า ", "เครือข่าย KBO"))]
        assert len(body) >= 3, page[:200]
    broken, pairs = [], _visual_line_pairs(pdf)
    assert sum(_is_thai(a[-1]) and _is_thai(b[0]) for a, b in pairs) > 20  # Thai that wraps: something to check
    for first, second in pairs:
        if _is_thai(first[-1]) and _is_thai(second[0]):
            cuts, at = set(), 0
            for piece in segments(first + second):
                at += len(piece)
                cuts.add(at)
            if len(first) not in cuts:
                broken.append(f"{first} / {second}")
    assert not broken, broken[:10]


def _product_pages(page: str) -> dict[str, str]:
    """Each product's page of a brief, by product code (the first one's heading also names the section)."""
    pages = {}
    for part in page.split('<div class="product">')[1:]:
        code = re.search(r"<b>([^<]+)</b>", part)
        assert code is not None
        pages[code.group(1)] = re.sub(r"<h2>[^<]*<b>", "<h2><b>", part)
    return pages


def test_a_district_brief_shows_the_same_product_pages(demo: Invoke, tmp_path: Path) -> None:
    whole, district = tmp_path / "ทั้งจังหวัด.html", tmp_path / "เมืองนครพนม.html"
    ok(demo, "report", "summary", "--meeting", "2", "--out", str(whole))
    ok(demo, "report", "summary", "--meeting", "2", "--district", "เมืองนครพนม", "--out", str(district))
    every, some = (_product_pages(p.read_text(encoding="utf-8").split("</body>")[0]) for p in (whole, district))
    assert len(some) == 4 and set(some) < set(every)  # the district's two groups make four products
    for code, shown in some.items():  # its findings, actions, latest visit and scores, as the whole brief has them
        assert shown == every[code], code
    assert any("Not visited yet." not in shown for shown in some.values())


def test_a_brief_of_too_many_groups_is_refused(demo: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kbo_cli.domain import brief

    monkeypatch.setattr(brief, "MAX_GROUPS", 5)
    out = tmp_path / "สรุป.html"
    r = demo("report", "summary", "--out", str(out))
    assert r.exit_code != 0 and not out.exists()
    assert "the brief would cover 13 producer groups; it is made for at most 5" in r.stderr
    assert "--district" in r.stderr
    ok(demo, "report", "summary", "--district", "เมืองนครพนม", "--out", str(out))  # two groups: written
    assert out.exists()


def test_a_moved_products_page_keeps_the_visit_that_named_it(demo: Invoke, tmp_path: Path) -> None:
    """Visit 7 (14 Sep, to NPM02 in ท่าอุเทน) named NPM02-02; moved to NPM12 in วังยาง, the product's page in
    the วังยาง brief shows that visit, newer than NPM12's own group visit of 10 Sep."""
    ok(demo, "product", "edit", "NPM02-02", "--group", "NPM12")
    out = tmp_path / "วังยาง.html"
    ok(demo, "report", "summary", "--meeting", "2", "--district", "วังยาง", "--out", str(out))
    pages = _product_pages(out.read_text(encoding="utf-8").split("</body>")[0])
    visit = pages["NPM02-02"].split("<h3>Latest visit</h3>")[1].split("<h3>")[0]
    assert "2026-09-14" in visit and "ฉลากใหม่มีวันผลิตและวันหมดอายุครบแล้ว" in unhinted(html.unescape(visit))
