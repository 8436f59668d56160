"""Every page carries the security headers; they are encoded once, not on every response (issue 15: each page paid
a header encoding per response), and the headers are the same, in the same order, as before."""

from __future__ import annotations

from fastapi.responses import HTMLResponse

from chainkeeper.web.pages.rendering import SECURITY_HEADERS, PageResponse


def test_a_page_response_has_the_headers_it_had_encoded_once():
    for status in (200, 403, 404):
        page = PageResponse("<p>页面 é</p>", status_code=status)
        before = HTMLResponse("<p>页面 é</p>", status_code=status, headers=SECURITY_HEADERS)
        assert (page.status_code, page.raw_headers, page.body) == (before.status_code, before.raw_headers,
                                                                   before.body)
    first, second = PageResponse("a"), PageResponse("bb")
    assert all(a is b for a, b in zip(first.raw_headers[:len(SECURITY_HEADERS)], second.raw_headers))


def test_a_header_set_on_one_page_stays_on_that_page():
    first = PageResponse("a")
    first.headers["HX-Redirect"] = "/x"
    del first.headers["Vary"]
    assert PageResponse("a").raw_headers == HTMLResponse("a", headers=SECURITY_HEADERS).raw_headers
