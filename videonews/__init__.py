"""videonews: package news stories into captioned video, subtitles, thumbnails and a CMS manifest."""

__version__ = "0.1.0"
