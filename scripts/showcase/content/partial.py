"""A profile with schema errors, validated as far as it goes, so the other rules still run.

Every schema error is reported; then the values in error are set aside — a list item
replaced by an inert stand-in (so the items after it keep their index, and their line), any
other key left out, a required key filled with a value no rule objects to — and the rest
validated again. The rules beyond the schema (dates, taxonomy words, photos) then run on that
partial profile, so a liaison sees all of a file's problems in one run. Such a profile is
only ever checked, never published: its branch has errors.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from showcase.content import yamlstrict
from showcase.content.model import Profile
from showcase.content.schema_errors import translate_errors
from showcase.content.taxonomy import Taxonomy
from showcase.problems import Problem

# Items no rule objects to: no date, no negative number, no metric, and (photos) a file the
# caller skips because its index is in `stand_ins`.
_STAND_INS: dict[str, dict[str, str]] = {
    "figures": {"label": "-", "value": "0"},
    "honors": {"title": "-"},
    "photos": {"file": "-", "caption": "-", "credit": "-"},
    "sources": {"title": "-"},
}


@dataclasses.dataclass
class Validated:
    profile: Profile | None  # None: too little is readable to check anything beyond the schema
    problems: list[Problem]  # the schema's
    stand_ins: set[yamlstrict.Loc] = dataclasses.field(default_factory=set)  # ("photos", 2): not real

    @property
    def complete(self) -> bool:
        return not self.problems and not self.stand_ins


def validate(
    doc: yamlstrict.Document,
    taxonomy: Taxonomy,
    folder: str,
    broken: set[str],
    broken_items: set[yamlstrict.Loc] | None = None,
) -> Validated:
    """`doc` as a Profile: complete if it is valid, else partial (see the module docstring).
    Keys in `broken` and list items at `broken_items` could not be read at all (a syntax
    error, already reported): the schema says nothing about them."""
    unread = broken_items or set()

    def reported(loc: tuple[str | int, ...]) -> bool:
        return bool(loc) and (loc[0] in broken or any(loc[: len(item)] == item for item in unread))

    try:
        profile = Profile.model_validate(doc.data)
        if not unread:
            return Validated(profile, [])
        everything: list[ErrorDetails] = []
    except ValidationError as e:
        everything = e.errors(include_url=False)
    problems = translate_errors([err for err in everything if not reported(err["loc"])], doc, Profile)
    if not isinstance(doc.data, dict) or any(not err["loc"] for err in everything):
        return Validated(None, problems)
    data, stand_ins = _set_aside(doc.data, [err["loc"] for err in everything] + sorted(unread, key=str))
    for key, value in _fillers(taxonomy, folder).items():
        data.setdefault(key, value)
    try:
        return Validated(Profile.model_validate(data), problems, stand_ins)
    except ValidationError:  # a stand-in or filler did not fit (an invalid folder name as slug)
        return Validated(None, problems)


def _set_aside(
    raw: dict[str, Any], locs: list[tuple[str | int, ...]]
) -> tuple[dict[str, Any], set[yamlstrict.Loc]]:
    """`raw` without the values at `locs` (in error): list items replaced by stand-ins, other
    keys dropped."""
    data = {k: v for k, v in raw.items() if k in Profile.model_fields}
    bad_keys: set[str] = set()
    bad_items: set[tuple[str, int]] = set()
    for loc in locs:
        key, rest = str(loc[0]), loc[1:]
        if key in _STAND_INS and rest and isinstance(rest[0], int) and isinstance(data.get(key), list):
            bad_items.add((key, rest[0]))
        else:
            bad_keys.add(key)
    for key in bad_keys:
        data.pop(key, None)
    stand_ins: set[yamlstrict.Loc] = set()
    for key, index in sorted(bad_items):
        if key in data:
            items = data[key] = list(data[key])
            items[index] = _STAND_INS[key]
            stand_ins.add((key, index))
    return data, stand_ins


def _fillers(taxonomy: Taxonomy, folder: str) -> dict[str, Any]:
    """A value for each required key that no rule objects to."""
    return {
        "slug": folder,
        "name": "-",
        "category": taxonomy.category_names[0] if taxonomy.category_names else "-",
        "region": next(iter(taxonomy.regions), "-"),
        "brand": {"name": "-"},
        "summary": "-",
        "updated": "2000-01-01",
    }
