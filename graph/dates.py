"""Dates as the texts write them → ISO value and XSD datatype.

>>> parse_date("19 March 1917")
('1917-03-19', 'date')
>>> parse_date("28th October 2022")
('2022-10-28', 'date')
>>> parse_date("March 1917")
('1917-03', 'gYearMonth')
>>> parse_date("April-June 1964")
('1964', 'gYear')
>>> parse_date("Spring") is None
True
"""
from __future__ import annotations

import datetime as dt
import re

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august",
     "september", "october", "november", "december"], start=1)}
_MONTH = "(" + "|".join(MONTHS) + ")"
_DAY_MONTH_YEAR = re.compile(rf"(\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+(\d{{4}})", re.I)
_MONTH_DAY_YEAR = re.compile(rf"{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?,\s+(\d{{4}})", re.I)
_MONTH_YEAR = re.compile(rf"{_MONTH}\s+(\d{{4}})", re.I)
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_MONTH_RANGE_YEAR = re.compile(rf"{_MONTH}\s*[-–/]\s*{_MONTH}\s+(\d{{4}})", re.I)
_YEAR = re.compile(r"(\d{4})")


def _iso(year: str, month: int, day: int) -> str | None:
    try:
        return dt.date(int(year), month, day).isoformat()
    except ValueError:
        return None


def parse_date(text: str) -> tuple[str, str] | None:
    """Return ``(lexical value, xsd datatype name)`` for a whole date string, or None."""
    text = re.sub(r"</?sup>", "", text).strip().rstrip(".")
    if m := _DAY_MONTH_YEAR.fullmatch(text):
        value = _iso(m[3], MONTHS[m[2].lower()], int(m[1]))
        return (value, "date") if value else None
    if m := _MONTH_DAY_YEAR.fullmatch(text):
        value = _iso(m[3], MONTHS[m[1].lower()], int(m[2]))
        return (value, "date") if value else None
    if m := _ISO.fullmatch(text):
        value = _iso(m[1], int(m[2]), int(m[3]))
        return (value, "date") if value else None
    if m := _MONTH_YEAR.fullmatch(text):
        return f"{m[2]}-{MONTHS[m[1].lower()]:02d}", "gYearMonth"
    if m := _MONTH_RANGE_YEAR.fullmatch(text):
        return m[3], "gYear"
    if m := _YEAR.fullmatch(text):
        return m[1], "gYear"
    return None
