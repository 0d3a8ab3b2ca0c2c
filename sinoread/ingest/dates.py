"""Dates as articles write them -> ISO strings; nothing is guessed."""

from __future__ import annotations

import re
from datetime import date

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MONTH = (
    r"(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_YEAR = r"(?P<year>(?:1[89]|20)\d\d)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"

# Full dates: `June 07, 2021`, `December 16-21, 2024`, `6 June 2021`, `2021-06-07`.
FULL_DATE = re.compile(
    rf"(?<!\w)(?:{_MONTH}\s+{_DAY}(?:\s*[-–]\s*[0-3]?\d)?,?\s+{_YEAR}"
    rf"|(?P<day2>[0-3]?\d)(?:st|nd|rd|th)?(?:\s*[-–]\s*[0-3]?\d)?\s+(?P<month2>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?,?\s+(?P<year2>(?:1[89]|20)\d\d)"
    rf"|(?P<iso>(?:1[89]|20)\d\d-[01]\d-[0-3]\d))(?!\w)"
)
# Partial dates a sentence may state: `November 2014`, `2018-2020`, `in 2003`.
MONTH_YEAR = re.compile(rf"(?<!\w){_MONTH}\s+(?:of\s+)?{_YEAR}(?!\w)")
YEAR = re.compile(
    r"(?<![\w$.,-])((?:19|20)\d\d)(?:s)?(?![\w%$])"
    # `2000 troops`, `1500 tonnes`: a count, not a year.
    r"(?!\s+(?:troops|soldiers|personnel|people|men|sailors|marines|officers|tons?|tonnes?|km|"
    r"kilomet(?:er|re)s?|miles?|nautical|met(?:er|re)s?|ships?|vessels?|boats?|aircraft|jets?|"
    r"units?|rounds?|missiles?|dollars?|usd|yuan|rubles?|yen|dong)\b)",
    re.IGNORECASE,
)
# Dates a sentence gives relative to when it was written: `last year`, `earlier this month`.
RELATIVE = re.compile(
    r"(?<!\w)(?P<which>last|this|next|previous|past|coming)\s+(?P<unit>year|month)(?!\w)"
    r"|(?<!\w)(?P<ago>a|one|two|three|four|five|\d)\s+years?\s+ago(?!\w)",
    re.IGNORECASE,
)
_NUMBERS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5}


def _month(name: str) -> int:
    return MONTHS[name[:3].lower()]


def iso_from_match(m: re.Match[str]) -> str | None:
    """A FULL_DATE match -> `YYYY-MM-DD`, or None if it is not a real calendar day."""
    try:
        if m.group("iso"):
            return date.fromisoformat(m.group("iso")).isoformat()
        if m.group("month"):
            return date(int(m.group("year")), _month(m.group("month")), int(m.group("day"))).isoformat()
        return date(int(m.group("year2")), _month(m.group("month2")), int(m.group("day2"))).isoformat()
    except ValueError:
        return None


def find_full_date(text: str) -> tuple[str, int, int] | None:
    """First real calendar date in `text`: (iso, start, end)."""
    for m in FULL_DATE.finditer(text):
        iso = iso_from_match(m)
        if iso:
            return iso, m.start(), m.end()
    return None


def parse_date_value(value: object) -> str | None:
    """A front-matter date (YAML date, ISO or written) -> ISO, or None."""
    if isinstance(value, date):
        return value.isoformat()[:10]
    if isinstance(value, str):
        found = find_full_date(value)
        return found[0] if found else None
    return None


def sentence_date(text: str, written: str | None = None) -> str | None:
    """The date a sentence states: full day, else month and year, else a year, else a date
    relative to `written` (the article's ISO date: `last year` in a 2015 article is 2014).

    A range (`the 2018-2020 plan`) is dated by its start; a relative date in an undated
    article stays None rather than being guessed."""
    found = find_full_date(text)
    if found:
        return found[0]
    m = MONTH_YEAR.search(text)
    if m:
        return f"{m.group('year')}-{_month(m.group('month')):02d}"
    m = YEAR.search(text)
    if m:
        return m.group(1)
    if written:
        return relative_date(text, written)
    return None


def relative_date(text: str, written: str) -> str | None:
    """`last year` / `this month` / `two years ago` against the ISO date the article was written."""
    m = RELATIVE.search(text)
    if not m or not written[:4].isdigit():
        return None
    year = int(written[:4])
    if m.group("ago"):
        n = _NUMBERS.get(m.group("ago").lower()) or int(m.group("ago"))
        return str(year - n)
    step = {"last": -1, "previous": -1, "past": -1, "this": 0, "next": 1, "coming": 1}[m.group("which").lower()]
    if m.group("unit").lower() == "year":
        return str(year + step)
    if len(written) < 7:
        return None
    month = int(written[5:7]) + step
    year += (month - 1) // 12
    month = (month - 1) % 12 + 1
    return f"{year}-{month:02d}"
