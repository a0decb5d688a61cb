"""`videonews review serve`: a small local web app over a folder of packages.

- GET /                      packages under DIR, grouped by QA status, with approve/reject forms
- GET /<pkg>/<path>          the package's files, read-only (Range requests for video);
                             <pkg>/review/index.html gets the approve/reject forms in place of the CLI hint
- POST /_review/decide       token, package, status, by, note, content_sha256 -> record_decision, then the
                             next pending package's page (the list when none is left)
- POST /_review/edit         token, package, kind, by and the edit's fields -> edits.add_edit (serialised
                             per package by its locks: two reviewers' edits are both kept)
- POST /_review/apply        token, package -> a re-render on a worker thread (rerender.apply_edits)
- GET /_review/progress?package=NAME   that re-render's state as JSON, polled by the page
- GET /_review/app.js        the page's script (edits in place, keyboard, progress)

Safety: binds 127.0.0.1 by default; never serves outside DIR (`..`, absolute paths, dotfiles and
symlinks that resolve outside DIR are refused); the Host header must name this server (DNS
rebinding); POSTs need the per-server random token, an Origin (or Referer) naming this server,
and `application/x-www-form-urlencoded`. Connections cannot pile up (`Limits`): a quiet one is
closed after the idle timeout, a request (line, headers, form) must arrive whole within the request
timeout of its first byte, a client that stops reading is dropped after it, and connections past
the cap get a 503. Standard library only (http.server).
"""

from __future__ import annotations

import contextlib
import hmac
import html
import logging
import mimetypes
import re
import secrets
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit

from videonews.errors import ReviewError
from videonews.manifest import MANIFEST_NAME, read_manifest
from videonews.review.decision import DECISIONS, record_decision
from videonews.review.page import (
    DECISION_END,
    DECISION_START,
    PAGE_NAME,
    REVIEW_DIR,
    PackageEntry,
    env,
    find_packages,
    render_packages,
)
from videonews.settings import Settings

log = logging.getLogger(__name__)

DECIDE_PATH = "/_review/decide"
EDIT_PATH = "/_review/edit"
APPLY_PATH = "/_review/apply"
PROGRESS_PATH = "/_review/progress"
SCRIPT_PATH = "/_review/app.js"
MAX_FORM_BYTES = 64 * 1024
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}
_WILDCARD = {"", "0.0.0.0", "::"}

_TYPES = {
    ".vtt": "text/vtt; charset=utf-8", ".srt": "application/x-subrip; charset=utf-8",
    ".ass": "text/plain; charset=utf-8", ".ttml": "application/ttml+xml; charset=utf-8",
    ".jsonld": "application/ld+json; charset=utf-8", ".json": "application/json; charset=utf-8",
    ".svg": "image/svg+xml; charset=utf-8", ".html": "text/html; charset=utf-8", ".webp": "image/webp",
    ".mp4": "video/mp4", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png",
    ".txt": "text/plain; charset=utf-8",
}
CSP = ("default-src 'self'; img-src 'self' data:; media-src 'self'; style-src 'self' 'unsafe-inline'; "
       "script-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


@dataclass(frozen=True)
class Limits:
    """How long a connection may stay quiet, how long a request may take to arrive, and how many
    connections are served at once (settings review_idle_timeout, review_request_timeout,
    review_max_connections)."""

    idle_timeout: float = 15.0
    request_timeout: float = 30.0
    max_connections: int = 32


_BUSY = (b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nRetry-After: 1\r\n"
         b"Connection: close\r\n\r\n")


def _hostport(host: str, port: int) -> str:
    h = f"[{host}]" if ":" in host and not host.startswith("[") else host
    return f"{h}:{port}".lower()


class ReviewServer(ThreadingHTTPServer):
    """The review app's server; `token` is this server's CSRF token, new for every start."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, root: Path, host: str = "127.0.0.1", port: int = 8000,
                 allow_hosts: tuple[str, ...] | list[str] = (), limits: Limits | None = None,
                 settings: Settings | None = None) -> None:
        from videonews.review.app import Rerenders

        self.limits = limits or Limits()
        self.rerenders = Rerenders(settings)
        self._slots = threading.BoundedSemaphore(self.limits.max_connections)
        self.root = Path(root).resolve()
        if not self.root.is_dir():
            raise ReviewError("not a folder", path=root, remedy="give the folder that holds the packages")
        self.token = secrets.token_urlsafe(32)
        if ":" in host:
            self.address_family = socket.AF_INET6
        super().__init__((host, port), ReviewHandler)
        self.host = host
        self.port = int(self.server_address[1])
        names = {host}
        if host in _LOOPBACK or host in _WILDCARD:
            names |= _LOOPBACK
        if host in _WILDCARD:
            names |= {socket.gethostname(), socket.getfqdn()}
        names |= set(allow_hosts)
        allowed = {_hostport(n, self.port) for n in names if n}
        if self.port == 80:
            allowed |= {_hostport(n, 80).rsplit(":", 1)[0] for n in names if n}
        self.allowed_hosts = frozenset(allowed)

    @property
    def url(self) -> str:
        host = "127.0.0.1" if self.host in _WILDCARD else self.host
        return f"http://{_hostport(host, self.port)}/"

    def process_request(self, request: Any, client_address: Any) -> None:
        """A thread per connection, up to the cap; past it, a 503 and the connection closed."""
        if not self._slots.acquire(blocking=False):
            with contextlib.suppress(OSError):
                request.settimeout(1.0)
                request.sendall(_BUSY)
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A connection dropped or timed out is routine here: one line in the log, never a traceback."""
        import sys

        exc = sys.exc_info()[1]
        log.info("%s: connection ended: %s", client_address[0] if client_address else "?",
                 type(exc).__name__ + (f" ({exc})" if str(exc) else ""))


def make_server(root: Path, host: str = "127.0.0.1", port: int = 8000,
                allow_hosts: tuple[str, ...] | list[str] = (), limits: Limits | None = None,
                settings: Settings | None = None) -> ReviewServer:
    return ReviewServer(root, host, port, allow_hosts, limits, settings)


class _Refused(Exception):
    def __init__(self, status: HTTPStatus, message: str) -> None:
        self.status = status
        self.message = message
        super().__init__(message)


_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


class ReviewHandler(BaseHTTPRequestHandler):
    server: ReviewServer
    server_version = "videonews-review"
    sys_version = ""
    protocol_version = "HTTP/1.1"
    _watchdog: threading.Timer | None = None

    # ------------------------------------------------------------ plumbing

    def handle_one_request(self) -> None:
        """Wait for a request at most the idle timeout; once its first byte is in, the whole request must
        arrive within the request timeout (a watchdog closes the socket otherwise: a per-read timeout alone
        lets a client send one byte every few seconds forever)."""
        limits = self.server.limits
        self.request.settimeout(limits.idle_timeout)
        try:
            begun = self.rfile.peek(1)  # type: ignore[attr-defined]
        except OSError:  # the idle timeout, or the client went away
            begun = b""
        if not begun:
            self.close_connection = True
            return
        self.request.settimeout(limits.request_timeout)  # each read or write, the response's too
        self._watchdog = threading.Timer(limits.request_timeout, self._too_slow)
        self._watchdog.daemon = True
        self._watchdog.start()
        try:
            super().handle_one_request()
        finally:
            self._request_in()

    def _too_slow(self) -> None:
        log.info("%s: request not received within %g s; connection closed", self.address_string(),
                 self.server.limits.request_timeout)
        with contextlib.suppress(OSError):
            self.request.shutdown(socket.SHUT_RDWR)

    def _request_in(self) -> None:
        """The request has been read whole: its watchdog stands down."""
        if self._watchdog is not None:
            self._watchdog.cancel()

    def parse_request(self) -> bool:
        ok = super().parse_request()
        if self.command != "POST":  # a GET or HEAD is whole once its headers are in
            self._request_in()
        return ok

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        log.info("%s %s", self.address_string(), format % args)

    def _headers(self, status: int, ctype: str, length: int, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(length))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "same-origin")
        self.send_header("Content-Security-Policy", CSP)
        self.send_header("Cross-Origin-Resource-Policy", "same-origin")
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()

    def _send_html(self, body: str, status: int = 200) -> None:
        data = body.encode("utf-8")
        self._headers(status, "text/html; charset=utf-8", len(data), {"Cache-Control": "no-store"})
        if self.command != "HEAD":
            self.wfile.write(data)

    def _fail(self, status: HTTPStatus, message: str) -> None:
        page = (f"<!DOCTYPE html><html lang=en><meta charset=utf-8><title>{status.value} {status.phrase}</title>"
                f"<h1>{status.value} {status.phrase}</h1><p>{html.escape(message)}</p><p><a href=\"/\">packages</a></p>")
        if self.command == "POST" and self.headers.get("Content-Length"):
            self.close_connection = True  # we may not have read the body
        self._send_html(page, status.value)

    def _redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.SEE_OTHER)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _went_away(self, exc: OSError) -> None:
        """A client that closed the connection mid-response (a seek in the video, a reload): one line."""
        self.close_connection = True
        log.info("%s: client went away during %s %s (%s)", self.address_string(), self.command,
                 urlsplit(self.path).path, type(exc).__name__)

    def _check_host(self) -> None:
        host = (self.headers.get("Host") or "").strip().lower()
        if host not in self.server.allowed_hosts:
            raise _Refused(HTTPStatus.FORBIDDEN, f"unknown host {host!r}: open {self.server.url} "
                                                 "(or start the server with --allow-host)")

    # ------------------------------------------------------------ paths

    def _resolve(self, url_path: str) -> Path:
        """A request path to a file or folder inside root; refuses anything that could leave it."""
        raw = unquote(url_path, errors="strict")
        if "\x00" in raw or "\\" in raw:
            raise _Refused(HTTPStatus.BAD_REQUEST, "bad characters in the path")
        if not raw.startswith("/") or raw.startswith("//"):
            raise _Refused(HTTPStatus.FORBIDDEN, "absolute paths are refused")
        parts = [p for p in raw[1:].split("/")]
        if parts and parts[-1] == "":
            parts = parts[:-1]
        for p in parts:
            if p in ("", ".", "..") or p.startswith("."):
                raise _Refused(HTTPStatus.FORBIDDEN, "path outside the served folder or hidden")
        root = self.server.root
        target = root.joinpath(*parts) if parts else root
        try:
            resolved = target.resolve(strict=True)
        except (FileNotFoundError, RuntimeError, OSError) as exc:
            raise _Refused(HTTPStatus.NOT_FOUND, "no such file") from exc
        if resolved != root and root not in resolved.parents:
            raise _Refused(HTTPStatus.FORBIDDEN, "path leads outside the served folder")
        return resolved

    # ------------------------------------------------------------ GET

    def do_HEAD(self) -> None:  # noqa: N802 - stdlib name
        self.do_GET()

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        try:
            self._check_host()
            path = urlsplit(self.path).path
            if path == "/":
                self._listing()
                return
            if path == "/favicon.ico":
                self._headers(HTTPStatus.NO_CONTENT, "image/x-icon", 0)
                return
            if path == SCRIPT_PATH:
                from videonews.review.app import script

                data = script()
                self._headers(HTTPStatus.OK, "text/javascript; charset=utf-8", len(data), {"Cache-Control": "no-cache"})
                if self.command != "HEAD":
                    self.wfile.write(data)
                return
            if path == PROGRESS_PATH:
                self._progress()
                return
            if path.startswith("/_review"):
                raise _Refused(HTTPStatus.NOT_FOUND, "no such page")
            target = self._resolve(path)
            if target.is_dir():
                for index in (target / PAGE_NAME, target / REVIEW_DIR / PAGE_NAME):
                    if index.is_file():
                        rel = index.relative_to(self.server.root).as_posix()
                        self._redirect("/" + quote(rel))
                        return
                raise _Refused(HTTPStatus.NOT_FOUND, "no page in this folder")
            if not target.is_file():
                raise _Refused(HTTPStatus.NOT_FOUND, "not a file")
            if target.name == PAGE_NAME and target.parent.name == REVIEW_DIR \
                    and (target.parent.parent / MANIFEST_NAME).is_file():
                self._review_page(target)
                return
            self._file(target)
        except _Refused as exc:
            self._fail(exc.status, exc.message)
        except (BrokenPipeError, ConnectionResetError) as exc:
            self._went_away(exc)
        except UnicodeDecodeError:
            self._fail(HTTPStatus.BAD_REQUEST, "path is not UTF-8")

    def _listing(self) -> None:
        from videonews.review.page import filter_packages

        entries = find_packages(self.server.root)
        query = {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items() if v and v[0]}
        filters: dict[str, str] = {k: query[k] for k in ("status", "warnings", "needs_review") if k in query}
        shown = filter_packages(entries, status=filters.get("status"), warnings="warnings" in filters,
                                needs_review="needs_review" in filters)
        self._send_html(render_packages(shown, title=f"videonews review: {self.server.root.name}",
                                        token=self.server.token, filters=filters, total=len(entries)))

    def _review_page(self, page: Path) -> None:
        text = page.read_text(encoding="utf-8")
        folder = page.parent.parent
        start, end = text.find(DECISION_START), text.find(DECISION_END)
        root = self.server.root
        if start >= 0 and end > start and (folder == root or folder.parent == root):  # packages the POST accepts
            try:
                manifest = read_manifest(folder / MANIFEST_NAME)
            except Exception:  # unreadable manifest: leave the CLI hint, no forms
                manifest = None
            if manifest is not None:
                from videonews.review.app import editor_block

                name = "" if folder == root else folder.name
                form = env().get_template("decision_form.html.j2").render(
                    e=PackageEntry(name=name, manifest=manifest), token=self.server.token)
                editor = editor_block(folder, name, manifest, token=self.server.token,
                                      job=self.server.rerenders.state(folder), entries=find_packages(root))
                block = (f'<p>Current status: <span class="badge {html.escape(manifest.qa.status)}">'
                         f"{html.escape(manifest.qa.status)}</span> · <a href=\"/\">all packages</a></p>\n{form}\n"
                         f"{editor}")
                text = text[:start] + block + text[end + len(DECISION_END):]
        self._send_html(text)

    def _file(self, path: Path) -> None:
        ctype = _TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        size = path.stat().st_size
        start, end = 0, size - 1
        status = HTTPStatus.OK
        extra = {"Accept-Ranges": "bytes", "Cache-Control": "no-cache"}
        rng = self.headers.get("Range")
        if rng and size > 0:
            m = _RANGE.match(rng.strip())
            if m and (m.group(1) or m.group(2)):
                if m.group(1):
                    start = int(m.group(1))
                    end = min(int(m.group(2)), size - 1) if m.group(2) else size - 1
                else:
                    start = max(0, size - int(m.group(2)))
                if start > end or start >= size:
                    self._headers(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE, "text/plain", 0,
                                  {"Content-Range": f"bytes */{size}"})
                    return
                status = HTTPStatus.PARTIAL_CONTENT
                extra["Content-Range"] = f"bytes {start}-{end}/{size}"
        length = max(0, end - start + 1)
        self._headers(status, ctype, length, extra)
        if self.command == "HEAD" or length == 0:
            return
        with path.open("rb") as f:
            f.seek(start)
            remaining = length
            while remaining > 0:
                chunk = f.read(min(1 << 16, remaining))
                if not chunk:
                    break
                self.wfile.write(chunk)
                remaining -= len(chunk)

    # ------------------------------------------------------------ POST

    def do_POST(self) -> None:  # noqa: N802 - stdlib name
        try:
            self._check_host()
            action = urlsplit(self.path).path
            if action not in (DECIDE_PATH, EDIT_PATH, APPLY_PATH):
                raise _Refused(HTTPStatus.NOT_FOUND, "no such form")
            ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            if ctype != "application/x-www-form-urlencoded":
                raise _Refused(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "forms must be application/x-www-form-urlencoded")
            self._check_origin()
            form = self._read_form()
            token = form.get("token", "")
            if not token or not hmac.compare_digest(token.encode(), self.server.token.encode()):
                raise _Refused(HTTPStatus.FORBIDDEN, "missing or wrong form token: reload the page and try again")
            package = self._package(form.get("package", ""))
            if action == EDIT_PATH:
                self._edit(package, form)
                return
            if action == APPLY_PATH:
                self.server.rerenders.start(package)
                self._redirect(self._page_of(package) + "#rerender")
                return
            status = form.get("status", "")
            if status not in DECISIONS:
                raise _Refused(HTTPStatus.BAD_REQUEST, "status must be approved or rejected")
            try:
                record_decision(package, status, by=form.get("by", ""), note=form.get("note") or None,  # type: ignore[arg-type]
                                expect_content=form.get("content_sha256") or None)
            except ReviewError as exc:
                code = HTTPStatus.CONFLICT if "changed" in exc.problem or "verify" in exc.problem \
                    else HTTPStatus.BAD_REQUEST
                raise _Refused(code, exc.one_line()) from exc
            from videonews.review.app import next_pending

            name = "" if package == self.server.root else package.name
            self._redirect(next_pending(find_packages(self.server.root), name) or "/")
        except _Refused as exc:
            self._fail(exc.status, exc.message)
        except (BrokenPipeError, ConnectionResetError) as exc:
            self._went_away(exc)

    def _page_of(self, package: Path) -> str:
        page = package / REVIEW_DIR / PAGE_NAME
        return "/" + quote(page.relative_to(self.server.root).as_posix()) if page.is_file() else "/"

    def _edit(self, package: Path, form: dict[str, str]) -> None:
        from videonews.review.app import edit_from_form
        from videonews.review.edits import add_edit

        try:
            add_edit(package, edit_from_form(form, package))
        except ReviewError as exc:
            raise _Refused(HTTPStatus.BAD_REQUEST, exc.one_line()) from exc
        self._redirect(self._page_of(package) + "#editor")

    def _progress(self) -> None:
        import json

        name = parse_qs(urlsplit(self.path).query).get("package", [""])[0]
        package = self._package(name)
        job = self.server.rerenders.state(package)
        data = json.dumps(job.as_json()).encode()
        self._headers(HTTPStatus.OK, "application/json; charset=utf-8", len(data), {"Cache-Control": "no-store"})
        if self.command != "HEAD":
            self.wfile.write(data)

    def _check_origin(self) -> None:
        origin = self.headers.get("Origin")
        source = origin if origin is not None else self.headers.get("Referer")
        if not source:
            raise _Refused(HTTPStatus.FORBIDDEN, "request has no Origin or Referer")
        parts = urlsplit(source.strip())
        if parts.scheme != "http" or parts.netloc.lower() not in self.server.allowed_hosts:
            raise _Refused(HTTPStatus.FORBIDDEN, "cross-site request refused")

    def _read_form(self) -> dict[str, str]:
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError as exc:
            raise _Refused(HTTPStatus.LENGTH_REQUIRED, "Content-Length required") from exc
        if length < 0 or length > MAX_FORM_BYTES:
            raise _Refused(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "form too large")
        body = self.rfile.read(length)
        self._request_in()
        try:
            parsed = parse_qs(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False, max_num_fields=20)
        except (UnicodeDecodeError, ValueError) as exc:
            raise _Refused(HTTPStatus.BAD_REQUEST, "malformed form") from exc
        return {k: v[0] for k, v in parsed.items()}

    def _package(self, name: str) -> Path:
        root = self.server.root
        if name == "":
            folder = root
        else:
            if "/" in name or "\\" in name or "\x00" in name or name.startswith(".") or name in ("..", "."):
                raise _Refused(HTTPStatus.FORBIDDEN, "bad package name")
            folder = (root / name).resolve()
            if folder.parent != root:
                raise _Refused(HTTPStatus.FORBIDDEN, "package outside the served folder")
        if not (folder / MANIFEST_NAME).is_file():
            raise _Refused(HTTPStatus.NOT_FOUND, "no such package")
        return folder


def serve(root: Path, host: str = "127.0.0.1", port: int = 8000, allow_hosts: tuple[str, ...] = (),
          on_ready: Any = None, limits: Limits | None = None, settings: Settings | None = None) -> None:
    """Serve until interrupted."""
    server = make_server(root, host, port, allow_hosts, limits, settings)
    if on_ready is not None:
        on_ready(server)
    try:
        server.serve_forever()
    finally:
        server.server_close()


@contextlib.contextmanager
def running(server: ReviewServer) -> Iterator[ReviewServer]:
    """Serve on a background thread for the duration of the block (tests, or a tool that embeds the app),
    then shut down, close the socket and wait for the thread."""
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


__all__ = ["Limits", "ReviewServer", "make_server", "running", "serve"]
