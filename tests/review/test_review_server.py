"""`review serve`: files read-only inside DIR, CSRF defences, decisions by POST."""

from __future__ import annotations

import http.client
import os
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest

from videonews.manifest import read_manifest, verify_package
from videonews.review.server import ReviewServer, make_server, running

from .conftest import STORY_ID, Built


@pytest.fixture
def server(package: Built) -> Iterator[ReviewServer]:
    srv = make_server(package.folder.parent, "127.0.0.1", 0)
    with running(srv):
        yield srv


def request(srv: ReviewServer, method: str, path: str, body: str | None = None,
            headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
    try:
        hdrs = {"Host": f"127.0.0.1:{srv.port}", **(headers or {})}
        conn.request(method, path, body=body.encode() if body is not None else None, headers=hdrs)
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


def origin(srv: ReviewServer) -> dict[str, str]:
    return {"Origin": f"http://127.0.0.1:{srv.port}", "Content-Type": "application/x-www-form-urlencoded"}


def form(srv: ReviewServer, **fields: str) -> str:
    data = {"token": srv.token, "package": STORY_ID, "status": "approved", "by": "Mia", "note": "ok"}
    data.update(fields)
    return urlencode({k: v for k, v in data.items() if v is not None})


def test_listing_and_review_page_have_forms(server: ReviewServer, package: Built) -> None:
    status, headers, body = request(server, "GET", "/")
    html = body.decode()
    assert status == 200 and STORY_ID in html and server.token in html
    # scripts from this server only (the app's own), never inline
    assert "script-src 'self'" in headers["content-security-policy"]
    assert "unsafe-inline" not in headers["content-security-policy"].split("script-src")[1].split(";")[0]
    status, _, body = request(server, "GET", f"/{STORY_ID}/review/index.html")
    html = body.decode()
    assert status == 200 and 'action="/_review/decide"' in html and server.token in html
    assert "videonews review approve" not in html  # the CLI hint is replaced by the forms
    status, headers, _ = request(server, "GET", f"/{STORY_ID}/")
    assert status == 303 and headers["location"] == f"/{STORY_ID}/review/index.html"


def test_serves_files_with_types_and_ranges(server: ReviewServer, package: Built) -> None:
    status, headers, body = request(server, "GET", f"/{STORY_ID}/subtitles/{STORY_ID}.en.vtt")
    assert status == 200 and headers["content-type"].startswith("text/vtt") and body.startswith(b"WEBVTT")
    size = (package.folder / "preview.mp4").stat().st_size
    status, headers, body = request(server, "GET", f"/{STORY_ID}/preview.mp4", headers={"Range": "bytes=10-19"})
    assert status == 206 and len(body) == 10 and headers["content-range"] == f"bytes 10-19/{size}"
    assert body == (package.folder / "preview.mp4").read_bytes()[10:20]
    status, _, _ = request(server, "GET", f"/{STORY_ID}/preview.mp4", headers={"Range": f"bytes={size + 5}-"})
    assert status == 416


@pytest.mark.parametrize("path", [
    "/../../../../etc/passwd",
    "/%2e%2e/%2e%2e/etc/passwd",
    f"/{STORY_ID}/../../outside.txt",
    f"/{STORY_ID}/%2E%2E/%2E%2E/outside.txt",
    "//etc/passwd",
    "/%2Fetc%2Fpasswd",
    f"/{STORY_ID}/..%5C..%5Coutside.txt",
    f"/{STORY_ID}/escape/outside.txt",
    f"/{STORY_ID}/escape-file",
    f"/{STORY_ID}/.hidden",
    "/_review/decide",
])
def test_nothing_outside_dir_is_served(server: ReviewServer, package: Built, path: str) -> None:
    outside = package.folder.parent.parent / "outside.txt"
    outside.write_text("secret", encoding="utf-8")
    (package.folder / ".hidden").write_text("hidden", encoding="utf-8")
    if not (package.folder / "escape").exists():
        os.symlink(package.folder.parent.parent, package.folder / "escape")
        os.symlink(outside, package.folder / "escape-file")
    status, _, body = request(server, "GET", path)
    assert status in (400, 403, 404), (path, status)
    assert b"secret" not in body and b"root:" not in body


def test_foreign_host_header_is_refused(server: ReviewServer) -> None:
    status, _, body = request(server, "GET", "/", headers={"Host": f"evil.example:{server.port}"})
    assert status == 403 and server.token.encode() not in body


def test_post_with_token_records_the_decision(server: ReviewServer, package: Built) -> None:
    digest = read_manifest(package.folder).content_digest()
    status, headers, _ = request(server, "POST", "/_review/decide", form(server, content_sha256=digest),
                                 origin(server))
    assert status == 303 and headers["location"] == "/"  # no package left pending: the list
    m = read_manifest(package.folder)
    assert m.qa.status == "approved" and m.qa.history[-1].by == "Mia" and m.qa.history[-1].content_sha256 == digest
    assert verify_package(package.folder) == []
    _, _, body = request(server, "GET", f"/{STORY_ID}/review/index.html")
    assert 'id="qa-status">approved<' in body.decode()


@pytest.mark.parametrize("case", ["no token", "wrong token", "foreign origin", "null origin", "no origin",
                                  "foreign referer", "json", "multipart"])
def test_forged_posts_are_refused(server: ReviewServer, package: Built, case: str) -> None:
    headers = origin(server)
    body = form(server)
    if case == "no token":
        body = form(server, token=None)  # type: ignore[arg-type]
    elif case == "wrong token":
        body = form(server, token="x" * 43)
    elif case == "foreign origin":
        headers["Origin"] = "http://evil.example"
    elif case == "null origin":
        headers["Origin"] = "null"
    elif case == "no origin":
        del headers["Origin"]
    elif case == "foreign referer":
        del headers["Origin"]
        headers["Referer"] = f"http://evil.example/{STORY_ID}/review/index.html"
    elif case == "json":
        headers["Content-Type"] = "application/json"
    elif case == "multipart":
        headers["Content-Type"] = "multipart/form-data; boundary=x"
    status, _, _ = request(server, "POST", "/_review/decide", body, headers)
    assert status == (415 if case in ("json", "multipart") else 403)
    assert read_manifest(package.folder).qa.status == "pending"


def test_referer_from_this_server_is_accepted(server: ReviewServer, package: Built) -> None:
    headers = origin(server)
    del headers["Origin"]
    headers["Referer"] = f"http://localhost:{server.port}/{STORY_ID}/review/index.html"
    status, _, _ = request(server, "POST", "/_review/decide", form(server, status="rejected"), headers)
    assert status == 303 and read_manifest(package.folder).qa.status == "rejected"


@pytest.mark.parametrize("fields,code", [
    ({"package": ".."}, 403), ({"package": "../x"}, 403), ({"package": "/etc"}, 403),
    ({"package": "nope"}, 404), ({"status": "pending"}, 400), ({"by": " "}, 400),
    ({"content_sha256": "0" * 64}, 409),
])
def test_bad_decision_forms(server: ReviewServer, package: Built, fields: dict[str, str], code: int) -> None:
    status, _, _ = request(server, "POST", "/_review/decide", form(server, **fields), origin(server))
    assert status == code
    assert read_manifest(package.folder).qa.status == "pending"


def test_binds_loopback_by_default(tmp_path: Path) -> None:
    import inspect

    from videonews.review import server as mod

    assert inspect.signature(mod.make_server).parameters["host"].default == "127.0.0.1"
    srv = make_server(tmp_path, port=0)
    try:
        assert srv.server_address[0] == "127.0.0.1"
        assert srv.url.startswith("http://127.0.0.1:")
    finally:
        srv.server_close()


# --- connections cannot pile up (issue 17) ------------------------------------------------------------------


@pytest.fixture
def strict_server(tmp_path: Path) -> Iterator[ReviewServer]:
    """A server over an empty folder with short timeouts and room for four connections."""
    from videonews.review.server import Limits

    srv = make_server(tmp_path, "127.0.0.1", 0, limits=Limits(idle_timeout=0.4, request_timeout=1.0,
                                                                max_connections=4))
    with running(srv):
        yield srv


def _closed_within(sock: socket.socket, seconds: float) -> bytes | None:
    """What the server sent before closing the connection, or None if it was still open after `seconds`."""
    sock.settimeout(seconds)
    got = b""
    try:
        while chunk := sock.recv(4096):
            got += chunk
    except TimeoutError:
        return None
    except ConnectionResetError:
        pass
    return got


def test_idle_and_half_open_connections_are_dropped(strict_server: ReviewServer) -> None:
    port = strict_server.port
    started = time.monotonic()
    idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(2)]
    half = [socket.create_connection(("127.0.0.1", port)) for _ in range(2)]
    for s in half:
        s.sendall(f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n".encode())  # never the blank line
    try:
        for s in idle + half:
            assert _closed_within(s, 3.0) is not None, "the server kept a connection open"
        assert time.monotonic() - started < 2.5
    finally:
        for s in idle + half:
            s.close()
    assert request(strict_server, "GET", "/")[0] == 200  # every slot is free again


def test_a_request_trickled_byte_by_byte_is_cut(strict_server: ReviewServer) -> None:
    """One byte every 0.2 s never trips the 0.4 s idle timeout; the 1 s request timeout ends it."""
    sock = socket.create_connection(("127.0.0.1", strict_server.port))
    started = time.monotonic()
    try:
        for ch in f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{strict_server.port}\r\nX-Slow: " + "a" * 40:
            try:
                sock.sendall(ch.encode())
            except OSError:
                break
            time.sleep(0.2)
            if time.monotonic() - started > 4:
                break
        assert _closed_within(sock, 1.0) is not None
        assert time.monotonic() - started < 2.5, "the trickle went on past the request timeout"
    finally:
        sock.close()


def test_connections_past_the_cap_get_503(strict_server: ReviewServer) -> None:
    port = strict_server.port
    held = [socket.create_connection(("127.0.0.1", port)) for _ in range(4)]
    try:
        time.sleep(0.1)  # the server has taken the four slots
        extra = socket.create_connection(("127.0.0.1", port))
        with extra:
            reply = _closed_within(extra, 1.0)
        assert reply is not None and reply.startswith(b"HTTP/1.1 503 "), reply
    finally:
        for s in held:
            s.close()
    time.sleep(0.2)
    assert request(strict_server, "GET", "/")[0] == 200


def test_a_client_going_away_is_one_log_line_not_a_traceback(server: ReviewServer, package: Built,
                                                             caplog: pytest.LogCaptureFixture) -> None:
    import struct

    (package.folder / "big.bin").write_bytes(os.urandom(1 << 20) * 48)  # more than the socket buffers hold
    caplog.set_level("INFO", logger="videonews.review.server")
    sock = socket.create_connection(("127.0.0.1", server.port))
    sock.sendall(f"GET /{STORY_ID}/big.bin HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n\r\n".encode())
    sock.recv(1024)  # the response has begun
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()  # a reset, as a browser cancelling a download
    deadline = time.monotonic() + 10
    while not any("went away" in r.getMessage() for r in caplog.records) and time.monotonic() < deadline:
        time.sleep(0.05)
    gone = [r for r in caplog.records if "went away" in r.getMessage()]
    assert len(gone) == 1 and f"GET /{STORY_ID}/big.bin" in gone[0].getMessage()
    assert all(r.exc_info is None and "Traceback" not in r.getMessage() for r in caplog.records)
    assert request(server, "GET", "/")[0] == 200


def test_edit_form_records_an_edit_and_refuses_bad_input(server: ReviewServer, package: Built) -> None:
    from videonews.review.edits import load_edits

    before = (package.folder / "manifest.json").read_bytes()
    bad = form(server, kind="quote_speaker", quote="q1", speaker="<b>X</b>")
    status, _, body = request(server, "POST", "/_review/edit", bad, origin(server))
    assert status == 400 and b"markup" in body
    status, _, body = request(server, "POST", "/_review/edit", form(server, kind="note", time="99", text="late"),
                              origin(server))
    assert status == 400 and b"outside the video" in body
    assert (package.folder / "manifest.json").read_bytes() == before and load_edits(package.folder) is None
    status, headers, _ = request(server, "POST", "/_review/edit", form(server, kind="note", time="1.5", text="cut"),
                                 origin(server))
    assert status == 303 and headers["location"] == f"/{STORY_ID}/review/index.html#editor"
    log = load_edits(package.folder)
    assert log is not None and [(e.kind, e.by) for e in log.edits] == [("note", "Mia")]
    m = read_manifest(package.folder)
    assert m.qa.status == "pending" and m.qa.history[-1].note == "note at 1.5 s: cut"
    assert verify_package(package.folder) == []
    # without the token nothing is recorded
    status, _, _ = request(server, "POST", "/_review/edit",
                           urlencode({"package": STORY_ID, "kind": "note", "time": "1", "text": "x", "by": "Eve"}),
                           origin(server))
    assert status == 403 and len(load_edits(package.folder).edits) == 1  # type: ignore[union-attr]
