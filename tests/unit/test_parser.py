"""The Anarchist Library export layout: the seed and crafted variants of it."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from graph.errors import CorpusError
from graph.tal import parse_file
from tests.conftest import CORPUS, SEED


def write(tmp_path: Path, text: str, name: str = "doc.txt") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def test_seed_header_and_body():
    doc = parse_file(CORPUS / "texts" / f"{SEED}.txt")
    assert doc.slug == SEED
    assert doc.title == "Letter to Emile Armand"
    assert doc.subtitle == "I have lost the sectarian intransigence of the past."
    assert doc.authors == ("Victor Serge",)
    assert doc.date == "19 March 1917"
    assert doc.body.startswith("My Dear Armand:")
    assert doc.body.endswith("Yours, V. S. le Retif")
    assert doc.body_line == 11
    assert doc.rights == "Anti-Copyright"


def test_seed_colophon_is_structured():
    doc = parse_file(CORPUS / "texts" / f"{SEED}.txt")
    assert (doc.retrieved.date, doc.retrieved.source, doc.retrieved.url) == \
        ("28th October 2022", "www.marxists.org", "http://www.marxists.org")
    p = doc.printed_in
    assert (p.authors, p.title, p.periodical, p.number, p.date) == \
        (("Jean Maitron",), "De Kibaltchiche à Victor Serge", "Le Mouvement Social", "47", "April-June 1964")
    assert p.line == 34            # the sentence starts on line 34 and ends on line 35
    t = doc.translation
    assert (t.translators, t.venue, t.venue_url, t.line) == \
        (("Mitchell Abidor",), "marxists.org", "http://marxists.org", 35)
    assert doc.library_url == "http://theanarchistlibrary.org"
    assert doc.notes == ()


NO_SUBTITLE = """
    # On the *Individualist* Anarchists

    Émile Armand

    1912

    A body with [a link](http://example.org/x) and H<sub>2</sub>O.

    Second paragraph.

    The Anarchist Library
    Anti-Copyright

    Émile Armand
    On the Individualist Anarchists
    1912

    Retrieved on 3rd March 2020 from [archive.org](https://archive.org/details/x)

    **[theanarchistlibrary.org](http://theanarchistlibrary.org)**
"""


def test_no_subtitle_accents_and_markdown(tmp_path):
    doc = parse_file(write(tmp_path, NO_SUBTITLE))
    assert doc.title == "On the Individualist Anarchists"
    assert doc.subtitle is None
    assert doc.authors == ("Émile Armand",)
    assert doc.slug == "emile-armand-on-the-individualist-anarchists"
    assert doc.date == "1912"
    assert "[a link](http://example.org/x)" in doc.body      # the body stays verbatim
    assert doc.retrieved.url == "https://archive.org/details/x"
    assert doc.retrieved.date == "3rd March 2020"
    assert doc.notes == ()


SEVERAL_AUTHORS = """
    # A Joint Letter

    **“Comrades!”**

    Victor Serge, Émile Armand & Rirette Maîtrejean

    March 1913

    Body.

    The Anarchist Library
    Anti-Copyright

    Victor Serge, Émile Armand, Rirette Maîtrejean
    A Joint Letter
    “Comrades!”
    March 1913

    Scanned from the original by a volunteer.
    From Jean Maitron, “Un article,” in *Le Mouvement Social*, no. 12, Summer 1961. Translated by Mitchell Abidor and A. N. Other.
    This copy was proof-read twice.
"""


def test_several_authors_and_unknown_sentences_survive(tmp_path):
    doc = parse_file(write(tmp_path, SEVERAL_AUTHORS))
    assert doc.authors == ("Victor Serge", "Émile Armand", "Rirette Maîtrejean")
    assert doc.subtitle == "Comrades!"
    assert doc.date == "March 1913"
    assert doc.printed_in.title == "Un article"
    assert doc.printed_in.number == "12"
    assert doc.translation.translators == ("Mitchell Abidor", "A. N. Other")
    assert doc.translation.venue is None
    assert [(n.text, n.line) for n in doc.notes] == [
        ("Scanned from the original by a volunteer.", 19),
        ("This copy was proof-read twice.", 21),
    ]
    assert doc.library_url is None


SUP_AND_UNKNOWN = """
    # Notes

    **Sub**

    Anonymous

    1<sup>st</sup> May 1920

    Body with <sup>1</sup> a footnote mark.

    The Anarchist Library
    Anti-Copyright

    Anonymous
    Notes
    Sub
    1<sup>st</sup> May 1920

    Retrieved on 1<sup>st</sup> January 2001 from [example.org](http://example.org)
    A wholly unknown colophon line
    that continues here.
    From a friend, with thanks.

    **[theanarchistlibrary.org](http://theanarchistlibrary.org)**
"""


def test_sup_markup_and_unknown_lines_verbatim(tmp_path):
    doc = parse_file(write(tmp_path, SUP_AND_UNKNOWN))
    assert doc.date == "1st May 1920"
    assert doc.retrieved.date == "1st January 2001"
    assert "<sup>1</sup>" in doc.body
    texts = [n.text for n in doc.notes]
    assert texts == ["A wholly unknown colophon line\nthat continues here.", "From a friend, with thanks."]
    assert doc.notes[0].line == 20


@pytest.mark.parametrize("text, line, reason", [
    ("Letter\n\nBody\n\nThe Anarchist Library\nAnti-Copyright\n", 1, "first line must be the title"),
    ("# Title\n\nSerge\n\nBody only, no colophon.\n", 5, "no 'The Anarchist Library' line"),
    ("# Title\n\nThe Anarchist Library\nAnti-Copyright\n", 3, "no body"),
    ("# Title\nmore title\n\nBody\n\nThe Anarchist Library\nAnti-Copyright\n", 2, "title must be one line"),
])
def test_bad_documents_name_file_line_and_reason(tmp_path, text, line, reason):
    path = tmp_path / "bad.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CorpusError) as err:
        parse_file(path)
    assert err.value.path == str(path)
    assert err.value.line == line
    assert reason in str(err.value)
    assert str(err.value).startswith(f"{path}:{line}: ")


def test_not_utf8_names_the_line(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("# Titre\n\nÉmile\n".encode("latin-1"))
    with pytest.raises(CorpusError) as err:
        parse_file(path)
    assert err.value.line == 3
    assert "not UTF-8" in err.value.reason


LINE_BREAKS = """
    # Broken Lines

    Victor Serge

    1917

    Body.

    The Anarchist Library
    Anti-Copyright

    Retrieved on 2nd May
    2020 from [example.org](http://example.org)
    Translated for
    [marxists.org](http://marxists.org) by Mitchell
    Abidor.
"""


def test_known_sentences_may_break_across_lines(tmp_path):
    doc = parse_file(write(tmp_path, LINE_BREAKS))
    assert (doc.retrieved.date, doc.retrieved.url) == ("2nd May 2020", "http://example.org")
    assert doc.translation.venue_url == "http://marxists.org"
    assert doc.translation.translators == ("Mitchell Abidor",)
    assert doc.notes == ()
