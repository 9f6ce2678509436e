"""Who runs the site, as an official website in mainland China says in its footer.

主办单位 (host), 承办单位 (organizer), 联系方式 (contact), 纠错 / 意见反馈 (feedback, an e-mail or a
web form), the copyright line and the site's logo. Framework-free: the MkDocs plugin reads the
values from mkdocs.yml through the parsers here, whose ValueErrors explain in Chinese what to
write instead; the theme partial prints a `Footer`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import unicodedata
from urllib.parse import quote, urlsplit

from markupsafe import escape

from showcase.render import seal

MAX_LINE = 80  # a unit's full name or an address fits; a paragraph does not
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
# An office's published number: 0471-1234567, (010) 12345678, 12345, 400-123-4567 转 2.
_PHONE = re.compile(r"[0-9()（）+\- ]{5,24}(?:转 ?[0-9]{1,6})?")
_CONTACT_KEYS = {"address": "地址", "phone": "电话", "email": "电子邮箱"}


@dataclasses.dataclass(frozen=True)
class Contact:
    address: str = ""
    phone: str = ""
    email: str = ""

    def items(self) -> list[tuple[str, str, str | None]]:
        """(label, text, link or None) of each part given, in reading order."""
        out: list[tuple[str, str, str | None]] = []
        if self.address:
            out.append(("地址", self.address, None))
        if self.phone:
            out.append(("电话", self.phone, "tel:" + re.sub(r"[^0-9+]", "", self.phone.split("转")[0])))
        if self.email:
            out.append(("电子邮箱", self.email, "mailto:" + self.email))
        return out


@dataclasses.dataclass(frozen=True)
class Feedback:
    """Where readers report a mistake: an e-mail address or an https form."""

    address: str

    @property
    def is_email(self) -> bool:
        return not self.address.startswith("https://")

    def href(self, page_title: str, page_address: str) -> str:
        """The 纠错 link of one page: a mail whose subject names the page, or the form."""
        if not self.is_email:
            return self.address
        subject = f"纠错：{page_title}（{page_address}）" if page_address else f"纠错：{page_title}"
        return f"mailto:{self.address}?subject={quote(subject, safe='')}"


def line(value: object, what: str) -> str:
    """One line of text (a unit's name, an address): stripped; empty is allowed."""
    if not isinstance(value, str):
        raise ValueError(f"{what}应填写一行文字，或者删掉这一项。")
    text = value.strip()
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in text):
        raise ValueError(f"{what}“{text[:20]}”只能写一行：不能含有换行或不可见字符。")
    if len(text) > MAX_LINE:
        raise ValueError(f"{what}太长（{len(text)} 个字）：最多 {MAX_LINE} 个字。")
    return text


def email(value: object, what: str = "电子邮箱") -> str:
    text = line(value, what)
    if text and not _EMAIL.fullmatch(text):
        raise ValueError(f"{what}“{text}”格式不对：应写成 dangjian@example.org 这样的地址。")
    return text


def phone(value: object) -> str:
    text = line(value, "联系电话")
    if text and not _PHONE.fullmatch(text):
        raise ValueError(
            f"联系电话“{text}”格式不对：只写号码，如 0471-1234567 或 (010) 12345678，分机写成“转 123”。"
        )
    return text


def contact(value: object) -> Contact:
    """`contact: {address, phone, email}`; every part optional."""
    if not isinstance(value, dict):
        raise ValueError("联系方式应写成 address（地址）、phone（电话）、email（电子邮箱）几项，每项一行。")
    unknown = sorted(str(k) for k in value if k not in _CONTACT_KEYS)
    if unknown:
        known = "、".join(f"{k}（{v}）" for k, v in _CONTACT_KEYS.items())
        raise ValueError(f"联系方式里没有“{'、'.join(unknown)}”这一项：可以填写 {known}。")
    return Contact(
        address=line(value.get("address", ""), "联系地址"),
        phone=phone(value.get("phone", "")),
        email=email(value.get("email", "")),
    )


def feedback(value: object) -> Feedback | None:
    """`feedback:` an e-mail address or an https:// form address; empty: no 纠错 link."""
    text = line(value, "纠错 / 意见反馈地址")
    if not text:
        return None
    if text.startswith("mailto:"):
        text = text.removeprefix("mailto:")
    if _EMAIL.fullmatch(text):
        return Feedback(text)
    parts = urlsplit(text)
    if parts.scheme == "https" and parts.netloc and not any(ch.isspace() for ch in text):
        return Feedback(text)
    raise ValueError(
        f"纠错 / 意见反馈地址“{text}”不能用：应填写电子邮箱（如 dangjian@example.org）"
        "或以 https:// 开头的网上表单地址。"
    )


def build_year() -> int:
    """The build's year: SOURCE_DATE_EPOCH's if set (reproducible builds), else this year."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).year
    return dt.datetime.now(dt.UTC).year


def copyright_line(configured: str, host: str, year: int) -> str:
    """The configured line, else “© 2026 主办单位 版权所有” (empty without a host)."""
    if configured:
        return configured
    return f"© {year} {host} 版权所有" if host else ""


def seal_text(name: str) -> str:
    """The characters of the default logo: the first two Chinese characters of the site's name,
    cut by the same rule as the brands' seals (render/seal.py)."""
    return seal.seal_text(name) or "网站"


def seal_svg(name: str, *, inline: bool = False) -> str:
    """The default logo: a red square seal with the site's first two characters, white on red,
    drawn with the reader's own CJK fonts (no emblem: a party emblem is not a site logo).
    `inline`: for the page header, where the link around it names the site (aria-hidden)."""
    text = escape(seal_text(name))
    size = 52 if len(seal_text(name)) == 1 else 40
    role = 'aria-hidden="true" focusable="false"' if inline else 'role="img"'
    title = "" if inline else f"<title>{escape(name)}</title>"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 96 96" {role}>'
        f"{title}"
        '<rect class="sc-seal__ground" x="2" y="2" width="92" height="92" rx="10" fill="#c8161d"/>'
        '<rect class="sc-seal__frame" x="9" y="9" width="78" height="78" rx="5" fill="none" stroke="#fff" '
        'stroke-width="3"/>'
        f'<text class="sc-seal__text" x="48" y="50" fill="#fff" font-size="{size}" font-weight="700" '
        'text-anchor="middle" '
        "dominant-baseline=\"central\" font-family=\"'Noto Serif CJK SC','Source Han Serif SC',"
        "'Songti SC',SimSun,'Noto Sans CJK SC','PingFang SC','Microsoft YaHei',serif\">"
        f"{text}</text></svg>\n"
    )


@dataclasses.dataclass(frozen=True)
class Footer:
    """What every page's footer says about who runs the site."""

    host: str = ""
    organizer: str = ""
    contact: Contact = dataclasses.field(default_factory=Contact)
    feedback: Feedback | None = None
    copyright: str = ""
