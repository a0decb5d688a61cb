"""Faces: posters and crops prefer a visible face; crops keep it inside with headroom (generated images
with a synthetic face the Haar cascade detects, placed off centre)."""

from __future__ import annotations

from pathlib import Path

import pytest

from videonews.images import ImageCredits
from videonews.images.faces import detect_faces, subject_crop_box
from videonews.images.frames import pick_posters
from videonews.images.renditions import DEFAULT_SPECS, render_renditions
from videonews.testing.faces import crowd_image, face_image


@pytest.mark.parametrize(("cx", "cy", "r"), [(1000, 300, 90), (250, 400, 70), (640, 330, 120)])
def test_the_face_is_found_where_it_was_drawn(cx: float, cy: float, r: float) -> None:
    faces = detect_faces(face_image(cx=cx, cy=cy, r=r))
    assert faces, "no face found"
    f = faces[0]
    assert abs(f.cx - cx) < 0.5 * r and abs(f.cy - cy) < 0.8 * r


def test_no_face_in_a_crowd_seen_from_behind() -> None:
    assert detect_faces(crowd_image()) == []


@pytest.mark.parametrize(("cx", "cy"), [(1050, 300), (230, 330), (1150, 250)])
@pytest.mark.parametrize("aspect", [9 / 16, 1.0, 4 / 3])
def test_crops_keep_an_off_centre_face_with_headroom(cx: float, cy: float, aspect: float) -> None:
    r = 80
    im = face_image(cx=cx, cy=cy, r=r)
    left, top, right, bottom = subject_crop_box(im, aspect)
    assert abs((right - left) / (bottom - top) - aspect) < 0.01
    face = detect_faces(im)[0]
    assert left <= face.x and face.x + face.w <= right  # the whole face is in
    assert face.y - top >= 0.25 * face.h  # headroom above it
    assert face.y + face.h <= bottom


def test_a_portrait_crop_of_a_wide_frame_with_the_face_at_an_edge(tmp_path: Path) -> None:
    """A plain saliency crop of this frame is pulled towards the bright busy left; the face wins."""
    im = face_image(cx=1180, cy=280, r=80)
    from PIL import ImageDraw

    d = ImageDraw.Draw(im)
    for x in range(0, 500, 12):
        d.line((x, 0, x + 60, 720), fill=(255, 255, 0), width=3)
    out = render_renditions(im, DEFAULT_SPECS, tmp_path, stem="p", credits=ImageCredits(), formats=("jpeg",))
    portrait = next(r for r in out if r.name.startswith("9x16"))
    assert portrait.crop[0] <= 1180 - 80 and portrait.crop[2] >= 1180 + 80


def test_poster_prefers_the_speaker_to_the_backs_of_heads() -> None:
    crowd = crowd_image()
    speaker = face_image(cx=420, cy=300, r=85)
    # two shots: the crowd (2-6 s), then the speaker at the podium (8-12 s)
    frames = [(t, crowd.resize((480, 270))) for t in (2.0, 4.0, 6.0)]
    frames += [(t, speaker.resize((480, 270))) for t in (8.0, 10.0, 12.0)]
    plain = pick_posters(frames, shots=[7.0], duration=14.0, faces=False)
    assert plain[0].time < 7.0  # the crowd is sharper and more colourful...
    best = pick_posters(frames, shots=[7.0], duration=14.0)
    assert best[0].time > 7.0 and "face" in best[0].reasons  # ...but the face wins


def test_poster_prefers_a_named_speakers_soundbite_without_a_detectable_face() -> None:
    """The sample's case: drawn speakers the cascade cannot see; the soundbite says who is on camera."""
    from PIL import ImageFilter

    crowd = crowd_image().resize((480, 270))
    podium = crowd_image(seed=9).filter(ImageFilter.GaussianBlur(1.5)).resize((480, 270))  # a softer shot
    frames = [(t, crowd) for t in (2.0, 4.0, 6.0)] + [(t, podium) for t in (8.0, 10.0, 12.0)]
    assert pick_posters(frames, shots=[7.0], duration=14.0)[0].time < 7.0
    best = pick_posters(frames, shots=[7.0], duration=14.0, soundbites=[(7.5, 12.5)])
    assert best[0].time > 7.0 and "speaker on camera" in best[0].reasons
