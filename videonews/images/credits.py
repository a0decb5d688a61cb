"""Photo credits: IPTC Core XMP packets and EXIF mirrors, written into and read back from files.

Writing: `xmp_packet(credits)` builds an XMP packet (dc:creator, photoshop:Credit,
photoshop:Source, dc:rights, dc:description, dc:title); `exif_bytes(credits)` builds an
EXIF block with Artist (0x013B), Copyright (0x8298) and ImageDescription (0x010E).
The renditions module passes both to Pillow's JPEG/WebP writers.

Reading: `read_embedded_credits(path)` prefers XMP, then IPTC-IIM (APP13), then EXIF,
field by field, so the lead can compare what the agency embedded with the article's
credit line.

The XMP parser is ours (no defusedxml needed): packets with a DOCTYPE or ENTITY
declaration are ignored rather than parsed.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from videonews.errors import MediaError

NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "photoshop": "http://ns.adobe.com/photoshop/1.0/",
    "xml": "http://www.w3.org/XML/1998/namespace",
}

# Legacy IPTC-IIM limits (bytes) for the fields the standards doc names.
IIM_LIMITS = {"creator": 32, "credit": 32, "source": 32}

TAG_IMAGE_DESCRIPTION = 0x010E
TAG_ARTIST = 0x013B
TAG_COPYRIGHT = 0x8298
TAG_XP_TITLE = 0x9C9B

# IPTC-IIM record 2 datasets.
_IIM = {"title": (2, 5), "creator": (2, 80), "credit": (2, 110), "source": (2, 115),
        "rights": (2, 116), "description": (2, 120)}

_FIELDS = ("creator", "credit", "source", "rights", "description", "title")


class ImageCredits(BaseModel):
    """Who made a photo and who may publish it (IPTC Core names in the comments)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    creator: str | None = None  # dc:creator, EXIF Artist (photographer, e.g. "Li Xin")
    credit: str | None = None  # photoshop:Credit (credit line, e.g. "Xinhua")
    source: str | None = None  # photoshop:Source
    rights: str | None = None  # dc:rights, EXIF Copyright
    description: str | None = None  # dc:description, EXIF ImageDescription (the caption)
    title: str | None = None  # dc:title

    def is_empty(self) -> bool:
        return not any(getattr(self, f) for f in _FIELDS)


def iptc_length_warnings(credits: ImageCredits) -> list[str]:
    """Warnings for fields longer than legacy IPTC-IIM allows (32 bytes, UTF-8)."""
    out = []
    for field, limit in IIM_LIMITS.items():
        value = getattr(credits, field)
        if value and len(value.encode("utf-8")) > limit:
            n = len(value.encode("utf-8"))
            out.append(f"{field} is {n} bytes, over the {limit}-byte IPTC-IIM limit: "
                       f"legacy readers will truncate {value!r}")
    return out


# ---------------------------------------------------------------- writing

_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _esc(value: str) -> str:
    value = _XML_BAD.sub("", value)
    return (value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def _split_creators(creator: str) -> list[str]:
    parts = [p.strip() for p in re.split(r"\s*;\s*", creator) if p.strip()]
    return parts or [creator]


def xmp_packet(credits: ImageCredits) -> bytes:
    """An XMP packet (UTF-8, with xpacket wrapper) carrying the IPTC Core credit fields."""
    props: list[str] = []
    if credits.creator:
        items = "".join(f"<rdf:li>{_esc(c)}</rdf:li>" for c in _split_creators(credits.creator))
        props.append(f"<dc:creator><rdf:Seq>{items}</rdf:Seq></dc:creator>")
    for field, tag in (("title", "dc:title"), ("description", "dc:description"), ("rights", "dc:rights")):
        value = getattr(credits, field)
        if value:
            props.append(f'<{tag}><rdf:Alt><rdf:li xml:lang="x-default">{_esc(value)}</rdf:li>'
                         f"</rdf:Alt></{tag}>")
    for field, tag in (("credit", "photoshop:Credit"), ("source", "photoshop:Source")):
        value = getattr(credits, field)
        if value:
            props.append(f"<{tag}>{_esc(value)}</{tag}>")
    body = "\n   ".join(props)
    packet = (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="videonews">\n'
        ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '  <rdf:Description rdf:about=""\n'
        '    xmlns:dc="http://purl.org/dc/elements/1.1/"\n'
        '    xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/">\n'
        f"   {body}\n"
        "  </rdf:Description>\n"
        " </rdf:RDF>\n"
        "</x:xmpmeta>\n"
        '<?xpacket end="w"?>'
    )
    return packet.encode("utf-8")


def exif_bytes(credits: ImageCredits) -> bytes:
    """An EXIF block (starting with b"Exif\\0\\0") with Artist, Copyright, ImageDescription.

    EXIF ASCII fields are written as UTF-8 bytes (what exiftool and most tools read back);
    the title also goes to XPTitle (UCS-2) so Windows shows it.
    """
    from PIL import Image

    exif = Image.Exif()
    for tag, value in ((TAG_ARTIST, credits.creator), (TAG_COPYRIGHT, credits.rights),
                       (TAG_IMAGE_DESCRIPTION, credits.description)):
        if value:
            exif[tag] = _XML_BAD.sub("", value).encode("utf-8")
    if credits.title:
        exif[TAG_XP_TITLE] = (credits.title + "\0").encode("utf-16-le")
    return exif.tobytes()


def insert_jpeg_xmp(data: bytes, xmp: bytes) -> bytes:
    """Insert an APP1 XMP segment into JPEG bytes (for Pillow < 11, whose save lacks `xmp=`).

    It goes after SOI and any APP0/APP1 (JFIF, EXIF) segments, as XMP readers expect.
    """
    header = b"http://ns.adobe.com/xap/1.0/\x00"
    if len(header) + len(xmp) + 2 > 0xFFFF:
        raise ValueError("XMP packet too large for one JPEG APP1 segment")
    if data[:2] != b"\xff\xd8":
        raise ValueError("not a JPEG stream")
    pos = 2
    while pos + 4 <= len(data) and data[pos] == 0xFF and data[pos + 1] in (0xE0, 0xE1):
        pos += 2 + int.from_bytes(data[pos + 2:pos + 4], "big")
    seg = b"\xff\xe1" + (2 + len(header) + len(xmp)).to_bytes(2, "big") + header + xmp
    return data[:pos] + seg + data[pos:]


# ---------------------------------------------------------------- reading

def _q(prefix: str, local: str) -> str:
    return f"{{{NS[prefix]}}}{local}"


def _text(el: ET.Element) -> str | None:
    """Value of an XMP property element: simple text, or rdf:Seq/Bag/Alt items."""
    items: list[ET.Element] = []
    for container in ("Seq", "Bag", "Alt"):
        c = el.find(_q("rdf", container))
        if c is not None:
            items = c.findall(_q("rdf", "li"))
            if container == "Alt":
                default = [li for li in items if li.get(_q("xml", "lang")) == "x-default"]
                items = default[:1] or items[:1]
            break
    else:
        txt = (el.text or "").strip()
        return txt or None
    values = [(li.text or "").strip() for li in items if (li.text or "").strip()]
    return "; ".join(values) or None


def parse_xmp(data: bytes | str) -> dict[str, str]:
    """Credit fields from an XMP packet; {} when there is none or it is not safe/valid XML."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    start = data.find(b"<x:xmpmeta")
    if start < 0:
        start = data.find(b"<rdf:RDF")
    if start < 0:
        return {}
    end_tag = b"</x:xmpmeta>" if data[start:start + 10] == b"<x:xmpmeta" else b"</rdf:RDF>"
    end = data.find(end_tag, start)
    if end < 0:
        return {}
    chunk = data[start:end + len(end_tag)]
    if b"<!DOCTYPE" in chunk or b"<!ENTITY" in chunk:
        return {}
    try:
        root = ET.fromstring(chunk)
    except ET.ParseError:
        return {}
    wanted = {
        _q("dc", "creator"): "creator", _q("photoshop", "Credit"): "credit",
        _q("photoshop", "Source"): "source", _q("dc", "rights"): "rights",
        _q("dc", "description"): "description", _q("dc", "title"): "title",
    }
    out: dict[str, str] = {}
    for desc in root.iter(_q("rdf", "Description")):
        for attr, value in desc.attrib.items():  # short form: photoshop:Credit="Xinhua"
            if attr in wanted and value.strip():
                out.setdefault(wanted[attr], value.strip())
        for child in desc:
            if child.tag in wanted:
                text = _text(child)
                if text:
                    out.setdefault(wanted[child.tag], text)
    return out


def exif_text(value: object) -> str | None:
    """An EXIF/IPTC text value as str (UTF-8 first, then Windows-1252), or None when empty."""
    return _decode(value)


def _decode(value: object) -> str | None:
    if isinstance(value, list | tuple):
        parts = [_decode(v) for v in value]
        return "; ".join(p for p in parts if p) or None
    if isinstance(value, bytes):
        raw = value.rstrip(b"\0")
        for enc in ("utf-8", "cp1252", "latin-1"):  # latin-1 decodes everything
            try:
                value = raw.decode(enc)
                break
            except UnicodeDecodeError:
                continue
    if not isinstance(value, str):
        return None
    if any("\x80" <= ch <= "\xff" for ch in value) and all(ord(ch) < 256 for ch in value):
        # Pillow decodes EXIF ASCII as Latin-1; most writers (and we) put UTF-8 there
        try:
            value = value.encode("latin-1").decode("utf-8")
        except UnicodeDecodeError:
            pass
    value = value.strip().strip("\0").strip()
    return value or None


def _xmp_bytes(im) -> bytes | None:
    info = im.info
    for key in ("xmp", "XML:com.adobe.xmp"):
        if info.get(key):
            v = info[key]
            return v.encode("utf-8") if isinstance(v, str) else v
    if getattr(im, "format", None) == "TIFF":
        v = getattr(im, "tag_v2", {}).get(700)
        if v:
            return v if isinstance(v, bytes) else str(v).encode("utf-8")
    return None


def read_embedded_credits(path: Path | str) -> ImageCredits:
    """Credits embedded in a photo: XMP first, then IPTC-IIM, then EXIF, per field.

    Missing metadata gives an empty ImageCredits; an unreadable file raises MediaError.
    """
    from PIL import Image, IptcImagePlugin, UnidentifiedImageError

    from videonews.images.photo import allow_heif

    path = Path(path)
    if not path.is_file():
        raise MediaError("photo not found", path=path, remedy="check the photo path in the story")
    allow_heif(path)
    found: dict[str, str] = {}
    try:
        with Image.open(path) as im:
            xmp = _xmp_bytes(im)
            if xmp:
                found.update(parse_xmp(xmp))
            try:
                iptc = IptcImagePlugin.getiptcinfo(im) or {}
            except Exception:  # malformed APP13 must not stop us
                iptc = {}
            for field, key in _IIM.items():
                value = _decode(iptc.get(key))
                if value:
                    found.setdefault(field, value)
            try:
                exif = im.getexif()
            except Exception:
                exif = {}
            for field, tag in (("creator", TAG_ARTIST), ("rights", TAG_COPYRIGHT),
                               ("description", TAG_IMAGE_DESCRIPTION)):
                value = _decode(exif.get(tag))
                if value:
                    found.setdefault(field, value)
            xp_title = exif.get(TAG_XP_TITLE)
            if xp_title and "title" not in found:
                try:
                    raw = bytes(xp_title) if not isinstance(xp_title, str) else xp_title.encode("utf-16-le")
                    title = raw.decode("utf-16-le").rstrip("\0").strip()
                    if title:
                        found["title"] = title
                except (UnicodeDecodeError, TypeError, ValueError):
                    pass
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise MediaError(f"cannot read the photo's metadata: {exc}", path=path,
                         remedy="supply a JPEG, PNG, WebP, TIFF, HEIC or AVIF photo") from exc
    return ImageCredits(**found)
