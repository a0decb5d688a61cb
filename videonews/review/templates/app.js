// videonews review app: edits in place, the re-render's progress, keyboard shortcuts.
// Served by `videonews review serve` at /_review/app.js (the page's CSP allows scripts from this server only).
(function () {
  "use strict";
  var KEY = "videonews.reviewer";
  var video = document.getElementById("preview");
  var editor = document.getElementById("editor");

  function reviewer() { var el = document.getElementById("reviewer"); return el ? el.value.trim() : (localStorage.getItem(KEY) || ""); }
  function typing(ev) { var t = ev.target; return t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName)); }
  function now() { return video ? Math.max(0, video.currentTime).toFixed(2) : "0"; }

  // the reviewer's name: kept in this browser, copied into every form that records it
  var nameBox = document.getElementById("reviewer");
  var saved = localStorage.getItem(KEY) || "";
  if (nameBox) {
    nameBox.value = saved;
    nameBox.addEventListener("input", function () { localStorage.setItem(KEY, nameBox.value.trim()); fillNames(); });
  }
  function fillNames() {
    var name = nameBox ? nameBox.value.trim() : saved;
    document.querySelectorAll("form input[name=by]").forEach(function (el) {
      if (el.type === "hidden" || !el.value) { el.value = name; }
    });
  }
  fillNames();
  document.querySelectorAll("form").forEach(function (f) {
    f.addEventListener("submit", function (ev) {
      var by = f.querySelector("input[name=by]");
      if (!by) { return; }
      if (by.type === "hidden") { by.value = reviewer(); }
      if (!by.value.trim()) {
        ev.preventDefault();
        if (nameBox) { nameBox.focus(); nameBox.setAttribute("aria-invalid", "true"); }
        else { by.focus(); }
        return;
      }
      if (by.type !== "hidden") { localStorage.setItem(KEY, by.value.trim()); }
    });
  });

  // "this frame" / "now": the preview's current time into the form's time field
  document.querySelectorAll("button.this-frame").forEach(function (b) {
    b.addEventListener("click", function () { b.form.querySelector("input[name=time]").value = now(); });
  });
  document.querySelectorAll("#poster-form input[name=pick]").forEach(function (r) {
    r.addEventListener("change", function () { r.form.querySelector("input[name=time]").value = (+r.value).toFixed(2); });
  });

  // sidecar WebVTT: off over the burned-in captions, a toggle to check it
  var toggle = document.getElementById("sidecar-toggle");
  if (video && video.textTracks.length) {
    video.textTracks[0].mode = "hidden";
    if (toggle) {
      toggle.disabled = false;
      toggle.addEventListener("change", function () { video.textTracks[0].mode = toggle.checked ? "showing" : "hidden"; });
    }
  }

  // the cue timeline: drag an edge, let go, the move is recorded
  var line = document.getElementById("edit-timeline");
  if (line && editor) {
    var duration = parseFloat(editor.dataset.duration) || 1;
    var drag = null;
    line.addEventListener("pointerdown", function (ev) {
      var edge = ev.target.closest(".edge");
      if (!edge) { return; }
      ev.preventDefault();
      drag = { cue: edge.dataset.cue, edge: edge.dataset.edge, block: edge.parentElement, time: null };
      line.setPointerCapture(ev.pointerId);
    });
    line.addEventListener("pointermove", function (ev) {
      if (!drag) { return; }
      var r = line.getBoundingClientRect();
      var t = Math.min(duration, Math.max(0, (ev.clientX - r.left) / r.width * duration));
      drag.time = t;
      var s = parseFloat(drag.block.dataset.start), e = parseFloat(drag.block.dataset.end);
      if (drag.edge === "start") { s = Math.min(t, e - 0.04); } else { e = Math.max(t, s + 0.04); }
      drag.block.style.left = (100 * s / duration) + "%";
      drag.block.style.width = (100 * (e - s) / duration) + "%";
      drag.block.title = "cue " + drag.cue + ": " + s.toFixed(2) + "–" + e.toFixed(2) + " s";
    });
    line.addEventListener("pointerup", function () {
      var d = drag; drag = null;
      if (!d || d.time === null) { return; }
      var f = document.getElementById("cue-form");
      f.querySelector("input[name=cue]").value = d.cue;
      f.querySelector("select[name=edge]").value = d.edge;
      f.querySelector("input[name=time]").value = d.time.toFixed(2);
      if (f.requestSubmit) { f.requestSubmit(); } else { f.submit(); }
    });
    var head = document.getElementById("playhead");
    if (video && head) {
      video.addEventListener("timeupdate", function () { head.style.left = (100 * video.currentTime / duration) + "%"; });
    }
  }

  // the re-render: its progress in the page, then the page again with the new outputs
  var progress = document.getElementById("progress");
  if (progress && editor && progress.dataset.state === "running") {
    var poll = function () {
      fetch("/_review/progress?package=" + encodeURIComponent(editor.dataset.package), { cache: "no-store" })
        .then(function (r) { return r.json(); })
        .then(function (j) {
          progress.dataset.state = j.state;
          if (j.state === "running") { progress.textContent = "re-rendering: " + j.stage; setTimeout(poll, 400); }
          else if (j.state === "done") { progress.textContent = "re-rendered (" + j.message + "): reloading"; location.reload(); }
          else { progress.textContent = "re-render failed: " + j.message; }
        })
        .catch(function () { setTimeout(poll, 1000); });
    };
    poll();
  }

  // keyboard: j/k next/previous package, a approve, r reject, space play/pause, n a note at this time
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr[data-href]"));
  var current = rows.length ? 0 : -1;
  function select(i) {
    if (!rows.length) { return; }
    current = Math.max(0, Math.min(rows.length - 1, i));
    rows.forEach(function (r, k) { r.classList.toggle("selected", k === current); });
    rows[current].scrollIntoView({ block: "nearest" });
  }
  if (rows.length) { select(0); }
  function decide(cls) {
    var scope = rows.length ? rows[current] : document.getElementById("decision");
    var button = scope && scope.querySelector("button." + cls);
    if (!button) { return; }
    var by = button.form.querySelector("input[name=by]");
    if (by && !by.value.trim()) { by.value = reviewer(); }
    if (by && !by.value.trim()) { (nameBox || by).focus(); return; }
    if (button.form.requestSubmit) { button.form.requestSubmit(button); } else { button.click(); }
  }
  document.addEventListener("keydown", function (ev) {
    if (typing(ev) || ev.ctrlKey || ev.metaKey || ev.altKey) { return; }
    var k = ev.key;
    if (k === "j" || k === "k") {
      if (rows.length) { select(current + (k === "j" ? 1 : -1)); }
      else if (editor) { var to = k === "j" ? editor.dataset.next : editor.dataset.prev; if (to) { location.href = to; } }
    } else if (k === "Enter" && rows.length) {
      location.href = rows[current].dataset.href;
    } else if (k === "a") { decide("approve"); }
    else if (k === "r") { decide("reject"); }
    else if (k === " " && video) { ev.preventDefault(); if (video.paused) { var playing = video.play(); if (playing && playing.catch) { playing.catch(function () {}); } } else { video.pause(); } }
    else if (k === "n" && editor) {
      var f = document.getElementById("note-form");
      f.querySelector("input[name=time]").value = now();
      ev.preventDefault();
      f.querySelector("input[name=text]").focus();
    } else { return; }
  });
})();
