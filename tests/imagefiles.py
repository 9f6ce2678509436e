"""Real image files for tests, built with Pillow (and by hand where Pillow cannot), and
small independent parsers to check what an output file holds.

Builders put private data everywhere a camera or an editor would: EXIF (orientation, GPS IFD,
make/model, date taken), an XMP packet with a GPS position, an IPTC block (Photoshop APP13), a
JPEG comment and PNG text chunks with a phone number, and a hand-made ICC profile. The parsers
(JPEG markers, RIFF/WebP chunks, PNG chunks) do not use Pillow, so a check on an output does
not rely on the library that wrote it.
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Iterable, Mapping

import numpy as np
from PIL import Image, ImageDraw
from PIL.PngImagePlugin import PngInfo
from PIL.TiffImagePlugin import IFDRational

# --- private data planted in the inputs ---------------------------------------------------------

PHONE = "13812345678"
MAKE = "ShowcaseTestCam"
MODEL = "ShowcaseModel-X9"
TAKEN = "2024:07:01 09:30:00"
XMP_LATITUDE = "39,54.4525N"
XMP_LONGITUDE = "116,23.4917E"
IPTC_CITY = "ShowcaseCity"

# No output may contain any of these byte strings anywhere.
# Needles are long enough (5+ bytes) not to turn up by chance in compressed pixel data.
FORBIDDEN_BYTES: tuple[bytes, ...] = (
    b"Exif\x00\x00",
    b"http://ns.adobe.com/xap",
    PHONE.encode(),
    b"GPSLatitude",
    b"ICC_PROFILE",
    MAKE.encode(),
    MODEL.encode(),
    TAKEN.encode(),
    XMP_LATITUDE.encode(),
    IPTC_CITY.encode(),
    b"Photoshop 3.0",
    b"8BIM\x04",
)

ORIENTATION = 0x0112
EXIF_IFD = 0x8769
GPS_IFD = 0x8825
DATETIME_ORIGINAL = 0x9003

APP1 = 0xE1
APP2 = 0xE2
APP13 = 0xED
COM = 0xFE

# --- the marker picture -------------------------------------------------------------------------

BACKGROUND = (128, 128, 128)
MARKER_COLOURS: dict[str, tuple[int, int, int]] = {
    "red": (230, 20, 20),
    "blue": (20, 20, 230),
    "green": (20, 200, 20),
}
# Where each marker's centre is in the upright picture, as fractions of width and height.
MARKER_CENTRES: dict[str, tuple[float, float]] = {
    "red": (0.1, 0.15),  # top left
    "blue": (0.9, 0.15),  # top right
    "green": (0.1, 0.85),  # bottom left
}


def marker_picture(width: int = 1200, height: int = 800) -> Image.Image:
    """An upright RGB picture: grey, with a red block top left, blue top right, green bottom left.

    Any of the eight EXIF orientations moves at least one block to another corner."""
    img = Image.new("RGB", (width, height), BACKGROUND)
    draw = ImageDraw.Draw(img)
    half_w, half_h = round(width * 0.1), round(height * 0.15)
    for name, (fx, fy) in MARKER_CENTRES.items():
        cx, cy = round(width * fx), round(height * fy)
        draw.rectangle(
            (cx - half_w, cy - half_h, cx + half_w - 1, cy + half_h - 1), fill=MARKER_COLOURS[name]
        )
    return img


def stored_form(upright: Image.Image, orientation: int) -> Image.Image:
    """The pixels a camera stores for `upright` when it writes EXIF orientation `orientation`.

    Written from the EXIF definition of where the stored row 0 / column 0 are shown (not from
    Pillow's transpose table, which is what the code under test uses): 1 top/left, 2 top/right,
    3 bottom/right, 4 bottom/left, 5 left/top, 6 right/top, 7 right/bottom, 8 left/bottom."""
    u = np.asarray(upright)
    stored = {
        1: lambda: u,
        2: lambda: u[:, ::-1],
        3: lambda: u[::-1, ::-1],
        4: lambda: u[::-1, :],
        5: lambda: u.swapaxes(0, 1),  # stored[r, c] = u[c, r]
        6: lambda: u[:, ::-1].swapaxes(0, 1),  # stored[r, c] = u[c, W-1-r]
        7: lambda: u[::-1, ::-1].swapaxes(0, 1),  # stored[r, c] = u[H-1-c, W-1-r]
        8: lambda: u[::-1, :].swapaxes(0, 1),  # stored[r, c] = u[H-1-c, r]
    }[orientation]()
    return Image.fromarray(np.ascontiguousarray(stored), upright.mode)


def nearest_colour(rgb: tuple[int, ...]) -> str:
    """The name of the marker colour (or "background") closest to `rgb`."""
    palette = {**MARKER_COLOURS, "background": BACKGROUND}
    return min(
        palette, key=lambda name: sum((a - b) ** 2 for a, b in zip(palette[name], rgb[:3], strict=True))
    )


def markers_found(img: Image.Image) -> dict[str, str]:
    """For each expected upright marker position, the colour name found there in `img`."""
    rgb = img.convert("RGB")
    found = {}
    for name, (fx, fy) in MARKER_CENTRES.items():
        pixel = rgb.getpixel((int(img.width * fx), int(img.height * fy)))
        assert isinstance(pixel, tuple)
        found[name] = nearest_colour(pixel)
    return found


# --- metadata -----------------------------------------------------------------------------------


def camera_exif(orientation: int | None = None) -> Image.Exif:
    """EXIF as a phone writes it: make, model, date taken, GPS position, and the orientation."""
    exif = Image.Exif()
    exif[0x010F] = MAKE
    exif[0x0110] = MODEL
    if orientation is not None:
        exif[ORIENTATION] = orientation
    exif.get_ifd(EXIF_IFD)[DATETIME_ORIGINAL] = TAKEN
    gps = exif.get_ifd(GPS_IFD)
    gps[0] = b"\x02\x02\x00\x00"  # GPSVersionID
    gps[1] = "N"
    gps[2] = (IFDRational(39), IFDRational(54), IFDRational(2715, 100))
    gps[3] = "E"
    gps[4] = (IFDRational(116), IFDRational(23), IFDRational(2950, 100))
    gps[5] = 0  # above sea level
    gps[6] = IFDRational(4350, 100)
    return exif


def xmp_packet() -> bytes:
    """An XMP packet as photo editors write it, with the GPS position in exif: properties."""
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '  <rdf:Description rdf:about=""\n'
        '    xmlns:exif="http://ns.adobe.com/exif/1.0/"\n'
        '    xmlns:tiff="http://ns.adobe.com/tiff/1.0/"\n'
        f'    exif:GPSLatitude="{XMP_LATITUDE}"\n'
        f'    exif:GPSLongitude="{XMP_LONGITUDE}"\n'
        f'    tiff:Make="{MAKE}"/>\n'
        " </rdf:RDF>\n"
        "</x:xmpmeta>\n"
        '<?xpacket end="w"?>'
    ).encode()


def xmp_app1() -> bytes:
    """The payload of a JPEG APP1 segment holding `xmp_packet()`."""
    return b"http://ns.adobe.com/xap/1.0/\x00" + xmp_packet()


def iptc_app13() -> bytes:
    """The payload of a JPEG APP13 "Photoshop 3.0" segment with one 8BIM IPTC-NAA resource."""

    def dataset(number: int, value: bytes) -> bytes:
        return struct.pack(">BBBH", 0x1C, 2, number, len(value)) + value

    iptc = (
        dataset(0, b"\x00\x04")  # record version
        + dataset(80, b"Photographer")  # by-line
        + dataset(90, IPTC_CITY.encode())  # city
        + dataset(120, f"Contact {PHONE}".encode())  # caption
    )
    resource = b"8BIM" + struct.pack(">H", 0x0404) + b"\x00\x00" + struct.pack(">I", len(iptc)) + iptc
    if len(resource) % 2:
        resource += b"\x00"
    return b"Photoshop 3.0\x00" + resource


# --- an ICC profile made by hand ----------------------------------------------------------------


def _s15(value: float) -> bytes:
    return struct.pack(">i", round(value * 65536))


def _xyz_tag(x: float, y: float, z: float) -> bytes:
    return b"XYZ " + b"\x00" * 4 + _s15(x) + _s15(y) + _s15(z)


def _desc_tag(text: str) -> bytes:
    ascii_text = text.encode("ascii") + b"\x00"
    return (
        b"desc"
        + b"\x00" * 4
        + struct.pack(">I", len(ascii_text))
        + ascii_text
        + struct.pack(">II", 0, 0)  # no Unicode description
        + struct.pack(">HB", 0, 0)  # no ScriptCode description
        + b"\x00" * 67
    )


def linear_rgb_icc(gamma: float = 1.0) -> bytes:
    """A minimal ICC v2 RGB display profile (matrix/TRC): sRGB primaries and white, but a pure
    power-law TRC with `gamma` (1.0 = linear light). Pixels tagged with it must be converted:
    linear 128 is sRGB 188."""
    d50 = (0.9642, 1.0, 0.8249)
    curve = b"curv" + b"\x00" * 4 + struct.pack(">IH", 1, round(gamma * 256))
    tags: list[tuple[bytes, bytes]] = [
        (b"desc", _desc_tag("Linear sRGB primaries (test)")),
        (b"cprt", b"text" + b"\x00" * 4 + b"No copyright, test data\x00"),
        (b"wtpt", _xyz_tag(*d50)),
        # sRGB colorants adapted to D50 (as in the sRGB IEC61966-2.1 profile).
        (b"rXYZ", _xyz_tag(0.4360, 0.2225, 0.0139)),
        (b"gXYZ", _xyz_tag(0.3851, 0.7169, 0.0971)),
        (b"bXYZ", _xyz_tag(0.1431, 0.0606, 0.7141)),
        (b"rTRC", curve),
        (b"gTRC", curve),
        (b"bTRC", curve),
    ]
    table_size = 4 + 12 * len(tags)
    entries = b""
    body = b""
    for sig, data in tags:
        entries += sig + struct.pack(">II", 128 + table_size + len(body), len(data))
        body += data + b"\x00" * (-len(data) % 4)  # tags start on 4-byte boundaries
    size = 128 + table_size + len(body)
    header = (
        struct.pack(">I", size)
        + b"lcms"
        + struct.pack(">I", 0x02100000)  # version 2.1
        + b"mntr"
        + b"RGB "
        + b"XYZ "
        + struct.pack(">6H", 2024, 7, 1, 9, 30, 0)
        + b"acsp"
        + b"APPL"
        + b"\x00" * 4  # flags
        + b"\x00" * 8  # manufacturer, model
        + b"\x00" * 8  # attributes
        + struct.pack(">I", 0)  # perceptual intent
        + _s15(d50[0])
        + _s15(d50[1])
        + _s15(d50[2])
        + b"lcms"
        + b"\x00" * 16  # profile ID
        + b"\x00" * 28
    )
    assert len(header) == 128
    return header + struct.pack(">I", len(tags)) + entries + body


def srgb_from_linear(value: int) -> int:
    """The 8-bit sRGB encoding of an 8-bit linear-light value."""
    v = value / 255
    encoded = 12.92 * v if v <= 0.0031308 else 1.055 * v ** (1 / 2.4) - 0.055
    return round(encoded * 255)


# --- files --------------------------------------------------------------------------------------


def encode(img: Image.Image, fmt: str, **params: object) -> bytes:
    """`img` saved by Pillow in `fmt` with `params`, as bytes."""
    out = io.BytesIO()
    img.save(out, fmt, **params)
    return out.getvalue()


def segment(marker: int, payload: bytes) -> bytes:
    """One JPEG marker segment."""
    assert len(payload) <= 0xFFFF - 2
    return bytes((0xFF, marker)) + struct.pack(">H", len(payload) + 2) + payload


def insert_jpeg_segments(jpeg: bytes, segments: Iterable[tuple[int, bytes]]) -> bytes:
    """`jpeg` with extra marker segments placed right after SOI, where cameras put APP1."""
    assert jpeg[:2] == b"\xff\xd8", "not a JPEG"
    return jpeg[:2] + b"".join(segment(m, p) for m, p in segments) + jpeg[2:]


def camera_jpeg(img: Image.Image, orientation: int | None = None, *, quality: int = 90) -> bytes:
    """A JPEG as a phone writes it: EXIF with GPS (and `orientation`), XMP with GPS, IPTC,
    and a comment holding a phone number."""
    jpeg = encode(
        img, "JPEG", quality=quality, exif=camera_exif(orientation), comment=f"联系人 {PHONE}".encode()
    )
    return insert_jpeg_segments(jpeg, [(APP1, xmp_app1()), (APP13, iptc_app13())])


def png_with_text(img: Image.Image, **params: object) -> bytes:
    """A PNG with tEXt, zTXt and iTXt chunks holding a phone number and a GPS position."""
    info = PngInfo()
    info.add_text("Comment", f"Contact {PHONE}")
    info.add_text("Author", MAKE, zip=True)
    info.add_itxt("GPSPosition", f"{XMP_LATITUDE} {XMP_LONGITUDE}", lang="zh", tkey="位置")
    return encode(img, "PNG", pnginfo=info, **params)


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose IHDR claims `width`×`height` RGB pixels, with a tiny IDAT (one short row):
    a decompression bomb's header, valid chunk by chunk."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 16)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", idat)
        + _png_chunk(b"IEND", b"")
    )


def noise_picture(width: int, height: int, seed: int = 0) -> Image.Image:
    """Random pixels: compresses badly, so half the file is half the picture data."""
    rng = np.random.default_rng(seed)
    return Image.fromarray(rng.integers(0, 256, (height, width, 3), dtype=np.uint8), "RGB")


# --- parsers for outputs ------------------------------------------------------------------------

JPEG_STANDALONE = {0xD8, 0xD9, 0x01} | set(range(0xD0, 0xD8))
# Markers a clean JPEG may have. SOF0–15 except DHT (C4), JPG (C8), DAC (CC).
JPEG_ALLOWED = {0xD8, 0xD9, 0xDB, 0xC4, 0xDA, 0xDD, 0xE0} | (set(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC})


def jpeg_segments(data: bytes) -> list[tuple[int, bytes]]:
    """Every marker of a JPEG with its payload, in file order, from SOI to EOI.

    Entropy-coded data after each SOS is skipped (stuffed 0xFF00 and RSTn belong to it)."""
    assert data[:2] == b"\xff\xd8", f"not a JPEG (starts {data[:4]!r})"
    out: list[tuple[int, bytes]] = [(0xD8, b"")]
    pos = 2
    while pos < len(data):
        assert data[pos] == 0xFF, f"no marker at byte {pos} (found {data[pos]:#04x})"
        while pos < len(data) and data[pos] == 0xFF:  # fill bytes
            pos += 1
        marker = data[pos]
        pos += 1
        if marker in JPEG_STANDALONE:
            out.append((marker, b""))
            if marker == 0xD9:
                return out
            continue
        (length,) = struct.unpack(">H", data[pos : pos + 2])
        assert length >= 2 and pos + length <= len(data), f"segment {marker:#04x} overruns the file"
        out.append((marker, data[pos + 2 : pos + length]))
        pos += length
        if marker == 0xDA:  # skip the scan's entropy-coded data
            while pos < len(data):
                if (
                    data[pos] == 0xFF
                    and pos + 1 < len(data)
                    and data[pos + 1] != 0
                    and not 0xD0 <= data[pos + 1] <= 0xD7
                ):
                    break
                pos += 1
    raise AssertionError("JPEG has no EOI")


def webp_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """The chunks of a RIFF/WebP file as (fourcc, payload)."""
    assert data[:4] == b"RIFF" and data[8:12] == b"WEBP", f"not a WebP (starts {data[:12]!r})"
    (riff_size,) = struct.unpack("<I", data[4:8])
    assert riff_size + 8 == len(data), f"RIFF size {riff_size} + 8 != file size {len(data)}"
    out = []
    pos = 12
    while pos < len(data):
        fourcc = data[pos : pos + 4]
        (size,) = struct.unpack("<I", data[pos + 4 : pos + 8])
        assert pos + 8 + size <= len(data), f"chunk {fourcc!r} overruns the file"
        out.append((fourcc, data[pos + 8 : pos + 8 + size]))
        pos += 8 + size + (size & 1)
    return out


def png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """The chunks of a PNG file as (type, data), each CRC checked."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"not a PNG (starts {data[:8]!r})"
    out = []
    pos = 8
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])
        assert crc == zlib.crc32(kind + body), f"bad CRC in PNG chunk {kind!r}"
        out.append((kind, body))
        pos += 12 + length
        if kind == b"IEND":
            break
    return out


WEBP_ALLOWED = {b"VP8 ", b"VP8L", b"VP8X", b"ALPH"}
PNG_ALLOWED = {b"IHDR", b"PLTE", b"tRNS", b"IDAT", b"IEND"}
PNG_FORBIDDEN = {b"tEXt", b"iTXt", b"zTXt", b"eXIf", b"iCCP"}


def metadata_problems(data: bytes) -> list[str]:
    """Everything in an output file that is not pixels: an empty list for a clean file."""
    problems: list[str] = []
    if data[:2] == b"\xff\xd8":
        for marker, payload in jpeg_segments(data):
            if marker not in JPEG_ALLOWED:
                problems.append(f"JPEG marker 0x{marker:02X} ({payload[:16]!r})")
            elif marker == 0xE0 and not payload.startswith(b"JFIF\x00"):
                problems.append(f"APP0 that is not JFIF ({payload[:16]!r})")
    elif data[:4] == b"RIFF":
        for fourcc, payload in webp_chunks(data):
            if fourcc not in WEBP_ALLOWED:
                problems.append(f"WebP chunk {fourcc!r} ({payload[:16]!r})")
            if fourcc == b"VP8X" and payload[0] & 0b0010_1100:  # ICC, EXIF, XMP flags
                problems.append(f"VP8X flags announce metadata ({payload[0]:#010b})")
    elif data[:8] == b"\x89PNG\r\n\x1a\n":
        for kind, payload in png_chunks(data):
            if kind in PNG_FORBIDDEN or kind not in PNG_ALLOWED:
                problems.append(f"PNG chunk {kind!r} ({payload[:16]!r})")
    else:
        problems.append(f"unknown output format (starts {data[:12]!r})")
    for needle in FORBIDDEN_BYTES:
        at = data.find(needle)
        if at >= 0:
            problems.append(f"bytes {needle!r} at offset {at}")
    with Image.open(io.BytesIO(data)) as img:
        if len(img.getexif()):
            problems.append(f"Pillow reads EXIF: {dict(img.getexif())}")
        for key in ("exif", "icc_profile", "xmp", "XML:com.adobe.xmp", "comment", "photoshop", "adobe"):
            if key in img.info:
                problems.append(f"Pillow info has {key!r}")
        text: Mapping[str, object] = getattr(img, "text", {})
        if text:
            problems.append(f"Pillow reads PNG text: {dict(text)}")
    return problems


def assert_clean(data: bytes, what: str = "output") -> None:
    """Fail with every metadata item found in `data`."""
    problems = metadata_problems(data)
    assert not problems, f"{what} holds metadata: " + "; ".join(problems)


def open_image(data: bytes) -> Image.Image:
    """`data` decoded by Pillow (fully loaded)."""
    with Image.open(io.BytesIO(data)) as img:
        img.load()
        return img.copy()
