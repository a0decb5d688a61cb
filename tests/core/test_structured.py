from videonews.manifest import Asset, CreditEntry, InputFile, Manifest, Provenance, QuoteEntry, StoryInfo
from videonews.structured import iso_duration, structured_data


def test_iso_duration():
    assert iso_duration(114.2) == "PT1M54S"
    assert iso_duration(0) == "PT0S"
    assert iso_duration(3600) == "PT1H"
    assert iso_duration(3725) == "PT1H2M5S"


def test_video_object_has_required_fields_and_credits():
    sha = "0" * 64
    m = Manifest(
        story=StoryInfo(id="s", headline="Summit underway", date="2016-11-17", language="en", source="CCTV.com"),
        credits=[CreditEntry(role="video", organization="CCTV", credit_line="CCTV.com"),
                 CreditEntry(role="photo", name="Li Xin", organization="Xinhua", credit_line="Xinhua/Li Xin")],
        quotes=[QuoteEntry(id="q1", speaker="Liu Yunshan", text="x", partial=False, span=(0, 1), confidence=1,
                           in_video=True),
                QuoteEntry(id="q2", speaker="Jack Ma", text="y", partial=False, span=(2, 3), confidence=1,
                           in_video=False)],
        assets=[
            Asset(role="captioned_video", path="captioned.mp4", media_type="video/mp4", bytes=1, sha256=sha,
                  width=1280, height=720, duration=63.6),
            Asset(role="poster", path="images/poster.jpg", media_type="image/jpeg", bytes=1, sha256=sha),
            Asset(role="photo_rendition", path="images/photo-16x9-1280.jpg", media_type="image/jpeg", bytes=1,
                  sha256=sha, width=1280, height=720, format="jpeg"),
            Asset(role="subtitles", path="subtitles/s.en.vtt", media_type="text/vtt", bytes=1, sha256=sha,
                  format="vtt"),
        ],
        provenance=Provenance(inputs=[InputFile(role="video", name="v.mp4", bytes=1, sha256=sha)],
                              videonews_version="0", ffmpeg_version="x", created_at="2026-01-01T00:00:00Z"),
    )
    data = structured_data(m)
    assert data["@type"] == "NewsArticle" and data["headline"] == "Summit underway"
    video = data["video"]
    for key in ("name", "description", "thumbnailUrl", "uploadDate"):  # Google's required fields
        assert video[key]
    assert video["duration"] == "PT1M4S" and video["contentUrl"] == "captioned.mp4"
    assert video["creditText"] == "CCTV.com" and "CCTV.com" in video["copyrightNotice"]
    assert data["image"][0]["creditText"] == "Xinhua/Li Xin"
    assert "Liu Yunshan" in video["description"]
    assert "Jack Ma" not in video["description"]  # quoted in the article, not seen speaking in the video
    headless = structured_data(m.model_copy(update={"story": m.story.model_copy(update={"headline": None})}))
    assert "None" not in headless["video"]["description"] and headless["video"]["description"].startswith("s.")
