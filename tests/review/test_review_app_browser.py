"""The review app in headless Chromium: edit a quote's timing and the poster in place, Re-render, and check
what changed on disk; a day's batch walked with the keyboard; two reviewers editing one package at once.
Skipped without chromium or playwright."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from videonews.manifest import Manifest, read_manifest, verify_package
from videonews.review.decision import record_decision
from videonews.review.edits import load_edits
from videonews.review.server import ReviewServer, make_server, running

from .conftest import FAST, STORY_ID, Built
from .test_review_browser import ARGS, CHROMIUM, wait_until

pytestmark = pytest.mark.browser
SCREENSHOT = Path("/tmp/review-app.png")  # docs/review-app.png is a copy of one, for the README


@pytest.fixture
def sync_api():  # type: ignore[no-untyped-def]
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium")
    return pytest.importorskip("playwright.sync_api")


def _serve(root: Path) -> Iterator[ReviewServer]:
    srv = make_server(root, "127.0.0.1", 0, settings=FAST)
    with running(srv):
        yield srv


@pytest.fixture
def browser(sync_api):  # type: ignore[no-untyped-def]
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield b
        finally:
            b.close()


def _watch(page, problems: list[str]) -> None:  # type: ignore[no-untyped-def]
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))


def _secs(stamp: str) -> float:
    h, m, s = stamp.replace(",", ".").split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)


def test_edit_timing_and_poster_in_the_app_then_rerender(browser, pkg: Path) -> None:  # type: ignore[no-untyped-def]
    record_decision(pkg, "approved", by="Ed")
    before = read_manifest(pkg)
    problems: list[str] = []
    for srv in _serve(pkg.parent):
        page = browser.new_page(viewport={"width": 1300, "height": 1000})
        _watch(page, problems)
        url = f"{srv.url}{pkg.name}/review/index.html"
        page.goto(url, wait_until="load")
        page.fill("#reviewer", "Browser QA")
        # a quote's timing, typed in place
        row = page.locator("#edit-q1 form.quote-timing")
        row.locator("input[name=start]").fill("1.0")
        row.locator("input[name=end]").fill("6.5")
        with page.expect_navigation():
            row.locator("button[type=submit]").click()
        assert page.inner_text("#todo") == "1 edit to apply"
        # the poster: a candidate picked, then "this frame" at the player's time
        page.eval_on_selector("#preview", "v => { v.currentTime = 5.0; }")
        wait_until(page, "Math.abs(document.querySelector('#preview').currentTime - 5.0) < 0.01")
        page.click("#poster-form button.this-frame")
        assert page.input_value("#poster-form input[name=time]") == "5.00"
        with page.expect_navigation():
            page.click("#poster-form button[type=submit]")
        m = read_manifest(pkg)
        assert m.qa.status == "pending"  # the approval is reset by the first edit
        assert [e.note for e in m.qa.history[-2:]] == ["edit: quote q1 timed 1-6.5 s", "edit: poster frame at 5 s"]
        assert [e.by for e in m.qa.history[-2:]] == ["Browser QA", "Browser QA"]
        assert "edit: poster frame at 5 s" in page.inner_text("#qa")  # the history shows each edit
        # Re-render: progress in the page, then the page again with the new outputs
        with page.expect_navigation():
            page.click("#rerender button.rerender-button")
        wait_until(page, "(() => { const p = document.querySelector('#progress');"
                     " return p && p.dataset.state === 'done' && !p.textContent.includes('reloading'); })()", 180)
        assert "re-rendered (full re-render" in page.inner_text("#progress")
        assert page.inner_text("#todo") == "0 edits to apply"
        page.wait_for_load_state("load")
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(SCREENSHOT), clip={"x": 0, "y": 0, "width": 1300, "height": 1000})
        page.close()
    assert problems == []
    _check_rerendered(pkg, before)


def _check_rerendered(pkg: Path, before: Manifest) -> None:
    old_poster = next(a for a in before.assets if a.role == "poster")
    m = read_manifest(pkg)
    assert verify_package(pkg) == []
    assert m.qa.status == "pending" and m.content_digest() != before.content_digest()
    assert m.integrity == m.canonical_digest()
    assert m.edits is not None and (m.edits.count, m.edits.applied) == (2, 2)
    # the new subtitle times, in SRT and ASS
    srt = next((pkg / "subtitles").glob("*.srt")).read_text(encoding="utf-8")
    first = re.search(r"(\d\d:\d\d:\d\d,\d\d\d) --> (\d\d:\d\d:\d\d,\d\d\d)\n.*finish", srt)
    assert first and abs(_secs(first.group(1)) - 1.0) < 0.05
    ass = next((pkg / "subtitles").glob("*.ass")).read_text(encoding="utf-8")
    dialogue = re.search(r"^Dialogue: \d+,(\d+:\d\d:\d\d\.\d\d),[^,]+,Caption,", ass, re.M)
    assert dialogue and abs(_secs(dialogue.group(1)) - 1.0) < 0.02
    q1 = next(q for q in m.quotes if q.id == "q1")
    assert q1.timing is not None and q1.timing.source == "edit"
    # the new poster file
    poster = next(a for a in m.assets if a.role == "poster")
    assert poster.time == 5.0 and poster.sha256 != old_poster.sha256
    assert m.poster is not None and m.poster.pinned_by == "edit"


def test_a_days_batch_walked_with_the_keyboard(browser, package: Built) -> None:  # type: ignore[no-untyped-def]
    root = package.folder.parent
    names = [f"{STORY_ID}-{i}" for i in (1, 2, 3)]
    for n in names:
        shutil.copytree(package.folder, root / n, symlinks=True)
    shutil.rmtree(package.folder)
    problems: list[str] = []
    for srv in _serve(root):
        page = browser.new_page(viewport={"width": 1300, "height": 900})
        _watch(page, problems)
        page.goto(srv.url, wait_until="load")
        page.evaluate("localStorage.setItem('videonews.reviewer', 'Key QA')")
        assert page.locator("tr[data-href] img.row-poster").count() == 3  # each row: poster, flags, lint
        assert "to check" in page.inner_text(f"#row-{names[0]}") and "warning" in page.inner_text(f"#row-{names[0]}")
        page.keyboard.press("j")
        page.keyboard.press("k")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.url.endswith(f"/{names[0]}/review/index.html")
        with page.expect_navigation():
            page.keyboard.press("a")  # approve: on to the next pending package
        assert page.url.endswith(f"/{names[1]}/review/index.html")
        with page.expect_navigation():
            page.keyboard.press("k")  # previous package
        assert page.url.endswith(f"/{names[0]}/review/index.html")
        with page.expect_navigation():
            page.keyboard.press("j")
        assert page.url.endswith(f"/{names[1]}/review/index.html")
        page.keyboard.press(" ")  # play
        wait_until(page, "!document.querySelector('#preview').paused")
        page.keyboard.press(" ")  # pause
        wait_until(page, "document.querySelector('#preview').paused")
        with page.expect_navigation():
            page.keyboard.press("r")
        assert page.url.endswith(f"/{names[2]}/review/index.html")
        with page.expect_navigation():
            page.keyboard.press("a")
        assert page.url == srv.url  # none left pending: the list
        # the list's filters
        page.goto(srv.url + "?status=rejected")
        assert page.locator("tr[data-href]").count() == 1
        page.goto(srv.url + "?needs_review=1")
        assert page.locator("tr[data-href]").count() == 3
        page.close()
    assert problems == []
    statuses = [read_manifest(root / n).qa for n in names]
    assert [q.status for q in statuses] == ["approved", "rejected", "approved"]
    assert all(q.history[-1].by == "Key QA" for q in statuses)


def test_two_reviewers_editing_one_package_are_both_recorded(browser, package: Built) -> None:  # type: ignore[no-untyped-def]
    pkgdir = package.folder
    problems: list[str] = []
    for srv in _serve(pkgdir.parent):
        url = f"{srv.url}{STORY_ID}/review/index.html"
        pages = []
        for who in ("Ana", "Ben"):
            ctx = browser.new_context(viewport={"width": 1200, "height": 900})
            page = ctx.new_page()
            _watch(page, problems)
            page.goto(url, wait_until="load")
            page.fill("#reviewer", who)
            page.fill("#note-form input[name=text]", f"{who} says check this")
            page.fill("#note-form input[name=time]", "1.5" if who == "Ana" else "2.5")
            pages.append(page)
        # both pages were loaded before either edit: the second must not overwrite the first
        for page in pages:
            with page.expect_navigation():
                page.click("#note-form button[type=submit]")
        assert "Ben says check this" in pages[1].inner_text("#edits")
        assert "Ana says check this" in pages[1].inner_text("#edits")
    assert problems == []
    log = load_edits(pkgdir)
    assert log is not None and sorted((e.by, e.text) for e in log.edits) == [  # type: ignore[union-attr]
        ("Ana", "Ana says check this"), ("Ben", "Ben says check this")]
    assert verify_package(pkgdir) == []


def test_a_cue_edge_dragged_on_the_timeline_is_recorded(browser, package: Built) -> None:  # type: ignore[no-untyped-def]
    problems: list[str] = []
    for srv in _serve(package.folder.parent):
        page = browser.new_page(viewport={"width": 1300, "height": 900})
        _watch(page, problems)
        page.goto(f"{srv.url}{STORY_ID}/review/index.html", wait_until="load")
        page.fill("#reviewer", "Drag QA")
        line = page.locator("#edit-timeline").bounding_box()
        edge = page.locator('.edge.end[data-cue="1"]').bounding_box()
        duration = float(page.get_attribute("#editor", "data-duration") or 0)
        assert line and edge and duration > 0
        target_x = line["x"] + line["width"] * 1.2 / duration
        page.mouse.move(edge["x"] + edge["width"] / 2, edge["y"] + edge["height"] / 2)
        page.mouse.down()
        page.mouse.move((edge["x"] + target_x) / 2, edge["y"] + 5, steps=4)
        page.mouse.move(target_x, edge["y"] + 5, steps=4)
        with page.expect_navigation():
            page.mouse.up()
        assert "edit: cue 1 end at" in page.inner_text("#qa")
        page.close()
    assert problems == []
    log = load_edits(package.folder)
    assert log is not None and len(log.edits) == 1
    e = log.edits[0]
    assert (e.kind, e.cue, e.edge, e.by) == ("cue_boundary", 1, "end", "Drag QA")  # type: ignore[union-attr]
    assert abs(e.time - 1.2) < 2 * duration / line["width"] + 0.01  # type: ignore[union-attr]
