#!/usr/bin/python3
"""Writes the pictures of showcase.xml: logo.png (a badge with alpha) and
photo.jpg (a landscape made of noise, not a photograph). Both are this
project's own work, under its licence. Re-running writes the same files.

    /usr/bin/python3 make-assets.py    (PIL and numpy, from Debian)
"""
import os

import numpy
from PIL import Image, ImageDraw, ImageFilter

HERE = os.path.dirname(os.path.abspath(__file__))


def logo():
    s = 4  # drawn 4x, then shrunk: smooth edges
    im = Image.new("RGBA", (512 * s, 256 * s), (0, 0, 0, 0))
    d = ImageDraw.Draw(im)
    d.rounded_rectangle((8 * s, 8 * s, 504 * s, 248 * s), 56 * s,
                        fill=(20, 24, 40, 230))
    d.ellipse((40 * s, 48 * s, 200 * s, 208 * s), fill=(255, 112, 67, 255))
    d.ellipse((88 * s, 96 * s, 152 * s, 160 * s), fill=(20, 24, 40, 255))
    d.polygon([(230 * s, 200 * s), (300 * s, 56 * s), (370 * s, 200 * s)],
              fill=(38, 198, 218, 255))
    d.rectangle((392 * s, 56 * s, 472 * s, 200 * s), fill=(255, 213, 79, 200))
    im = im.resize((512, 256), Image.LANCZOS)
    im.save(os.path.join(HERE, "logo.png"), optimize=True)


def noise(h, w, scale, seed):
    rng = numpy.random.default_rng(seed)
    small = rng.random((h // scale + 2, w // scale + 2))
    img = Image.fromarray((small * 255).astype(numpy.uint8), "L")
    return numpy.asarray(img.resize((w, h), Image.BICUBIC), numpy.float64) / 255


def photo():
    w, h = 1280, 720
    y, x = numpy.mgrid[0:h, 0:w].astype(numpy.float64)
    sky = numpy.dstack([60 + 140 * (y / h), 90 + 120 * (y / h),
                        170 + 60 * (y / h)])
    sun = numpy.exp(-(((x - 900) ** 2 + (y - 260) ** 2) / (2 * 90.0 ** 2)))
    sky += sun[..., None] * numpy.array([140, 90, 20])
    img = sky
    for k, (base, amp, col, seed) in enumerate([
            (420, 90, (70, 80, 120), 1), (500, 70, (50, 90, 70), 2),
            (590, 50, (30, 60, 40), 3)]):
        ridge = base - amp * noise(1, w, 160 - 40 * k, seed)[0]
        ridge -= 25 * noise(1, w, 30, seed + 10)[0]
        mask = y > ridge[None, :]
        tex = 0.85 + 0.3 * noise(h, w, 8, seed + 20)
        img = numpy.where(mask[..., None], numpy.array(col) * tex[..., None],
                          img)
    out = Image.fromarray(numpy.clip(img, 0, 255).astype(numpy.uint8), "RGB")
    out = out.filter(ImageFilter.GaussianBlur(0.6))
    out.save(os.path.join(HERE, "photo.jpg"), quality=88)


if __name__ == "__main__":
    logo()
    photo()
