"""Redirect targets from a form are paths on this site only: a line break, another host or a scheme is refused."""

from __future__ import annotations

import pytest

from web.redirects import same_origin_path


@pytest.mark.parametrize("value", ["/console/market", "/console/market/vendors?status=pending",
                                   "/console/market/p/12#top", "/console/market/q%E0%B8%81"])
def test_paths_under_the_prefix_are_kept(value):
    assert same_origin_path(value, under="/console/market") == value


@pytest.mark.parametrize("value", ["", None, 5, "https://evil.example/", "//evil.example/x", "/\\evil.example",
                                   "/console/market\r\nSet-Cookie: a=b", "/console/market\nx", "javascript:alert(1)",
                                   "/console/marketplace", "/console/other", "/console/market/ ก", "/" + "a" * 3000])
def test_anything_else_is_refused(value):
    assert same_origin_path(value, under="/console/market") is None


def test_a_line_break_in_next_is_the_default_page_not_a_500(admin_client, rt):
    from tests.web.conftest import page_csrf

    token = page_csrf(admin_client, "/console/market")
    response = admin_client.post("/console/market/vendors/999999/approve",
                                 data={"csrf_token": token, "next": "/console/market\r\nX-Injected: 1"})
    assert response.status_code in (302, 303, 404)
    assert "X-Injected" not in response.headers and "\n" not in response.headers.get("Location", "")
