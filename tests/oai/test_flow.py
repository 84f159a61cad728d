"""Flow control: resumption tokens, harvest.md rows T45–T52 and X3."""
from __future__ import annotations

import base64

import pytest
from lxml import etree

from .conftest import PAGE, S2, S4, serve
from .support import SECONDS, TOKEN_ALPHABET, call, harvest

LISTS = [
    {"verb": "ListRecords", "metadataPrefix": "oai_dc"},
    {"verb": "ListRecords", "metadataPrefix": "marc21"},
    {"verb": "ListRecords", "metadataPrefix": "mods"},
    {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"},
    {"verb": "ListIdentifiers", "metadataPrefix": "mods", "set": "type:text"},
    {"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "type:letter", "until": S2},
    {"verb": "ListIdentifiers", "metadataPrefix": "marc21", "from": S2[:10]},
]
IDS = ["-".join(v for k, v in p.items() if k != "verb") + "-" + p["verb"][4:] for p in LISTS]


def _records(page) -> list[bytes]:
    """Each record (or header) of a page, as bytes: what a harvester stores."""
    items = page.records() or page.headers_()
    return [etree.tostring(i) for i in items]


def test_T45_long_list_gets_a_token_with_cursor_zero(repo):
    r = call(repo.url, {"verb": "ListRecords", "metadataPrefix": "oai_dc"})
    assert len(r.records()) == PAGE
    token = r.token
    assert token is not None and token.text and token.text.strip()
    assert token.get("cursor") == "0"
    assert int(token.get("completeListSize")) == len(repo.stamps)


@pytest.mark.parametrize("params", LISTS, ids=IDS)
def test_T46_following_tokens_gives_the_unpaged_list(repo, params):
    pages = harvest(repo.url, params)
    whole = call(repo.full, params)
    assert whole.token is None
    assert len(pages) == -(-len(whole.headers_()) // PAGE) and len(pages) >= 2
    got = [item for page in pages for item in _records(page)]
    assert got == _records(whole)                       # same items, same bytes, same order
    ids = [i for page in pages for i in page.identifiers()]
    assert len(ids) == len(set(ids))                    # no duplicates
    size = len(ids)
    cursor = 0
    for n, page in enumerate(pages):
        token = page.token
        assert token is not None
        assert int(token.get("completeListSize")) == size
        assert int(token.get("cursor")) == cursor, (n, token.attrib)
        if n < len(pages) - 1:
            assert len(page.headers_()) == PAGE         # batches hold whole records, a full page each
            assert token.text
        else:
            assert not (token.text or "").strip(), "the last page carries an empty token"
            assert 1 <= len(page.headers_()) <= PAGE
        cursor += len(page.headers_())
    assert cursor == size


def test_T46_page_size_dividing_the_list_gives_no_empty_last_page(repo):
    """Never a token whose next page is empty: the list length is an exact multiple of the page size."""
    candidates = [{}] + [{"set": s} for s in ("type:letter", "type:text", "language:fr", "language:en")]
    for extra in candidates:
        params = {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", **extra}
        count = len(call(repo.full, params).headers_())
        divisors = [d for d in range(2, count // 2 + 1) if count % d == 0]
        if divisors:
            break
    else:
        pytest.fail("no list with a composite length to test with")
    size = divisors[len(divisors) // 2]
    server = serve(repo.build, OAI_PAGE_SIZE=size)
    try:
        for verb in ("ListIdentifiers", "ListRecords"):
            pages = harvest(server.url, {**params, "verb": verb})
            assert len(pages) == count // size
            assert all(len(p.headers_()) == size for p in pages)
            last = pages[-1].token
            assert last is not None and not (last.text or "").strip()
            assert last.get("cursor") == str(count - size) and last.get("completeListSize") == str(count)
    finally:
        server.stop()


def test_T47_one_page_list_has_no_token(repo, seed):
    for params in LISTS:
        assert call(repo.full, params).token is None
    r = call(seed.url, {"verb": "ListRecords", "metadataPrefix": "oai_dc"})
    assert len(r.records()) == 2 and r.token is None
    exact = call(repo.url, {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "from": S4})
    assert 0 < len(exact.headers_()) <= PAGE and exact.token is None


@pytest.mark.parametrize("params", LISTS[:4], ids=IDS[:4])
def test_T48_resending_the_latest_token_gives_the_same_batch(repo, params):
    pages = harvest(repo.url, params)
    token = pages[-2].token.text                       # the token that gave the last page
    again = call(repo.url, {"verb": params["verb"], "resumptionToken": token})
    assert again.without_date() == pages[-1].without_date()
    middle = pages[1].token.text
    first = call(repo.url, {"verb": params["verb"], "resumptionToken": middle})
    second = call(repo.url, {"verb": params["verb"], "resumptionToken": middle})
    assert _records(first) == _records(second) == _records(pages[2])
    assert first.token.text == second.token.text == pages[2].token.text


def test_T49_the_previous_token_still_works(repo):
    params = {"verb": "ListRecords", "metadataPrefix": "oai_dc"}
    pages = harvest(repo.url, params)
    assert len(pages) >= 4
    previous, latest = pages[1].token.text, pages[2].token.text
    call(repo.url, {"verb": "ListRecords", "resumptionToken": latest})          # the harvester went on …
    back = call(repo.url, {"verb": "ListRecords", "resumptionToken": previous})  # … and re-sends the one before
    assert not back.errors
    assert _records(back) == _records(pages[2])
    assert back.token.text == latest


def _flip(text: str, at: int) -> str:
    c = text[at]
    return text[:at] + ("B" if c != "B" else "C") + text[at + 1:]


def _garbage(repo) -> dict[str, str]:
    good = call(repo.url, {"verb": "ListRecords", "metadataPrefix": "oai_dc"}).token.text
    body, _, signature = good.partition(".")
    forged_state = base64.urlsafe_b64encode(
        base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)).replace(b'"c":7', b'"c":0')).decode().rstrip("=")
    assert f"{forged_state}.{signature}" != good
    return {
        "garbage": "garbage",
        "empty-ish": "-",
        "dots": "...",
        "payload-tampered": _flip(good, 3),
        "signature-tampered": _flip(good, len(good) - 2),
        "offset-forged": f"{forged_state}.{signature}",
        "truncated": good[:-4],
        "extended": good + "AAAA",
        "no-signature": body,
        "percent": "%41%42",
        "non-ascii": "é" + good,
        "json": '{"verb":"ListRecords","o":7}',
        "long": "A" * 5000,
        "three-parts": f"{body}.{signature}.{signature}",
        "base64-of-nothing": ".",
    }


def test_T50_bad_tokens_are_badResumptionToken(repo):
    for name, token in _garbage(repo).items():
        for verb in ("ListRecords", "ListIdentifiers"):
            for method in ("GET", "POST"):
                r = call(repo.url, {"verb": verb, "resumptionToken": token}, method=method)
                assert r.codes == {"badResumptionToken"}, (name, verb, r.errors)
                assert r.verb is None


def test_T50_token_of_another_verb_is_badResumptionToken(repo):
    records = call(repo.url, {"verb": "ListRecords", "metadataPrefix": "oai_dc"}).token.text
    identifiers = call(repo.url, {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"}).token.text
    assert call(repo.url, {"verb": "ListIdentifiers", "resumptionToken": records}).codes == {"badResumptionToken"}
    assert call(repo.url, {"verb": "ListRecords", "resumptionToken": identifiers}).codes == {"badResumptionToken"}
    assert call(repo.url, {"verb": "ListSets", "resumptionToken": records}).codes == {"badResumptionToken"}
    assert call(repo.url, {"verb": "ListSets", "resumptionToken": "x"}).codes == {"badResumptionToken"}


def test_T50_token_of_another_server_build_is_badResumptionToken(repo, seed):
    ours = call(repo.url, {"verb": "ListRecords", "metadataPrefix": "oai_dc"}).token.text
    r = call(seed.url, {"verb": "ListRecords", "resumptionToken": ours})
    assert r.codes == {"badResumptionToken"}


def test_T51_token_request_is_echoed_with_exactly_verb_and_token(repo):
    for verb in ("ListRecords", "ListIdentifiers"):
        token = call(repo.url, {"verb": verb, "metadataPrefix": "mods"}).token.text
        r = call(repo.url, {"verb": verb, "resumptionToken": token})
        assert dict(r.request.attrib) == {"verb": verb, "resumptionToken": token}


def test_T52_expiration_date_if_any_is_utc_seconds_and_in_the_future(repo):
    for params in LISTS:
        for page in harvest(repo.url, params)[:-1]:
            expiry = page.token.get("expirationDate")
            if expiry is not None:
                assert SECONDS.fullmatch(expiry), expiry
                assert expiry > page.response_date
                nxt = call(repo.url, {"verb": params["verb"], "resumptionToken": page.token.text})
                assert not nxt.errors


def test_X3_tokens_use_the_url_safe_alphabet(repo):
    seen = 0
    for params in LISTS:
        for page in harvest(repo.url, params):
            token = page.token.text if page.token is not None else None
            if token:
                assert TOKEN_ALPHABET.fullmatch(token), token
                seen += 1
    assert seen >= 10
