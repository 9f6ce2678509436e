"""The filing numbers (备案号) a website in mainland China shows in its footer.

- ICP 备案号 (e.g. 京ICP备12345678号-1), issued through the MIIT; the footer links it to the
  MIIT's filing system https://beian.miit.gov.cn/, as the filing rules require.
- 公安机关互联网站安全备案号 (e.g. 京公网安备11010502030143号); the footer links it to the
  record on https://beian.mps.gov.cn/, whose address carries the number's digits.

Both are plain links: the site loads nothing from either host (no badge image).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ICP_URL = "https://beian.miit.gov.cn/"
POLICE_URL = "https://beian.mps.gov.cn/#/query/webSearch?code="

# 1–2 characters of province abbreviation, ICP备 (filing) or ICP证 (licence), the number, 号,
# and an optional site suffix -N.
_ICP = re.compile(r"[\u4e00-\u9fff]{1,2}ICP[备证]\d{6,12}号(?:-\d{1,4})?")
_POLICE = re.compile(r"[\u4e00-\u9fff]{1,2}公网安备\s?(\d{10,16})号")


@dataclass(frozen=True)
class Record:
    text: str
    url: str


def icp(text: str) -> Record:
    """The footer link of an ICP number; ValueError with a Chinese explanation if malformed."""
    text = text.strip()
    if not _ICP.fullmatch(text):
        raise ValueError(
            f"ICP 备案号“{text}”格式不对：应写成备案系统里显示的样子，如 京ICP备12345678号 或 京ICP备12345678号-1。"
        )
    return Record(text, ICP_URL)


def police(text: str) -> Record:
    """The footer link of a 公安备案号; ValueError with a Chinese explanation if malformed."""
    text = text.strip()
    m = _POLICE.fullmatch(text)
    if not m:
        raise ValueError(
            f"公安备案号“{text}”格式不对：应写成备案系统里显示的样子，如 京公网安备11010502030143号。"
        )
    return Record(text, POLICE_URL + m.group(1))
