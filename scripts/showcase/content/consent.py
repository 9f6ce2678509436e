"""Photos whose people did not agree to be published (`consent: 未同意`) are left out.

The photo stays in the repository and in its profile or update, so that it can be published
once consent is given; the site, the print edition, search and the figures never see it. The
liaison is told (advice, not an error: the rest of the branch publishes as it is).
"""

from __future__ import annotations

from showcase.content import yamlstrict
from showcase.content.model import NO_CONSENT, Photo
from showcase.problems import Problem, Severity


def withhold(photos: list[Photo], doc: yamlstrict.Document) -> tuple[list[Photo], list[Problem]]:
    """The photos that may be published, and one note per photo left out, at its consent line."""
    kept: list[Photo] = []
    notes: list[Problem] = []
    for i, photo in enumerate(photos):
        if photo.consent == NO_CONSENT:
            message = (
                f"{photo.file} 标明照片里的人{NO_CONSENT}刊登：这张照片不发布（网站和印刷版都没有）。"
                "取得同意后改成“已同意”即可发布。"
            )
            notes.append(doc.problem(("photos", i, "consent"), "PHOTO_NO_CONSENT", message, Severity.WARNING))
        else:
            kept.append(photo)
    return kept, notes


def places(doc: yamlstrict.Document, photos: list[Photo]) -> list[int]:
    """Each published photo's index in `doc`'s photos list: its own position unless photos were
    left out before it (then found by file name)."""
    listed = doc.data.get("photos") if isinstance(doc.data, dict) else None
    if not isinstance(listed, list) or len(listed) == len(photos):
        return list(range(len(photos)))
    files = [item.get("file") if isinstance(item, dict) else None for item in listed]
    return [files.index(p.file) if p.file in files else i for i, p in enumerate(photos)]
