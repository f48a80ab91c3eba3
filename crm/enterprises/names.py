"""Name keys for spotting the same organisation typed twice.

"Bosch Automotive Diesel Systems Co., Ltd." and "bosch automotive diesel systems" get the same key, and
so do "博世汽车柴油系统有限公司" and "博世汽车柴油系统": case, spacing, punctuation and legal suffixes
are ignored.
"""

from __future__ import annotations

import re
import unicodedata

# Longest first, so "股份有限公司" goes before "有限公司" would leave "股份".
LEGAL_SUFFIXES = sorted(
    [
        "co ltd",
        "company limited",
        "co limited",
        "limited",
        "ltd",
        "incorporated",
        "inc",
        "corporation",
        "corp",
        "company",
        "co",
        "gmbh",
        "ag",
        "llc",
        "plc",
        "sa",
        "bv",
        "pte ltd",
        "pte",
        "股份有限公司",
        "有限责任公司",
        "有限公司",
        "集团有限公司",
        "集团公司",
        "公司",
    ],
    key=len,
    reverse=True,
)
_PUNCTUATION = re.compile(r"[\W_]+", re.UNICODE)
_CHINESE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def has_chinese(text: str | None) -> bool:
    return bool(text and _CHINESE.search(text))


def name_key(name: str | None) -> str | None:
    """The comparable form of an organisation's name, or None for an empty name."""
    if not name:
        return None
    text = unicodedata.normalize("NFKC", name).casefold()
    words = _PUNCTUATION.sub(" ", text).strip()
    changed = True
    while changed and words:
        changed = False
        for suffix in LEGAL_SUFFIXES:
            if words == suffix:
                break
            if words.endswith(" " + suffix) or (not suffix.isascii() and words.endswith(suffix)):
                words = words[: -len(suffix)].strip()
                changed = True
                break
    key = words.replace(" ", "")
    return key or None
