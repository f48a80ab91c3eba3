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
    key = _without_legal_suffix(name).replace(" ", "")
    return key or None


def _without_legal_suffix(name: str | None) -> str:
    """The name in lower case, words separated by one space, legal suffixes removed."""
    if not name:
        return ""
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
    return words


# Words that say what kind of organisation it is or where, not which one: "Haier Group" is Haier, 海尔集团
# is 海尔, "Huawei Technologies" is Huawei. Removed anywhere in a name for the core key.
GENERIC_WORDS = {
    "group", "holding", "holdings", "china", "chinese", "technology", "technologies", "tech", "science",
    "sciences", "and", "the", "of", "international", "intl", "industrial", "industries", "industry",
    "development", "enterprise", "enterprises", "hk", "branch", "pharmaceutical", "pharmaceuticals",
    "medicine", "online", "network",
}  # fmt: skip
PLACES = {
    "beijing", "shanghai", "shenzhen", "guangzhou", "suzhou", "wuxi", "hangzhou", "nanjing", "qingdao",
    "tianjin", "chongqing", "chengdu", "wuhan", "xian", "jiangsu", "zhejiang", "guangdong", "shandong",
    "hong", "kong", "hongkong",
}  # fmt: skip
_GENERIC_CHINESE = re.compile(
    r"(北京|上海|深圳|广州|苏州|无锡|杭州|南京|青岛|天津|重庆|成都|武汉|西安|江苏|浙江|广东|山东|香港)[省市]?"
    r"|集团|控股|股份|有限|责任|公司|中国|科技|技术|国际|实业|发展|工业园区|医药|药业|在线|网络"
)
# What is left may be too plain to say which organisation it is: "Bank of China" is not every bank.
TOO_GENERIC = {
    "银行", "大学", "学校", "医院", "中心", "研究院", "研究所", "bank", "university", "school", "hospital",
    "center", "centre", "institute", "park",
}  # fmt: skip


def core_key(name: str | None) -> str | None:
    """The distinctive part of a name: legal suffixes, generic words and place names removed.

    None when too little is left to tell one organisation from another (a single Chinese character,
    fewer than three letters, or a word such as 银行 or "bank").
    """
    words = _GENERIC_CHINESE.sub(" ", _without_legal_suffix(name)).split()
    core = "".join(word for word in words if word not in GENERIC_WORDS and word not in PLACES)
    too_short = len(core) < (2 if has_chinese(core) else 3)
    return None if too_short or core in TOO_GENERIC else core
