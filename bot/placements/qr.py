"""Print-ready QR codes (segno): an SVG for the printer and a PNG for a phone, the bot's @name
under the code. segno draws no text, so the SVG's caption is written here and the PNG's with
Pillow (already installed with matplotlib)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from segno import QRCode

SVG_MODULE = 10  # user units per module; the SVG scales to any print size without loss
PNG_TARGET_PX = 1200  # the PNG's QR part at least this wide (sharp on a phone, printable)
BORDER = 4  # the quiet zone the QR standard asks for, in modules
ERROR_LEVEL = "q"  # 25 % of the code may be dirty or torn (posters outdoors)


@dataclass(frozen=True)
class QrFiles:
    svg: bytes
    png: bytes


def _code(link: str) -> QRCode:
    import segno  # loaded at the first /qr

    return segno.make(link, error=ERROR_LEVEL, micro=False)


def qr_svg(link: str, caption: str) -> bytes:
    code = _code(link)
    size = code.symbol_size(scale=SVG_MODULE, border=BORDER)[0]
    buffer = io.BytesIO()
    code.save(buffer, kind="svg", scale=SVG_MODULE, border=BORDER, xmldecl=False, svgns=True)
    inner = buffer.getvalue().decode("utf-8")
    font = SVG_MODULE * 4
    height = size + font * 2
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{height}" '
        f'viewBox="0 0 {size} {height}">\n'
        f'<rect width="{size}" height="{height}" fill="#fff"/>\n'
        f"{inner}\n"
        f'<text x="{size / 2:g}" y="{size + font * 0.9:g}" text-anchor="middle" '
        f'font-family="DejaVu Sans, Arial, sans-serif" font-size="{font}" '
        f'fill="#000">{escape(caption, quote=False)}</text>\n'
        "</svg>\n"
    ).encode()


def qr_png(link: str, caption: str) -> bytes:
    from PIL import Image, ImageDraw, ImageFont  # only when a QR code is asked for

    code = _code(link)
    modules = code.symbol_size(scale=1, border=BORDER)[0]
    scale = max(1, -(-PNG_TARGET_PX // modules))
    buffer = io.BytesIO()
    code.save(buffer, kind="png", scale=scale, border=BORDER)
    buffer.seek(0)
    qr_image = Image.open(buffer).convert("RGB")
    size = qr_image.width
    font = ImageFont.load_default(size=max(24, size // 14))
    text_height = int(font.size * 2)
    canvas = Image.new("RGB", (size, size + text_height), "white")
    canvas.paste(qr_image, (0, 0))
    draw = ImageDraw.Draw(canvas)
    draw.text((size / 2, size + text_height * 0.35), caption, fill="black", font=font, anchor="mt")
    out = io.BytesIO()
    canvas.save(out, format="PNG", optimize=True)
    return out.getvalue()


def qr_files(link: str, caption: str) -> QrFiles:
    return QrFiles(svg=qr_svg(link, caption), png=qr_png(link, caption))
