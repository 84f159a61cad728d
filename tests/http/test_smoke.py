"""The live server answers at all (the other HTTP modules test it in depth)."""
import requests

from tests.conftest import SEED


def test_thing_redirects_to_its_document(live):
    r = requests.get(f"{live.url}id/letter/{SEED}", allow_redirects=False, timeout=10)
    assert r.status_code == 303
    assert r.headers["Location"] == f"{live.url}doc/letter/{SEED}"
