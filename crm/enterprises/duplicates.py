"""Is this enterprise on file already? Matches beyond the exact name, each with the reason it matched.

Every comparison is a lookup of stored search keys (crm.core.searchkeys), never a computation per row:
- the same name, legal suffixes ignored (Bosch … Co., Ltd. / bosch …), or one of its aliases (博世 for Bosch);
- the same distinctive part once generic words and places are left out (Haier / Haier Group, 海尔 / 海尔集团),
  or one such part beginning the other (Dulwich / Dulwich International High School Suzhou);
- the pinyin of a Chinese name equal to an English one (海尔 / Haier), or its initials (比亚迪 / BYD).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from pypinyin import lazy_pinyin
from sqlalchemy.orm import selectinload

from crm.core.searchkeys import END, SearchKey
from crm.enterprises.models import Enterprise
from crm.enterprises.names import core_key, has_chinese, name_key
from crm.extensions import db

SAME_NAME = _l("same name")
SAME_AS_ALIAS = _l("same as one of its other names")
SAME_CORE = _l("same name once legal suffixes, generic words and places are left out")
CONTAINED = _l("one name contains the other, generic words left out")
PINYIN = _l("the pinyin of the Chinese name is the English name")
INITIALS = _l("the initials of the Chinese name are the English name")

MIN_CONTAINED = {True: 3, False: 5}  # characters (Chinese) or letters (English) a contained name needs


@dataclass
class Match:
    """An enterprise on file that may be the one typed, and why."""

    enterprise: Enterprise
    reasons: list[str] = field(default_factory=list)


@dataclass
class _Probe:
    """What the typed names are compared with: key kind → keys, and the reason a hit gives."""

    exact: set[str] = field(default_factory=set)
    core: set[str] = field(default_factory=set)
    pinyin: set[str] = field(default_factory=set)  # pinyin of typed Chinese cores
    pinyin_prefixes: set[str] = field(default_factory=set)  # their first syllables, long enough
    initials: set[str] = field(default_factory=set)  # initials of typed Chinese cores, three or more
    latin_core: set[str] = field(default_factory=set)
    core_prefixes: set[str] = field(default_factory=set)  # beginnings of typed cores, long enough
    contained_in: set[str] = field(default_factory=set)  # typed cores that may begin a stored one


def _probe(texts: list[str]) -> _Probe:
    probe = _Probe()
    for text in texts:
        if key := name_key(text):
            probe.exact.add(key)
        core = core_key(text)
        if not core:
            continue
        chinese = has_chinese(core)
        probe.core.add(core)
        if chinese:
            syllables = lazy_pinyin(core, errors="ignore")
            probe.pinyin.add("".join(syllables))
            beginnings = ("".join(syllables[:end]) for end in range(1, len(syllables)))
            probe.pinyin_prefixes |= {text for text in beginnings if len(text) >= MIN_CONTAINED[False]}
            if len(syllables) >= 3:
                probe.initials.add("".join(syllable[0] for syllable in syllables))
        else:
            probe.latin_core.add(core)
        shortest = MIN_CONTAINED[chinese]
        probe.core_prefixes |= {core[:end] for end in range(shortest, len(core))}
        if len(core) >= shortest:
            probe.contained_in.add(core)
    return probe


def _conditions(probe: _Probe) -> list:
    key, kind = SearchKey.key, SearchKey.kind
    conditions = [
        sa.and_(kind == "exact", key.in_(probe.exact)),
        sa.and_(
            kind == "core",
            key.in_(probe.core | probe.pinyin | probe.core_prefixes | probe.pinyin_prefixes | probe.initials),
        ),
        sa.and_(kind == "core_pinyin", key.in_(probe.latin_core)),
        sa.and_(kind == "core_initials", key.in_({core for core in probe.latin_core if len(core) >= 3})),
    ]
    conditions += [sa.and_(kind == "core", key >= core, key < core + END) for core in probe.contained_in]
    long_enough = {core for core in probe.latin_core if len(core) >= MIN_CONTAINED[False]}
    conditions += [sa.and_(kind == "core_pinyin", key >= core, key < core + END) for core in long_enough]
    return conditions


def _reason(probe: _Probe, field_: str, kind: str, key: str) -> str:
    if field_ == "alias":
        return SAME_AS_ALIAS
    if kind == "exact":
        return SAME_NAME
    if kind == "core_pinyin" or (kind == "core" and key in (probe.pinyin | probe.pinyin_prefixes) - probe.core):
        return PINYIN
    if kind == "core_initials" or (kind == "core" and key in probe.initials - probe.core):
        return INITIALS
    return SAME_CORE if key in probe.core else CONTAINED


def find_duplicates(
    name: str | None, local_name: str | None = None, aliases: tuple[str, ...] = (), *, exclude_id: int | None = None,
    limit: int = 10
) -> list[Match]:  # fmt: skip
    """Live enterprises that may be the one named so, best reasons first (an exact name before a likeness)."""
    probe = _probe([text for text in (name, local_name, *aliases) if text])
    if not probe.exact and not probe.core:
        return []
    query = (
        sa.select(SearchKey.record_id, SearchKey.field, SearchKey.kind, SearchKey.key)
        .join(Enterprise, Enterprise.id == SearchKey.record_id)
        .where(
            SearchKey.record_type == "enterprises",
            SearchKey.field != "group",  # a member is not its group
            Enterprise.deleted_at.is_(None),
            sa.or_(*_conditions(probe)),
        )
    )
    if exclude_id is not None:
        query = query.where(SearchKey.record_id != exclude_id)
    reasons: dict[int, list[str]] = {}
    for record_id, field_, kind, key in db.session.execute(query.limit(500)):
        found = reasons.setdefault(record_id, [])
        reason = _reason(probe, field_, kind, key)
        if reason not in found:
            found.append(reason)
    order = [SAME_NAME, SAME_AS_ALIAS, SAME_CORE, PINYIN, INITIALS, CONTAINED]
    ranked = sorted(reasons, key=lambda record_id: (min(order.index(r) for r in reasons[record_id]), record_id))
    ranked = ranked[:limit]
    enterprises = db.session.scalars(
        sa.select(Enterprise).where(Enterprise.id.in_(ranked)).options(selectinload(Enterprise.aliases))
    ).all()
    by_id = {enterprise.id: enterprise for enterprise in enterprises}
    return [
        Match(by_id[record_id], sorted(reasons[record_id], key=order.index))
        for record_id in ranked
        if record_id in by_id
    ]


@dataclass
class Pair:
    """Two enterprises already on file that may be one."""

    first: Enterprise
    second: Enterprise
    reasons: list[str]


def _pair_reason(kind_a: str, kind_b: str, field_a: str, field_b: str) -> str:
    if "alias" in (field_a, field_b):
        return SAME_AS_ALIAS
    if "core_pinyin" in (kind_a, kind_b):
        return PINYIN
    if "core_initials" in (kind_a, kind_b):
        return INITIALS
    return SAME_NAME if kind_a == "exact" else SAME_CORE


def _pair_rows():
    """Key rows shared by two live enterprises, in kinds that mean "maybe the same" (one row per shared key)."""
    a, b = sa.orm.aliased(SearchKey), sa.orm.aliased(SearchKey)
    first, second = sa.orm.aliased(Enterprise), sa.orm.aliased(Enterprise)
    long_enough = sa.func.length(a.key) >= 3
    compatible = sa.or_(
        sa.and_(a.kind == "exact", b.kind == "exact"),
        sa.and_(a.kind == "core", b.kind.in_(("core", "core_pinyin"))),
        sa.and_(a.kind == "core_pinyin", b.kind == "core"),
        sa.and_(a.kind == "core", b.kind == "core_initials", long_enough),
        sa.and_(a.kind == "core_initials", b.kind == "core", long_enough),
    )
    columns = (a.record_id.label("first_id"), b.record_id.label("second_id"), a.kind, b.kind, a.field, b.field)
    return (
        sa.select(*columns)
        .join(b, sa.and_(b.record_type == "enterprises", b.key == a.key, b.record_id > a.record_id))
        .join(first, first.id == a.record_id)
        .join(second, second.id == b.record_id)
        .where(
            a.record_type == "enterprises",
            a.field != "group",
            b.field != "group",
            compatible,
            first.deleted_at.is_(None),
            second.deleted_at.is_(None),
            # A group and its own member share a name on purpose.
            sa.func.coalesce(first.parent_id, 0) != second.id,
            sa.func.coalesce(second.parent_id, 0) != first.id,
        )
    )


def likely_pairs(limit: int = 50) -> tuple[list[Pair], int]:
    """The first `limit` pairs of live enterprises that may be one, with the total number of such pairs."""
    rows = _pair_rows().subquery()
    pairs = sa.select(rows.c.first_id, rows.c.second_id).distinct().subquery()
    total = db.session.scalar(sa.select(sa.func.count()).select_from(pairs))
    page = db.session.execute(
        sa.select(pairs.c.first_id, pairs.c.second_id).order_by(pairs.c.first_id, pairs.c.second_id).limit(limit)
    ).all()
    if not page:
        return [], total
    wanted = [tuple(row) for row in page]
    reasons: dict[tuple[int, int], list[str]] = {pair: [] for pair in wanted}
    chosen = sa.select(rows).where(sa.tuple_(rows.c.first_id, rows.c.second_id).in_(wanted))
    for first_id, second_id, kind_a, kind_b, field_a, field_b in db.session.execute(chosen):
        reason = _pair_reason(kind_a, kind_b, field_a, field_b)
        if reason not in reasons[(first_id, second_id)]:
            reasons[(first_id, second_id)].append(reason)
    ids = {record_id for pair in wanted for record_id in pair}
    enterprises = {e.id: e for e in db.session.scalars(sa.select(Enterprise).where(Enterprise.id.in_(ids)))}
    return [Pair(enterprises[a], enterprises[b], reasons[(a, b)]) for a, b in wanted], total
