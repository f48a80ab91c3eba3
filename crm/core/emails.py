"""One spelling of every email address, so that look-alike addresses name the same account."""

from __future__ import annotations

import unicodedata

# Characters that print as nothing: an address containing them looks identical to one without.
INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u180e\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff"))


def normalise_email(email: str) -> str:
    """NFKC (full-width letters and @ become plain ones), invisible characters removed, trimmed,
    lower-case, and no trailing dot (zone.test. and zone.test are one domain)."""
    text = unicodedata.normalize("NFKC", email).translate(INVISIBLE).strip().lower()
    return text.rstrip(".").strip()


def email_filter(value: object) -> object:
    """The form filter: what the user typed, spelled as it will be stored and compared."""
    return normalise_email(value) if isinstance(value, str) else value
