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


def _hostile_manifest(tmp_path):  # type: ignore[no-untyped-def]
    from videonews.manifest import QuoteTiming

    sha = "0" * 64
    evil = 'Breaking </script><script>alert(1)</script> <!-- & "quotes"'
    return Manifest(
        story=StoryInfo(id="s", headline=evil, date=None, language="en", source="</SCRIPT >Outlet",
                        source_url="javascript:alert(2)", editor="<b>Ed</b>"),
        credits=[CreditEntry(role="photo", name="</script>", organization="X", credit_line="X/</script>")],
        quotes=[QuoteEntry(id="q1", speaker="Ana </script>", text="We will </script> build it", partial=False,
                           span=(0, 1), confidence=1, in_video=True,
                           timing=QuoteTiming(source="aligned", start=2.4, end=6.8, confidence=0.9)),
                QuoteEntry(id="q2", speaker="Bo", text="not heard", partial=False, span=(2, 3), confidence=1,
                           in_video=False, timing=QuoteTiming(source="none", confidence=0))],
        assets=[Asset(role="captioned_video", path="captioned.mp4", media_type="video/mp4", bytes=1, sha256=sha,
                      duration=12.0),
                Asset(role="poster", path="javascript:alert(3)", media_type="image/jpeg", bytes=1, sha256=sha),
                Asset(role="thumbnail", path="images/t.jpg", media_type="image/jpeg", bytes=1, sha256=sha),
                Asset(role="photo_rendition", path="images/p.jpg", media_type="image/jpeg", bytes=1, sha256=sha,
                      format="jpeg")],
        provenance=Provenance(inputs=[InputFile(role="video", name="v.mp4", bytes=1, sha256=sha)],
                              videonews_version="0", ffmpeg_version="x", created_at="2026-01-01T00:00:00Z"),
    )


def test_jsonld_embeds_safely_in_a_web_page(tmp_path):
    """Article fields with </script> and javascript: URLs: the page a CMS makes by pasting the file into a
    script element still has exactly one script element, and its JSON reads back unchanged."""
    import json
    from html.parser import HTMLParser

    from videonews.structured import write_structured_data

    m = _hostile_manifest(tmp_path)
    text = write_structured_data(m, tmp_path).read_text(encoding="utf-8")
    page = f'<html><head><script type="application/ld+json">{text}</script></head><body><p>x</p></body></html>'

    class Scripts(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.count, self.data, self.inside = 0, "", False

        def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
            if tag == "script":
                self.count += 1
                self.inside = True

        def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
            if tag == "script":
                self.inside = False

        def handle_data(self, data):  # type: ignore[no-untyped-def]
            if self.inside:
                self.data += data

    parser = Scripts()
    parser.feed(page)
    assert parser.count == 1
    for raw in ("<", ">", "&"):
        assert raw not in text
    data = json.loads(parser.data)
    assert data == structured_data(m) and data["headline"].startswith("Breaking </script>")
    assert "javascript" not in text.lower() and data["video"]["thumbnailUrl"] == ["images/t.jpg"]
    assert "url" not in data


def test_video_object_has_googles_fields_and_a_clip_per_quote(tmp_path):
    video = structured_data(_hostile_manifest(tmp_path))["video"]
    assert video["uploadDate"] == "2026-01-01T00:00:00Z"  # no article date: when the package was made
    assert video["contentUrl"] == "captioned.mp4" and video["duration"] == "PT12S"
    assert video["hasPart"] == [{"@type": "Clip", "name": "Ana </script>: We will </script> build it",
                                 "startOffset": 2, "endOffset": 7, "url": "captioned.mp4#t=2"}]
