"""Load an agency photo safely into an upright, 8-bit sRGB RGB image.

Order of work in `load_photo`:
1. refuse missing files, non-images, and decompression bombs (more pixels than
   `max_pixels`, or Pillow's own DecompressionBombError) before any pixel is decoded;
2. decode (JPEG through `Image.draft`: DCT scaling by 1/2..1/8, never the full raster) and
   apply the EXIF orientation (`ImageOps.exif_transpose`) straight away;
3. odd modes: I;16/I/F scaled to 8 bits, palette and LA expanded, alpha flattened onto white;
   other formats `reduce`d (then resized) to at most `max_side` px on the long side;
4. colour: CMYK and any embedded ICC profile (Adobe RGB, Display P3, ...) converted to sRGB
   with LittleCMS (`PIL.ImageCms`); untagged RGB is taken as sRGB.
"""

from __future__ import annotations

import io
import warnings
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from videonews.errors import MediaError, over_limit
from videonews.settings import DEFAULT_PHOTO_MEGAPIXELS

MAX_SIDE = 4096
DEFAULT_MAX_PIXELS = int(DEFAULT_PHOTO_MEGAPIXELS * 1_000_000)


@lru_cache(maxsize=1)
def srgb_profile() -> ImageCms.ImageCmsProfile:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


@lru_cache(maxsize=1)
def srgb_icc_bytes() -> bytes:
    """ICC bytes of the sRGB profile embedded into every output image.

    LittleCMS stamps the creation time into the header (bytes 24-35) and the profile ID
    (bytes 84-99) hashes it; both are zeroed so identical builds give identical files.
    """
    data = bytearray(srgb_profile().tobytes())
    data[24:36] = bytes(12)
    data[84:100] = bytes(16)
    return bytes(data)


def _bomb_error(path: Path, what: str, limit: int) -> MediaError:
    """A photo over `limit` pixels: the max_photo_megapixels setting, named with the same number."""
    return over_limit(MediaError, f"{what} (possible decompression bomb)", f"{limit / 1e6:g}-megapixel",
                      "max_photo_megapixels", path=path)


def _to_8bit(im: Image.Image) -> Image.Image:
    """I;16*, I and F images (16-bit or float greyscale) to L."""
    arr = np.asarray(im)
    if im.mode == "F":
        arr = arr.astype(np.float32)
        hi = float(np.nanmax(arr)) if arr.size else 0.0
        scale = 255.0 if hi <= 1.0 else (255.0 / 65535.0 if hi > 255.0 else 1.0)
        out = np.clip(np.nan_to_num(arr) * scale, 0, 255)
    else:
        arr = arr.astype(np.int64)
        hi = int(arr.max()) if arr.size else 0
        out = np.clip(arr / 257.0, 0, 255) if hi > 255 else np.clip(arr, 0, 255)
    return Image.fromarray(np.round(out).astype(np.uint8))


def _flatten(im: Image.Image) -> Image.Image:
    """Expand palette/LA and composite any alpha onto white; returns L, RGB or CMYK etc."""
    mode = im.mode
    if mode == "P":
        im = im.convert("RGBA") if "transparency" in im.info else im.convert("RGB")
    elif mode == "PA":
        im = im.convert("RGBA")
    elif mode in ("LA", "La"):
        im = im.convert("RGBA") if mode == "LA" else im.convert("LA").convert("RGBA")
    elif mode == "RGBa":
        im = im.convert("RGBA")
    elif mode == "L" and "transparency" in im.info:
        im = im.convert("RGBA")
    elif mode == "RGB" and "transparency" in im.info:
        im = im.convert("RGBA")
    elif mode == "1":
        im = im.convert("L")
    if im.mode == "RGBA":
        white = Image.new("RGBA", im.size, (255, 255, 255, 255))
        im = Image.alpha_composite(white, im).convert("RGB")
    return im


def _to_srgb(im: Image.Image, icc: bytes | None) -> Image.Image:
    """Convert L/RGB/CMYK/LAB/YCbCr (+ optional ICC profile) to sRGB RGB."""
    mode = im.mode
    if icc:
        try:
            src = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            desc = (ImageCms.getProfileDescription(src) or "").lower()
            if mode == "RGB" and "srgb" in desc:
                return im
            if mode in ("RGB", "CMYK", "L"):
                out = ImageCms.profileToProfile(
                    im, src, srgb_profile(), renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC,
                    outputMode="RGB", flags=ImageCms.Flags.BLACKPOINTCOMPENSATION,
                )
                if out is not None:
                    return out
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            pass  # a broken profile: fall back to the plain conversion below
    if mode == "LAB":
        lab = ImageCms.createProfile("LAB")
        out = ImageCms.profileToProfile(im, lab, srgb_profile(), outputMode="RGB")
        if out is not None:
            return out
    if mode != "RGB":
        return im.convert("RGB")
    return im


def _upright(src: Image.Image) -> Image.Image:
    """EXIF orientation applied (a new image); a broken EXIF block leaves the image as is."""
    try:
        out = ImageOps.exif_transpose(src)
    except Exception:  # malformed EXIF: Pillow can raise nearly anything here
        out = None
    return out if out is not None else src.copy()


def load_photo(path: Path | str, *, max_pixels: int = DEFAULT_MAX_PIXELS, max_side: int = MAX_SIDE,
               ) -> Image.Image:
    """Open a photo as an upright 8-bit sRGB RGB image at most `max_side` px on the long side.

    Raises MediaError (naming the file and a remedy) for a missing file, a non-image, a
    truncated/corrupt file, or a decompression bomb (width*height > max_pixels, or
    beyond Pillow's own hard limit).
    """
    path = Path(path)
    if not path.is_file():
        raise MediaError("photo not found", path=path, remedy="check the photo path in the story")
    if path.stat().st_size == 0:
        raise MediaError("photo file is empty", path=path, remedy="re-download the photo")
    with _open(path, max_pixels) as src:
        im, icc = _decode(src, path, max_pixels, max_side)
    # odd modes and alpha, then the memory-safe size, then colour
    if im.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):
        im = _to_8bit(im)
    im = _to_srgb(_shrink(_flatten(im), max_side), icc)
    im.info = {}
    return im


_HEIF = {".heic", ".heif"}
_heif_registered = False


def allow_heif(path: Path) -> None:
    """Teach Pillow HEIC/HEIF (what iPhones take) through pillow-heif, the first time such a photo is opened
    (nothing is registered at import time)."""
    global _heif_registered
    if path.suffix.lower() in _HEIF and not _heif_registered:
        from pillow_heif import register_heif_opener

        register_heif_opener()
        _heif_registered = True


def _open(path: Path, max_pixels: int) -> Image.Image:
    allow_heif(path)
    try:
        with warnings.catch_warnings():
            # Pillow warns above Image.MAX_IMAGE_PIXELS; our own limit decides instead.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            return Image.open(path)
    except Image.DecompressionBombError as exc:  # so large that Pillow will not even read its header
        raise _bomb_error(path, "photo claims more pixels than Pillow opens", max_pixels) from exc
    except UnidentifiedImageError as exc:
        raise MediaError("not an image Pillow can read", path=path,
                         remedy="supply a JPEG, PNG, WebP, TIFF, HEIC or AVIF photo") from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise MediaError(f"cannot open the photo: {exc}", path=path,
                         remedy="supply a JPEG, PNG, WebP, TIFF, HEIC or AVIF photo") from exc


def _decode(src: Image.Image, path: Path, max_pixels: int, max_side: int) -> tuple[Image.Image, bytes | None]:
    """The upright raster (JPEGs decoded at a reduced size when that is enough) and its ICC profile."""
    w, h = src.size
    if w <= 0 or h <= 0:
        raise MediaError(f"photo has an empty size {w}x{h}", path=path, remedy="re-export the photo")
    if w * h > max_pixels:
        raise _bomb_error(path, f"photo claims {w}x{h} = {w * h / 1e6:.1f} megapixels", max_pixels)
    try:
        if src.format == "JPEG" and max(w, h) > max_side:
            # DCT-domain scaling: decodes at 1/2, 1/4 or 1/8 without the full raster.
            scale = max_side / max(w, h)
            src.draft(src.mode, (max(1, int(w * scale)), max(1, int(h * scale))))
        src.load()
        return _upright(src), src.info.get("icc_profile")
    except Image.DecompressionBombError as exc:
        raise _bomb_error(path, f"photo claims {w}x{h} = {w * h / 1e6:.1f} megapixels", max_pixels) from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise MediaError(f"photo is truncated or corrupt: {exc}", path=path,
                         remedy="re-download or re-export the photo") from exc
    except MemoryError as exc:
        raise MediaError("photo too large to decode in memory", path=path, remedy="supply a smaller photo") from exc


def _shrink(im: Image.Image, max_side: int) -> Image.Image:
    """At most max_side px on the long side: a cheap box reduce first, then Lanczos."""
    long_side = max(im.size)
    if long_side <= max_side:
        return im
    factor = long_side // max_side
    if factor >= 2:
        im = im.reduce(factor)
    if max(im.size) > max_side:
        s = max_side / max(im.size)
        im = im.resize((max(1, round(im.width * s)), max(1, round(im.height * s))), Image.Resampling.LANCZOS)
    return im

