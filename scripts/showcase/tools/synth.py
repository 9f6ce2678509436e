"""`showcase synth`: a complete, buildable project with N realistic synthetic branches.

For benchmarks and scale tests. Names, brands, figures and write-ups are assembled from a
vocabulary of real party-building phrases; photos are phone-sized JPEGs (4032×3024) with
real EXIF, GPS included, so the photo pipeline has real work to do. Identical output for
the same seed.
"""

from __future__ import annotations

import io
import random
import textwrap
from pathlib import Path

from PIL import Image

from showcase.tools.illustrate import illustration

CITIES = ["呼和浩特市", "包头市", "鄂尔多斯市", "赤峰市", "通辽市", "乌兰察布市", "巴彦淖尔市", "乌海市"]
SYLLABLES = list(
    "青山新城金河玉泉东胜昆都仑九原达拉特准格尔红山松山元宝乌兰集宁丰镇临河杭锦海勃湾石拐白云兴和凉城"
)
STREETS = [
    "幸福路",
    "团结路",
    "和平街",
    "友谊路",
    "民族街",
    "胜利路",
    "建设路",
    "文化街",
    "光明路",
    "长青路",
    "振华街",
    "迎宾路",
]
PLACES = [
    "阳光",
    "和谐",
    "惠民",
    "康乐",
    "丰泽",
    "春晖",
    "兴盛",
    "永安",
    "福苑",
    "繁荣",
    "锦绣",
    "祥和",
    "朝阳",
    "富民",
]
CATEGORIES = [
    ("社区", "社区党委"),
    ("村", "村党支部"),
    ("街道", "街道党工委"),
    ("乡镇", "镇党委"),
    ("机关", "机关党支部"),
    ("企事业单位", "公司党委"),
    ("园区", "园区党工委"),
    ("县区", "县委组织部"),
]
THEMES = [
    "基层治理",
    "网格化管理",
    "志愿服务",
    "乡村振兴",
    "一老一小",
    "文明城市创建",
    "党员教育",
    "组织建设",
    "民族团结",
    "营商环境",
    "产业发展",
    "红色教育",
    "读书学习",
    "共驻共建",
    "矛盾化解",
    "帮办代办",
]
BRAND_HEADS = [
    "红心",
    "暖心",
    "同心",
    "先锋",
    "连心",
    "聚力",
    "善治",
    "和美",
    "幸福",
    "红帆",
    "领航",
    "初心",
    "星火",
]
BRAND_TAILS = ["驿站", "家园", "港湾", "引擎", "纽带", "工作法", "服务站", "先锋队", "议事厅", "红管家"]
NUMBERED = ["三联三促", "五心服务", "四个规范化", "双报到双服务", "一核多元", "六事工作法", "三级联动"]
FIGURES = [
    ("党员人数", "名", 20, 1500),
    ("志愿服务队", "支", 3, 60),
    ("志愿服务人次", "人次", 300, 9000),
    ("解决问题件数", "件", 30, 2000),
    ("开展主题活动", "场", 10, 300),
    ("覆盖居民户数", "户", 500, 12000),
    ("下沉在职党员", "名", 20, 900),
    ("网格数量", "个", 4, 80),
    ("村集体收入", "万元", 5, 400),
    ("结对共建单位", "家", 3, 40),
    ("培训党员干部", "人次", 50, 3000),
    ("办结群众诉求", "件", 40, 5000),
]
MEASURE_OPENINGS = [
    "坚持把党建引领贯穿{area}全过程",
    "围绕群众最关心最直接最现实的利益问题",
    "以“{brand}”品牌建设为抓手",
    "聚焦基层治理中的难点堵点",
    "立足辖区实际",
    "按照“围绕中心、建设队伍、服务群众”的思路",
]
MEASURE_ACTIONS = [
    "推动在职党员到社区报到、认领岗位",
    "建立“社区吹哨、部门报到”响应机制",
    "把党小组建在网格上",
    "组建党员志愿服务先锋队，常态化开展入户走访",
    "建立问题清单、责任清单和成效清单",
    "推行党员积分制管理",
    "开展“主题党日+志愿服务”活动",
    "与驻区单位签订共建协议，实现资源共享",
    "设立党员先锋岗和示范岗",
    "开设“书记讲党课”专栏",
    "推行“四议两公开”工作法",
    "完善“一站式”矛盾纠纷调解机制",
    "组织老党员、老干部组成议事会",
    "推广“马上就办、办就办好”服务承诺",
    "建立困难群众帮扶台账",
]
MEASURE_RESULTS = [
    "让党员先锋作用在群众身边看得见",
    "把矛盾纠纷化解在萌芽状态",
    "群众办事更加方便快捷",
    "基层党组织的凝聚力和号召力不断增强",
    "形成了共建共治共享的良好格局",
    "居民的获得感、幸福感、安全感持续提升",
    "打通了联系服务群众的“最后一米”",
    "实现了小事不出网格、大事不出社区",
    "为乡村振兴注入了新动能",
]
SECTION_TITLES = [
    "以{x}强化政治引领",
    "以{x}夯实组织基础",
    "以{x}提升服务效能",
    "以{x}激发党员活力",
    "以{x}凝聚治理合力",
    "以{x}助推产业发展",
]
SECTION_OBJECTS = [
    "标准化建设",
    "网格化管理",
    "清单化管理",
    "项目化推进",
    "积分制考评",
    "联建共建",
    "精细化服务",
]
CONNECTIVES = ["同时，", "此外，", "在此基础上，", "与此同时，", "为此，", ""]
HONORS = [
    "全市坚强堡垒示范党组织",
    "全区先进基层党组织",
    "自治区民族团结进步示范单位",
    "全市文明单位",
    "全国示范性老年友好型社区",
]
CAPTIONS = [
    "党员志愿者入户走访独居老人",
    "社区党委召开党建联席会议",
    "网格员在小区内开展政策宣讲",
    "党员先锋队在街巷开展环境整治",
    "主题党日活动现场",
    "群众在党群服务中心办理业务",
]


def _region_tree(rng: random.Random, n_branches: int) -> dict[str, dict[str, list[str]]]:
    """About eight branches per street or town, as in a real city: 1,000 branches → ~125 towns."""
    leaves = max(6, n_branches // 8)
    cities = max(1, min(len(CITIES), n_branches // 1000 + 1))
    counties_per_city = max(2, min(12, round((leaves / cities) ** 0.5)))
    towns_per_county = max(3, -(-leaves // (cities * counties_per_city)))
    tree: dict[str, dict[str, list[str]]] = {}
    for city in CITIES[:cities]:
        counties: dict[str, list[str]] = {}
        while len(counties) < counties_per_city:
            name = "".join(rng.sample(SYLLABLES, 2)) + rng.choice(["区", "县", "旗"])
            counties.setdefault(name, [])
        for county in counties:
            towns: list[str] = []
            while len(towns) < towns_per_county:
                if rng.random() < 0.6:
                    town = (
                        rng.choice(STREETS) + "街道"
                        if len(towns) < len(STREETS)
                        else f"第{len(towns) + 1}街道"
                    )
                else:
                    town = "".join(rng.sample(SYLLABLES, 2)) + "镇"
                if town not in towns:
                    towns.append(town)
            counties[county] = towns
        tree[city] = counties
    return tree


def _paragraph(rng: random.Random, brand: str, area: str) -> str:
    """A paragraph of stock phrases that opens with the brand, which is the branch's own:
    no two branches share a paragraph (copied text is an error, see content/copies.py)."""
    sentences = []
    for k in range(rng.randint(3, 5)):
        opening = rng.choice(MEASURE_OPENINGS).format(brand=brand, area=area)
        actions = "，".join(rng.sample(MEASURE_ACTIONS, rng.randint(2, 3)))
        connective = rng.choice(CONNECTIVES)
        lead = f"在“{brand}”品牌建设中，" if k == 0 else connective
        sentences.append(f"{lead}{opening}，{actions}，{rng.choice(MEASURE_RESULTS)}。")
    return "".join(sentences)


def _case(rng: random.Random, brand: str, area: str, figures: list[tuple[str, int, str]]) -> str:
    parts = ["## 主要举措", ""]
    for title in rng.sample(SECTION_TITLES, rng.randint(2, 4)):
        parts += [f"### {title.format(x=rng.choice(SECTION_OBJECTS))}", ""]
        for _ in range(rng.randint(2, 3)):
            parts += [_paragraph(rng, brand, area), ""]
    parts += ["## 取得成效", ""]
    facts = "，".join(f"{label}{value}{unit}" for label, value, unit in figures[:3])
    parts += [f"截至目前，{facts}。" + _paragraph(rng, brand, area), ""]
    return "\n".join(parts)


def _exif_jpeg(base: bytes, rng: random.Random, index: int) -> bytes:
    """Splice a fresh EXIF block (camera, time, GPS) into an encoded JPEG: unique bytes, no re-encode."""
    exif = Image.Exif()
    exif[0x010F] = rng.choice(["HUAWEI", "Xiaomi", "OPPO", "vivo", "Apple"])  # Make
    exif[0x0110] = rng.choice(["P60", "14 Pro", "Reno10", "X100", "iPhone 15"])  # Model
    exif[0x0112] = 1  # Orientation
    exif[0x0132] = f"2024:{rng.randint(1, 12):02d}:{rng.randint(1, 28):02d} 10:{index % 60:02d}:00"
    exif[0x010E] = f"synthetic photo {index}"  # ImageDescription
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (40.0, float(rng.randint(0, 59)), float(rng.randint(0, 59)))
    gps[3], gps[4] = "E", (111.0, float(rng.randint(0, 59)), float(rng.randint(0, 59)))
    payload = b"Exif\x00\x00" + exif.tobytes()
    segment = b"\xff\xe1" + (len(payload) + 2).to_bytes(2, "big") + payload
    return base[:2] + segment + base[2:]


def _base_photos(seed: int, count: int) -> list[bytes]:
    out = []
    for i in range(count):
        img = illustration(f"合成测试图片 {i + 1}（示意图）", seed=f"synth-{seed}-{i}", size=(4032, 3024))
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=85)
        out.append(buf.getvalue())
    return out


MKDOCS_YML = """\
site_name: 合成测试站（{n} 个党组织）
docs_dir: content
site_dir: site
use_directory_urls: true
theme:
  name: material
  language: zh
  font: false
plugins:
  - showcase
nav:
  - 首页: index.md
  - 品牌: brands/index.md
  - 区域: regions/index.md
  - 类别: categories/index.md
  - 主题: themes/index.md
"""


def synthesize(out: Path, n_branches: int, photos: int = 0, seed: int = 1, *, progress: bool = True) -> None:
    """Write into `out` a project (mkdocs.yml, a home page, taxonomy.yml) with `n_branches`
    branch folders of `photos` photos each; the same arguments write the same bytes."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    (out / "content").mkdir(exist_ok=True)
    (out / "content" / "index.md").write_text(
        f"# 合成测试站\n\n这是由 `showcase synth` 生成的 {n_branches} 个合成党组织，用于性能测试。\n", "utf-8"
    )
    (out / "mkdocs.yml").write_text(MKDOCS_YML.format(n=n_branches), "utf-8")
    base = out / "branches"
    base.mkdir(exist_ok=True)
    leaves = _write_taxonomy(base, _region_tree(rng, n_branches))
    pool = _base_photos(seed, min(8, photos * 2)) if photos else []
    for i in range(n_branches):
        region = leaves[i % len(leaves)] if i < len(leaves) else rng.choice(leaves)
        _write_branch(base / f"branch-{i + 1:05d}", i, region, rng, pool, photos)
        if progress and (i + 1) % 500 == 0:
            print(f"已生成 {i + 1}/{n_branches} 个党组织", flush=True)


def _write_taxonomy(base: Path, tree: dict[str, dict[str, list[str]]]) -> list[str]:
    """Write taxonomy.yml for the region `tree`; returns the leaf regions' paths."""
    lines = ["# 合成测试站的受控词表（showcase synth 生成）", "regions:"]
    for city, counties in tree.items():
        lines.append(f"  {city}:")
        lines += [f"    {county}: [{', '.join(towns)}]" for county, towns in counties.items()]
    lines.append("categories:")
    lines += [f"  - {{name: {name}, description: {name}类党组织}}" for name, _ in CATEGORIES]
    lines.append("themes:")
    lines += [f"  - {{name: {name}}}" for name in THEMES]
    (base / "taxonomy.yml").write_text("\n".join(lines) + "\n", "utf-8")
    return [
        f"{city}/{county}/{town}"
        for city, counties in tree.items()
        for county, towns in counties.items()
        for town in towns
    ]


def _write_branch(
    folder: Path, i: int, region: str, rng: random.Random, pool: list[bytes], photos: int
) -> None:
    """Branch number `i` (from 0): profile.yml, case.md and `photos` photos made from `pool`.
    (Every draw from `rng` happens in a fixed order: that is what makes the output repeatable.)"""
    town = region.split("/")[-1]
    category, org = rng.choice(CATEGORIES)
    place = rng.choice(PLACES) + ("社区" if category == "社区" else "村" if category == "村" else "")
    name = f"{region.split('/')[1]}{town}{place}{org}"
    stock = rng.choice(NUMBERED) if rng.random() < 0.25 else rng.choice(BRAND_HEADS) + rng.choice(BRAND_TAILS)
    # Stock names repeat; place and number make each brand its own (copies are errors).
    brand = f"{town[:2]}{stock}{i + 1}号"
    (folder / "photos").mkdir(parents=True, exist_ok=True)
    chosen = rng.sample(FIGURES, rng.randint(3, 8))
    figures = [(label, rng.randint(lo, hi), unit) for label, unit, lo, hi in chosen]
    fig_lines = []
    for label, value, unit in figures:
        q = rng.choice(["", "", "余", "多", "近"])
        fig_lines.append(
            f"  - {{label: {label}, value: {value}, "
            + (f"qualifier: {q}, " if q else "")
            + f"unit: {unit}, as_of: 2024-{rng.randint(1, 12):02d}}}"
        )
    themes = rng.sample(THEMES, rng.randint(2, 4))
    honor_lines = [
        f"  - {{title: {h}, date: {rng.randint(2019, 2024)}, by: 中共{region.split('/')[0]}委}}"
        for h in rng.sample(HONORS, rng.randint(0, 2))
    ]
    photo_lines = _write_photos(folder, i, rng, pool, photos)
    profile = textwrap.dedent(
        f"""\
        # yaml-language-server: $schema=../profile.schema.json
        slug: {folder.name}
        name: {name}
        category: {category}
        region: {region}
        brand:
          name: {brand}
          slogan: 打造“{brand}”，{rng.choice(MEASURE_RESULTS)}
        summary: {name}（第{i + 1}号）以“{brand}”为品牌，{rng.choice(MEASURE_ACTIONS)}，{rng.choice(MEASURE_RESULTS)}。
        themes: [{", ".join(themes)}]
        """
    )
    profile += "figures:\n" + "\n".join(fig_lines) + "\n"
    if honor_lines:
        profile += "honors:\n" + "\n".join(honor_lines) + "\n"
    if photo_lines:
        profile += "photos:\n" + "\n".join(photo_lines) + "\n"
    profile += f"sources:\n  - {{title: 合成数据, date: 2024-10-{rng.randint(1, 28):02d}}}\nupdated: 2024-10-{rng.randint(1, 28):02d}\n"
    (folder / "profile.yml").write_text(profile, "utf-8")
    case = _case(rng, brand, town, figures)
    while len(case) < 1500:
        case += "\n" + _paragraph(rng, brand, town) + "\n"
    (folder / "case.md").write_text(_trimmed(case, 4000), "utf-8")


def _trimmed(case: str, limit: int) -> str:
    """`case` cut to about `limit` characters at a paragraph's end, in 主要举措: 取得成效 stays."""
    if len(case) <= limit:
        return case
    head, sep, tail = case.partition("## 取得成效")
    head = head[: max(0, limit - len(sep) - len(tail))]
    return head[: head.rfind("\n\n") + 2] + sep + tail


def _write_photos(folder: Path, i: int, rng: random.Random, pool: list[bytes], photos: int) -> list[str]:
    """Branch `i`'s photos (unique bytes from the `pool` pictures); their lines for profile.yml."""
    photo_lines = []
    for k in range(photos):
        data = _exif_jpeg(pool[(i + k) % len(pool)], rng, i * 100 + k)
        (folder / "photos" / f"p{k + 1}.jpg").write_bytes(data)
        photo_lines.append(
            f"  - {{file: photos/p{k + 1}.jpg, caption: {rng.choice(CAPTIONS)}（示意图）, credit: 示意图, date: 2024-0{rng.randint(1, 9)}}}"
        )
    return photo_lines
