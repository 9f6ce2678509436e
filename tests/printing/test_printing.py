"""The print edition: the sample editions rendered by WeasyPrint and read back from the PDF
with pypdf and poppler (pdffonts, pdfimages, pdftotext, pdftoppm), QR codes decoded by ZXing.

Nothing here looks at our own HTML to decide what the PDF holds: every check reads the PDF.
"""

from __future__ import annotations

import dataclasses
import io
import re
import subprocess
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from conftest import ROOT, BuiltSite
from showcase.cli.main import main
from showcase.content.load import Project, load_project
from showcase.media.renditions import PhotoStore
from showcase.printing import layout
from showcase.printing import pdf as rendering
from showcase.printing.editions import Edition, load_edition

SITE_URL = "https://dangjian.example.org/"
EDITIONS = ROOT / "content" / "editions"
SAMPLES = ("dangqi-linghang-1", "shuzhi-pingyi-2017", "pinpai-huace")
# Closing punctuation that Chinese typesetting never puts at the start of a line.
NO_LINE_START = set("，。、；：？！）》」』】〕〉”’％·")


@dataclasses.dataclass
class PrintedSample:
    edition: Edition
    prepared: layout.Prepared
    pdf: Path
    reader: PdfReader

    texts: dict[int, str] = dataclasses.field(default_factory=dict)

    def text(self, page: int) -> str:
        """A page's text without white space (pypdf's CJK extraction is slow: read once)."""
        if page not in self.texts:
            self.texts[page] = _squash(self.reader.pages[page].extract_text())
        return self.texts[page]


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def project() -> Project:
    return load_project(ROOT, "branches", cache_dir=ROOT / ".cache" / "showcase")


@pytest.fixture(scope="module")
def printed(project: Project, tmp_path_factory: pytest.TempPathFactory) -> dict[str, PrintedSample]:
    """The sample editions rendered now (not from the PDF cache)."""
    out = tmp_path_factory.mktemp("editions")
    store = PhotoStore(ROOT / ".cache" / "showcase")
    samples = {}
    for name in SAMPLES:
        edition = load_edition(project, EDITIONS / f"{name}.yml")
        rendition = layout.store_renditions(edition, store)
        prepared = layout.prepare(edition, rendition=rendition, site_url=SITE_URL, site_name="党建品牌展示站")
        pdf = out / f"{name}.pdf"
        pdf.write_bytes(rendering.render(prepared).pdf)
        samples[name] = PrintedSample(edition, prepared, pdf, PdfReader(pdf))
    return samples


def _headline_pages(sample: PrintedSample, start: int = 0) -> list[int]:
    """For each article in order, the first page from `start` whose text has its brand name and
    its branch name (the album's contents page, page 0, names them all)."""
    pages = []
    for article in sample.edition.articles:
        p = article.branch.profile
        found = [
            i
            for i in range(start, len(sample.reader.pages))
            if _squash(p.brand.name) in sample.text(i) and _squash(p.name) in sample.text(i)
        ]
        assert found, f"headline of {p.slug} not extractable from {sample.pdf.name}"
        pages.append(found[0])
    return pages


def test_every_headline_is_extractable_in_order(printed: dict[str, PrintedSample]) -> None:
    for sample in printed.values():
        pages = _headline_pages(sample, start=1 if sample.edition.file.album else 0)
        assert pages == sorted(pages), (sample.pdf.name, pages)


def test_page_counts_follow_the_layouts(printed: dict[str, PrintedSample]) -> None:
    album = printed["pinpai-huace"]
    # The album: a contents page, then exactly one page per branch, in the contents' order.
    assert len(album.edition.articles) == 24
    assert len(album.reader.pages) == 1 + 24
    assert _headline_pages(album, start=1) == list(range(1, 25))
    # The A4 booklet: every article starts a page of its own.
    booklet = printed["shuzhi-pingyi-2017"]
    starts = _headline_pages(booklet)
    assert len(set(starts)) == len(starts) == 6
    assert len(booklet.reader.pages) >= 6
    # The A3 page: articles follow on, so the six articles take fewer pages than twice six.
    a3 = printed["dangqi-linghang-1"]
    assert len(a3.reader.pages) < 12
    assert a3.reader.pages[0].mediabox.height > 1100  # A3 is 420 mm = 1190 pt tall


def test_masthead_note_running_header_and_page_numbers(printed: dict[str, PrintedSample]) -> None:
    sample = printed["dangqi-linghang-1"]
    first = sample.text(0)
    assert "党旗领航" in first and "第1期" in first and "2023年6月12日" in first
    assert "编者按" in first and "76" in first  # the editor's note, with its figure
    for i in range(1, len(sample.reader.pages)):
        text = sample.text(i)
        assert "《党旗领航》" in text, i  # running header: the column's name
        assert "2023年6月12日" in text, i  # … and the date
        assert f"—{i + 1}—" in text, i  # page number
    # The first page carries the masthead, not the running header.
    assert "《党旗领航》" not in first


def test_body_has_subheads_figures_honours_credit_and_source(printed: dict[str, PrintedSample]) -> None:
    sample = printed["dangqi-linghang-1"]
    text = "".join(sample.text(i) for i in range(len(sample.reader.pages)))
    for word in ("主要举措", "取得成效", "数说", "扫码看更多", "■示意图", "本刊据《呼和浩特日报》"):
        assert word in text, word
    album = printed["pinpai-huace"]
    youhao = next(i for i in range(1, 25) if "友好密码" in album.text(i))
    assert "所获荣誉" in album.text(youhao) and "呼和浩特市坚强堡垒示范支部" in album.text(youhao)
    # The editor chose three figures for 书香政协, in this order.
    assert re.search("91次.*委员面向界别群众政策宣讲.*5100余人次.*宣讲直接受众.*21个.*旗县区政协读书群", text)


def test_fonts_are_noto_cjk_embedded_and_subset(printed: dict[str, PrintedSample]) -> None:
    for sample in printed.values():
        out = subprocess.run(["pdffonts", str(sample.pdf)], capture_output=True, text=True, check=True).stdout
        rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
        assert rows
        names = set()
        for row in rows:
            name, emb, sub = row[0], row[-5], row[-4]
            assert (emb, sub) == ("yes", "yes"), row
            assert re.fullmatch(r"[A-Z]{6}\+Noto-(Serif|Sans)-CJK-SC(-Bold)?", name), name
            names.add(name.split("+")[1])
        assert "Noto-Sans-CJK-SC-Bold" in names  # headlines
        if not sample.edition.file.album:  # the album's short texts are all set in sans
            assert "Noto-Serif-CJK-SC" in names  # body


def _images(pdf: Path) -> list[dict[str, str]]:
    out = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    lines = out.splitlines()
    header = lines[0].split()
    return [dict(zip(header, line.split(), strict=False)) for line in lines[2:] if line.strip()]


def test_photos_are_printed_at_200_dpi_or_more_in_srgb(printed: dict[str, PrintedSample]) -> None:
    for sample in printed.values():
        images = _images(sample.pdf)
        with_photo = [a for a in sample.edition.articles if a.photo is not None]
        assert len(images) == len(with_photo) > 0, sample.pdf.name
        for image in images:
            assert image["type"] == "image" and image["color"] == "rgb", image
            assert int(image["x-ppi"]) >= 200 and int(image["y-ppi"]) >= 200, image
            assert image["enc"] == "jpeg", image  # embedded as made, not re-encoded


def test_embedded_photos_carry_no_metadata(printed: dict[str, PrintedSample], tmp_path: Path) -> None:
    sample = printed["shuzhi-pingyi-2017"]
    subprocess.run(["pdfimages", "-j", str(sample.pdf), str(tmp_path / "img")], check=True)
    files = sorted(tmp_path.glob("img-*.jpg"))
    assert len(files) == 6
    for path in files:
        raw = path.read_bytes()
        assert b"Exif\x00\x00" not in raw and b"http://ns.adobe.com/xap" not in raw, path
        with Image.open(path) as img:
            assert not img.getexif()
            assert not {"exif", "icc_profile", "xmp", "comment"} & set(img.info), set(img.info)


def _qr_payloads(pdf: Path, tmp_path: Path) -> list[str]:
    subprocess.run(["pdftoppm", "-r", "150", "-gray", "-png", str(pdf), str(tmp_path / "p")], check=True)
    found = []
    for page in sorted(tmp_path.glob("p-*.png")):
        with Image.open(page) as img:
            found += [
                r.text for r in zxingcpp.read_barcodes(img) if r.format == zxingcpp.BarcodeFormat.QRCode
            ]
    return found


@pytest.mark.parametrize("name", SAMPLES)
def test_qr_codes_lead_to_the_branch_pages(
    printed: dict[str, PrintedSample], name: str, tmp_path: Path
) -> None:
    sample = printed[name]
    expected = [f"{SITE_URL}branches/{a.branch.slug}/" for a in sample.edition.articles]
    assert sorted(_qr_payloads(sample.pdf, tmp_path)) == sorted(expected)


def test_no_line_starts_with_closing_punctuation(printed: dict[str, PrintedSample]) -> None:
    checked = 0
    for sample in printed.values():
        xhtml = subprocess.run(
            ["pdftotext", "-bbox-layout", str(sample.pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        root = ET.fromstring(xhtml.replace('xmlns="http://www.w3.org/1999/xhtml"', ""))
        for line in root.iter("line"):
            text = "".join(w.text or "" for w in line.iter("word"))
            if text:
                checked += 1
                assert text[0] not in NO_LINE_START, (sample.pdf.name, text)
    assert checked > 1000


def test_no_widows_or_orphans(printed: dict[str, PrintedSample]) -> None:
    """A paragraph split across columns or pages leaves at least two lines on each side. Read
    from WeasyPrint's own layout of the sample editions (the PDF has no notion of paragraphs)."""
    import weasyprint
    from weasyprint.formatting_structure import boxes

    split = 0
    for sample in printed.values():
        document = weasyprint.HTML(
            string=sample.prepared.html,
            base_url="asset:",
            url_fetcher=rendering._fetcher(sample.prepared.assets),
        ).render()
        fragments: dict[int, list[int]] = defaultdict(list)
        for page in document.pages:
            for box in page._page_box.descendants():
                if isinstance(box, boxes.BlockBox) and box.element_tag == "p":
                    lines = sum(isinstance(child, boxes.LineBox) for child in box.children)
                    fragments[id(box.element)].append(lines)
        for parts in fragments.values():
            if len(parts) > 1:
                split += 1
                assert min(parts) >= 2, (sample.pdf.name, parts)
    assert split > 10  # long articles in columns: plenty of paragraphs do break


def test_cli_prints_with_progress_and_reuses_its_cache(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out" / "党旗领航.pdf"
    args = ["-f", str(ROOT / "mkdocs.yml"), "print", str(EDITIONS / "dangqi-linghang-1.yml"), "-o", str(out)]
    assert main(args) == 0
    err = capsys.readouterr().err
    assert "《党旗领航》第 1 期（专栏）：6 篇" in err
    assert re.search(r"已生成 .*党旗领航\.pdf：\d+ 页，[\d.]+ MB，用时 [\d.]+ 秒", err), err
    first = out.read_bytes()
    assert first.startswith(b"%PDF-") and PdfReader(io.BytesIO(first)).pages
    assert main(args) == 0
    assert "沿用上次排好的版面" in capsys.readouterr().err
    assert out.read_bytes() == first


def test_cli_names_the_file_and_line_of_a_bad_edition(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad-1.yml"
    bad.write_text(
        "title: 党旗领航\nnumber: 2\ndate: 2024-01-05\nbranches:\n  - yanchi-zhen\n  - yangguang-shequu\n",
        "utf-8",
    )
    assert main(["-f", str(ROOT / "mkdocs.yml"), "print", str(bad), "-o", str(tmp_path / "x.pdf")]) == 1
    out = capsys.readouterr()
    assert re.search(
        r"bad-1\.yml:6:5: EDITION_BRANCH 没有网址名为“yangguang-shequu”的党组织：是否想写“yangguang-shequ”",
        out.out,
    )
    assert not (tmp_path / "x.pdf").exists()
    assert "Traceback" not in out.err


def test_without_site_url_no_qr_codes_are_printed(project: Project) -> None:
    edition = load_edition(project, EDITIONS / "shuzhi-pingyi-2017.yml")
    prepared = layout.prepare(edition, rendition=lambda s, f: None, site_url="", site_name="站")
    assert "扫码看更多" not in prepared.html and "data:image/svg" not in prepared.html
    with_url = layout.prepare(edition, rendition=lambda s, f: None, site_url=SITE_URL, site_name="站")
    assert with_url.html.count("扫码看更多") == 6
    assert with_url.key != prepared.key


def test_the_fetcher_serves_only_the_chosen_photos() -> None:
    """Branch text cannot make WeasyPrint read a local file or reach the network."""
    photo = ROOT / "branches" / "yanchi-zhen" / "photos" / "huibao-hui.jpg"
    fetcher = rendering._fetcher({"a.jpg": str(photo)})
    assert fetcher.fetch("asset:a.jpg").read() == photo.read_bytes()
    assert fetcher.fetch("data:text/plain,ok").read() == b"ok"
    for url in ("file:///etc/passwd", "http://example.org/x.png", "https://example.org/", "asset:b.jpg"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_paper_keeps_linked_text_and_drops_anchors_and_heading_ids() -> None:
    """Read with a parser: a ">" inside an attribute, a link across lines and markup inside
    it change nothing; every other byte stays as the write-up's HTML had it."""
    fragment = (
        '<p>见<a href="https://x.org/?a=1&amp;b=2" title="标题 &gt; 引号 >" rel="noopener">'
        "<strong>链接</strong>\n文字</a>和<a href='y'>另一个</a>。</p>\n"
        '<h2 id="主要举措">主要举措</h2>\n<h3 id="a-b">a <a href="#x">b</a></h3><h4>无</h4>'
        "<p>&lt;a href=&quot;z&quot;&gt;不是链接&lt;/a&gt;</p>"
    )
    assert layout._for_paper(fragment) == (
        "<p>见<strong>链接</strong>\n文字和另一个。</p>\n"
        "<h2>主要举措</h2>\n<h3>a b</h3><h4>无</h4>"
        "<p>&lt;a href=&quot;z&quot;&gt;不是链接&lt;/a&gt;</p>"
    )


def test_small_photos_print_smaller_never_below_200_dpi() -> None:
    from showcase.media.renditions import Rendition, Variant

    small = Rendition((Variant(480, 360, "x"), Variant(800, 600, "x")), "")
    index, width, height, dpi = layout.choose_photo(small, layout.PAPERS["A4"])
    assert width <= 800 / 200 * 25.4 + 0.01 and dpi >= 200 and index == 1
    large = Rendition((Variant(480, 360, "y"), Variant(960, 720, "y"), Variant(1600, 1200, "y")), "")
    index, width, height, dpi = layout.choose_photo(large, layout.PAPERS["A4"])
    assert width == layout.PAPERS["A4"].lead_photo_width and index == 2 and dpi >= 300 * 0.9
    tall = Rendition((Variant(1200, 1800, "z"),), "")
    _, width, height, _ = layout.choose_photo(tall, layout.PAPERS["A4"])
    assert height <= layout.PAPERS["A4"].lead_photo_max_height + 0.01


def test_the_site_publishes_and_lists_every_edition(sample_site: BuiltSite) -> None:
    listing = sample_site.page("editions")
    for name in SAMPLES:
        pdf = sample_site.dir / "editions" / f"{name}.pdf"
        assert pdf.read_bytes().startswith(b"%PDF-")
        assert f'href="{name}.pdf"' in listing
        assert not (sample_site.dir / "editions" / f"{name}.yml").exists()
    assert listing.index("pinpai-huace.pdf") < listing.index("dangqi-linghang-1.pdf")  # newest first
    assert "《党旗领航》第1期" in listing and "A3 报纸整版" in listing
    assert 'href="../branches/yanchi-zhen/"' in listing
    home = sample_site.page("")
    assert re.search(r'<a href="editions/"[^>]*>\s*印刷版\s*</a>', home)  # in the navigation
