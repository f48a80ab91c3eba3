"""Which CJK fonts the machine has: the PDF embeds them, and without one Chinese prints as empty boxes."""

from __future__ import annotations

import functools
import shutil
import subprocess  # runs fc-list, a fixed program with fixed arguments  # nosec B404

# Official documents set the title in 方正小标宋; Noto Serif CJK is the free serif that Debian ships.
HEADING_FONTS = (
    "FZXiaoBiaoSong-B05S",
    "方正小标宋简体",
    "FZXiaoBiaoSong-B05",
    "Noto Serif CJK SC",
    "Source Han Serif SC",
)
BODY_FONTS = ("Noto Serif CJK SC", "Source Han Serif SC", "SimSun", "Songti SC", "Noto Sans CJK SC")


@functools.lru_cache(maxsize=1)  # fonts change with an apt-get install, which is followed by a restart
def cjk_families() -> frozenset[str]:
    """Font families that cover Chinese, as fontconfig lists them; empty when fontconfig is missing."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return frozenset()
    try:
        listing = subprocess.run(  # noqa: S603 - fixed arguments, no shell  # nosec B603
            [fc_list, ":lang=zh", "family"], capture_output=True, text=True, timeout=10, check=False
        ).stdout
    except (OSError, subprocess.TimeoutExpired):
        return frozenset()
    return frozenset(family.strip() for line in listing.splitlines() for family in line.split(",") if family.strip())


def font_status() -> dict:
    """Whether a CJK font is there, and which heading and body fonts the PDF will use."""
    families = cjk_families()
    return {
        "has_cjk": bool(families),
        "heading": next((font for font in HEADING_FONTS if font in families), None),
        "body": next((font for font in BODY_FONTS if font in families), None),
    }
