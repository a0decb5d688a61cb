"""The review page in headless Chromium, served by `review serve`: video and track load, images
decode, no console errors, Approve changes the manifest. Skipped without chromium or playwright."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from videonews.manifest import read_manifest, verify_package
from videonews.review.server import make_server

from .conftest import STORY_ID, Built

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
SCREENSHOT = Path("/tmp/review-page.png")

pytestmark = pytest.mark.browser


@pytest.fixture
def playwright_api():  # type: ignore[no-untyped-def]
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    return sync_api


def wait_until(page, expression: str, timeout: float = 20.0) -> None:  # type: ignore[no-untyped-def]
    """Poll an expression from the test side. Playwright's wait_for_function polls with the page's own eval()
    once its first try is false, and the review page's CSP (script-src 'self') refuses eval."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if page.evaluate(expression):
                return
        except Exception as exc:  # the page reloading under us: ask the new one
            if "context was destroyed" not in str(exc) and "navigat" not in str(exc):
                raise
        if time.monotonic() > deadline:
            raise AssertionError(f"never true: {expression}")
        page.wait_for_timeout(100)


def test_review_page_in_chromium(playwright_api, package: Built) -> None:  # type: ignore[no-untyped-def]
    srv = make_server(package.folder.parent, "127.0.0.1", 0)
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    problems: list[str] = []
    try:
        with playwright_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            try:
                page = browser.new_page(viewport={"width": 1300, "height": 900})
                page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}")
                        if m.type in ("error", "warning") else None)
                page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
                # a <video> with preload=metadata cancels the rest of its download: that is not a failure
                page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url} {r.failure}")
                        if not (r.url.endswith(".mp4") and "ERR_ABORTED" in (r.failure or "")) else None)
                page.goto(f"{srv.url}{STORY_ID}/review/index.html", wait_until="load")

                wait_until(page, "document.querySelector('video').readyState >= 1")
                page.evaluate("document.querySelector('video').textTracks[0].mode = 'hidden'")
                wait_until(page, "(() => { const t = document.querySelector('video').textTracks[0];"
                                  " return !!(t && t.cues && t.cues.length > 0); })()")
                cues = page.evaluate("Array.from(document.querySelector('video').textTracks[0].cues)"
                                     ".map(c => [c.startTime, c.endTime, c.text])")
                assert len(cues) == 2 and cues[0][0] == pytest.approx(0.5)
                broken = page.evaluate("Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0))"
                                       ".map(i => i.getAttribute('src'))")
                assert broken == []
                assert page.evaluate("document.images.length") >= 10
                # one script, the app's own from this server (the CSP refuses inline and foreign ones)
                assert page.evaluate("Array.from(document.scripts).map(s => s.getAttribute('src'))") == ["/_review/app.js"]
                assert page.evaluate("document.querySelector('video').textTracks[0].mode") == "hidden"
                assert "<script>alert(1)</script>" in page.inner_text("#cue-2")  # shown as text
                page.screenshot(path=str(SCREENSHOT), full_page=True)

                page.fill("#decision input[name=by]", "Browser QA")
                page.fill("#decision input[name=note]", "looks right")
                with page.expect_navigation():
                    page.click("#decision button.approve")
                assert page.url == srv.url  # no other package pending: back to the list
                assert read_manifest(package.folder).qa.status == "approved"

                # the SVG plots on their own, screenshotted for a person to look at
                for name in ("timeline.svg", "loudness.svg"):
                    page.goto(f"{srv.url}{STORY_ID}/review/{name}")
                    assert page.evaluate("document.documentElement.tagName") == "svg"
                    page.set_viewport_size({"width": 1000, "height": 320})
                    page.screenshot(path=f"/tmp/review-{name}.png")
            finally:
                browser.close()
    finally:
        srv.shutdown()
        srv.server_close()
        thread.join(5)
    assert problems == []
    m = read_manifest(package.folder)
    assert m.qa.status == "approved" and m.qa.history[-1].by == "Browser QA"
    assert verify_package(package.folder) == []

