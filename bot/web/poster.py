"""A vacancy's poster: a 1080-px-wide PNG in Chinese with a QR code of its job page, for
recruiters to forward into WeChat groups (``GET /jobs/{id}/poster.png``, ``python -m bot
poster ID``). Drawn with Pillow, the QR code made by ``qrcode``.

Chinese needs a CJK font, which Pillow does not ship: ``POSTER_FONT`` names one, else the
first found of Noto Sans CJK (Debian ``fonts-noto-cjk``, which ``make`` installs like
chromium, and the container image installs too) and WenQuanYi (``fonts-wqy-microhei`` /
``-zenhei``). With none there is no poster (``NoCjkFont``, said in one line): a poster
with boxes for every character would be worse than none.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from pathlib import Path

import qrcode
from PIL import Image, ImageDraw, ImageFont
from qrcode.constants import ERROR_CORRECT_M

from jobfeed.models import Vacancy

WIDTH = 1080
MARGIN = 64
BLUE = (22, 119, 255)
RED = (212, 56, 13)
INK = (34, 34, 34)
GREY = (102, 102, 102)
PALE = (240, 245, 255)
BACKGROUND = (245, 246, 248)
# Tried in order; a .ttc holds several faces: the one named here is picked.
NOTO = Path("/usr/share/fonts/opentype/noto")
WQY = Path("/usr/share/fonts/truetype/wqy")
CANDIDATES: tuple[tuple[Path, Path, str], ...] = (
    (NOTO / "NotoSansCJK-Regular.ttc", NOTO / "NotoSansCJK-Bold.ttc", "Noto Sans CJK SC"),
    (WQY / "wqy-microhei.ttc", WQY / "wqy-microhei.ttc", ""),
    (WQY / "wqy-zenhei.ttc", WQY / "wqy-zenhei.ttc", ""),
)
BRAND = "招聘助手"
Ink = tuple[int, int, int] | str
_NO_LINE_START = frozenset("，。、：；！？）」』】》〉…’”,.:;!?)]}%")


class NoCjkFont(RuntimeError):
    """No font with Chinese characters was found; ``str()`` says what to install."""


@dataclass(frozen=True, slots=True)
class Face:
    path: Path
    index: int

    def size(self, points: int) -> ImageFont.FreeTypeFont:
        return _load(self.path, self.index, points)


@functools.lru_cache(maxsize=64)
def _load(path: Path, index: int, points: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), points, index=index)


@dataclass(frozen=True, slots=True)
class Fonts:
    regular: Face
    bold: Face


def _face(path: Path, family: str) -> Face | None:
    """The face of ``path`` named ``family`` (any, when empty) that draws Chinese."""
    for index in range(16):
        try:
            font = ImageFont.truetype(str(path), 20, index=index)
        except OSError:
            return None
        if (not family or font.getname()[0] == family) and _draws_chinese(font):
            return Face(path, index)
    return None


def _draws_chinese(font: ImageFont.FreeTypeFont) -> bool:
    # A font without the glyph draws the same "missing" box for different characters.
    masks = [font.getmask("招"), font.getmask("聘")]
    return bytes(masks[0]) != bytes(masks[1]) and masks[0].getbbox() is not None


def find_fonts(configured: Path | None = None) -> Fonts:
    if configured is not None:
        face = _face(configured, "")
        if face is None:
            raise NoCjkFont(f"POSTER_FONT {configured} has no Chinese characters")
        return Fonts(face, face)
    for regular, bold, family in CANDIDATES:
        if regular.is_file():
            light = _face(regular, family)
            heavy = _face(bold, family) if bold.is_file() else light
            if light is not None and heavy is not None:
                return Fonts(light, heavy)
    raise NoCjkFont(
        "no Chinese font for posters: install fonts-noto-cjk (`make fonts`, or apt) "
        "or set POSTER_FONT to a .ttf/.otf/.ttc with Chinese characters"
    )


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int, lines: int) -> list[str]:
    """Chinese wraps between any two characters, except before closing punctuation (it
    hangs at the end of the line instead); the last line ends in … when cut."""
    out: list[str] = []
    line = ""
    for char in text:
        if font.getlength(line + char) > width and line and char not in _NO_LINE_START:
            out.append(line)
            line = char.lstrip()
        else:
            line += char
    out.append(line)
    if len(out) > lines:
        out = out[:lines]
        last = out[-1]
        while last and font.getlength(last + "…") > width:
            last = last[:-1]
        out[-1] = last + "…"
    return out


def qr_image(url: str, size: int) -> Image.Image:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=10, border=2)
    code.add_data(url)
    code.make(fit=True)
    image: Image.Image = code.make_image(fill_color="black", back_color="white").get_image()
    return image.convert("RGB").resize((size, size), Image.Resampling.NEAREST)


def render_poster(
    vacancy: Vacancy, url: str, fonts: Fonts, *, licence: str | None = None
) -> bytes:
    """The PNG bytes of the poster of ``vacancy`` whose QR code opens ``url``; ``licence``
    (setting ``HR_LICENCE``, the 人力资源服务许可证 number) is printed under the address."""
    canvas = Image.new("RGB", (WIDTH, 2600), BACKGROUND)
    draw = ImageDraw.Draw(canvas)
    inner = WIDTH - 2 * MARGIN
    brand = vacancy.brand or BRAND

    # The band: the brand, and what this is.
    draw.rectangle((0, 0, WIDTH, 210), fill=BLUE)
    brand_font = fonts.bold.size(60)
    draw.text((MARGIN, 44), _wrap(brand, brand_font, inner, 1)[0], font=brand_font, fill="white")
    draw.text(
        (MARGIN, 132), "正在招聘 · 扫码报名", font=fonts.regular.size(38), fill=(220, 234, 255)
    )

    # The card with the facts: measured first, then painted on white.
    top = 250
    bottom = _facts(None, vacancy, fonts, top)
    draw.rounded_rectangle((MARGIN, top, WIDTH - MARGIN, bottom), radius=28, fill="white")
    _facts(draw, vacancy, fonts, top)

    # The QR code and how to use it.
    y = bottom + 64
    size = 400
    qr_left = (WIDTH - size) // 2
    draw.rounded_rectangle(
        (qr_left - 24, y - 24, qr_left + size + 24, y + size + 24), radius=24, fill="white"
    )
    canvas.paste(qr_image(url, size), (qr_left, y))
    y += size + 60
    _center(draw, "微信扫一扫 · 查看详情并在线报名", fonts.bold.size(44), y, INK)
    y += 70
    # The address as text, for those who cannot scan: smaller when long, never cut.
    url_font = next(
        (font for font in map(fonts.regular.size, (30, 26, 22)) if font.getlength(url) <= inner),
        None,
    )
    if url_font is not None:
        _center(draw, url, url_font, y, GREY)
    y += 80
    if licence:
        licence_font = fonts.regular.size(26)
        for line in _wrap(f"人力资源服务许可证：{licence}", licence_font, inner, 2):
            _center(draw, line, licence_font, y - 16, GREY)
            y += 40
        y += 24
    draw.rectangle((0, y, WIDTH, y + 110), fill=BLUE)
    footer = _wrap(f"{brand} · 长按识别二维码报名", fonts.regular.size(36), inner, 1)[0]
    _center(draw, footer, fonts.regular.size(36), y + 32, "white")
    y += 110

    out = io.BytesIO()
    canvas.crop((0, 0, WIDTH, y)).save(out, format="PNG", compress_level=6)
    return out.getvalue()


def _facts(draw: ImageDraw.ImageDraw | None, vacancy: Vacancy, fonts: Fonts, top: int) -> int:
    """Title, pay, employer, place, headcount and benefits inside the card; painted when
    ``draw`` is given, only measured otherwise. Returns the card's bottom."""
    left, width = MARGIN + 48, WIDTH - 2 * MARGIN - 96
    y = top + 44

    def text(xy: tuple[int, int], line: str, font: ImageFont.FreeTypeFont, fill: Ink) -> None:
        if draw is not None:
            draw.text(xy, line, font=font, fill=fill)

    title_font = fonts.bold.size(76)
    for line in _wrap(vacancy.title, title_font, width, 2):
        text((left, y), line, title_font, INK)
        y += 100
    text((left, y + 6), vacancy.pay_text(), fonts.bold.size(66), RED)
    y += 112
    label_font, value_font = fonts.regular.size(36), fonts.bold.size(40)
    facts = (
        ("用人单位", vacancy.employer),
        ("工作地点", _place(vacancy)),
        ("招聘人数", f"{vacancy.headcount} 人"),
    )
    for label, value in facts:
        text((left, y + 4), label, label_font, GREY)
        for line in _wrap(value, value_font, width - 190, 2):
            text((left + 190, y), line, value_font, INK)
            y += 58
        y += 16
    if vacancy.benefits:
        y = _tags(
            draw, vacancy.benefits[:8], fonts.regular.size(36), left=left, top=y + 12, width=width
        )
    return y + 36


def _tags(
    draw: ImageDraw.ImageDraw | None,
    tags: list[str],
    font: ImageFont.FreeTypeFont,
    *,
    left: int,
    top: int,
    width: int,
) -> int:
    """Benefits as pale rounded tags, wrapped into rows; returns the bottom."""
    x, y, height, gap = left, top, 64, 16
    for tag in tags:
        label = _wrap(tag, font, width - 48, 1)[0]
        tag_width = int(font.getlength(label)) + 48
        if x > left and x + tag_width > left + width:
            x, y = left, y + height + gap
        if draw is not None:
            draw.rounded_rectangle((x, y, x + tag_width, y + height), radius=14, fill=PALE)
            draw.text((x + 24, y + height // 2), label, font=font, fill=BLUE, anchor="lm")
        x += tag_width + gap
    return y + height


def _center(
    draw: ImageDraw.ImageDraw, line: str, font: ImageFont.FreeTypeFont, y: int, fill: Ink
) -> None:
    draw.text(((WIDTH - font.getlength(line)) / 2, y), line, font=font, fill=fill)


def _place(vacancy: Vacancy) -> str:
    if vacancy.city == vacancy.province:
        return vacancy.city
    return f"{vacancy.province} · {vacancy.city}"
