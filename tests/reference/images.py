#!/usr/bin/python3
"""hfdrawsrc's <image> decoding against PIL's.

    images.py OUTDIR

Each picture is written by PIL in one format (PNG with alpha, palette PNG
with a transparent entry, grey, 16-bit grey, JPEG, and WebP when
GStreamer's webpdec is installed), drawn by `hfdrawsrc ! pngenc` at its
own size over a transparent background, and compared with PIL's own
decoding of the same file: premultiplied values must agree within 1 (3
for JPEG, whose decoders may round differently). Then the errors a user
gets through gst-launch: a missing file, a file that is not an image and
a 20000x10 picture. The PNG with alpha is also drawn shrunk to half,
enlarged 3 times and turned a quarter, against the same transforms
computed here (within 2.5 inside the edges). Needs Debian's
/usr/bin/python3 (PIL, numpy).
"""

import os
import subprocess
import sys

import numpy
from PIL import Image

W, H = 96, 64


def picture():
    """Colours and alpha that change across the picture."""
    y, x = numpy.mgrid[0:H, 0:W]
    rgba = numpy.zeros((H, W, 4), numpy.uint8)
    rgba[..., 0] = x * 255 // (W - 1)
    rgba[..., 1] = y * 255 // (H - 1)
    rgba[..., 2] = (x + y) % 256
    rgba[..., 3] = numpy.where((x // 8 + y // 8) % 2, 255, 40 + x * 2)
    return Image.fromarray(rgba, "RGBA")


def write_cases(out):
    cases = []
    pic = picture()
    p = os.path.join(out, "alpha.png")
    pic.save(p)
    cases.append(("png-rgba", p, 1))
    pal = pic.convert("RGB").quantize(64)
    pal.info["transparency"] = 0
    p = os.path.join(out, "palette.png")
    pal.save(p, transparency=0)
    cases.append(("png-palette", p, 1))
    p = os.path.join(out, "grey.png")
    pic.convert("L").save(p)
    cases.append(("png-grey", p, 1))
    g16 = (numpy.asarray(pic.convert("L"), numpy.uint32) * 257
           + numpy.mgrid[0:H, 0:W][1] % 200).astype(numpy.uint16)
    p = os.path.join(out, "grey16.png")
    Image.fromarray(g16, "I;16").save(p)
    cases.append(("png-grey16", p, 1.5))
    p = os.path.join(out, "photo.jpg")
    pic.convert("RGB").save(p, quality=92)
    cases.append(("jpeg", p, 8))
    if subprocess.run(["gst-inspect-1.0", "webpdec"], capture_output=True
                      ).returncode == 0:
        p = os.path.join(out, "lossless.webp")
        pic.save(p, lossless=True)
        cases.append(("webp", p, 1))
    else:
        print("webp: not checked, GStreamer has no webpdec here "
              "(gstreamer1.0-plugins-bad)")
    return cases


def reference(path):
    """PIL's decoding, premultiplied, as floats."""
    im = Image.open(path)
    if im.mode in ("I", "I;16", "I;16B"):
        v = numpy.asarray(im, numpy.float64) / 257.0
        rgba = numpy.dstack([v, v, v, numpy.full(v.shape, 255.0)])
    else:
        rgba = numpy.asarray(im.convert("RGBA"), numpy.float64)
    return premultiply(rgba)


def bilinear(pm, u, v):
    """Premultiplied bilinear samples of pm at image points u, v (arrays;
    pixel centres at .5, edges clamped)."""
    h, w = pm.shape[:2]
    x = numpy.clip(u - 0.5, 0, w - 1)
    y = numpy.clip(v - 0.5, 0, h - 1)
    x0 = numpy.floor(x).astype(int)
    y0 = numpy.floor(y).astype(int)
    x1 = numpy.minimum(x0 + 1, w - 1)
    y1 = numpy.minimum(y0 + 1, h - 1)
    fx = (x - x0)[..., None]
    fy = (y - y0)[..., None]
    top = pm[y0, x0] * (1 - fx) + pm[y0, x1] * fx
    bot = pm[y1, x0] * (1 - fx) + pm[y1, x1] * fx
    return top * (1 - fy) + bot * fy


def transformed_cases(out):
    """The PNG with alpha drawn shrunk to half, enlarged 3 times and
    turned a quarter: what each output pixel centre should show, computed
    here from PIL's decoding (shrinking by 2 is the mean of 2x2 pixels,
    mipmap level 1)."""
    pm = premultiply(numpy.asarray(Image.open(os.path.join(out, "alpha.png"))
                                   .convert("RGBA"), numpy.float64))
    half = pm.reshape(H // 2, 2, W // 2, 2, 4).mean(axis=(1, 3))
    yy, xx = numpy.mgrid[0:3 * H, 0:3 * W] + 0.5
    big = bilinear(pm, xx / 3, yy / 3)
    # rotate="90" about the box centre: canvas (X, Y) shows image point
    # (Y - cy + cx, cx + cy - X) with the box centred at (cx, cy).
    cx, cy = W / 2, H / 2
    n = max(W, H)
    yy, xx = numpy.mgrid[0:n, 0:n] + 0.5
    ox, oy = (n - W) / 2, (n - H) / 2
    u = (yy - (cy + oy)) + cx
    v = cy - (xx - (cx + ox))
    inside = (u >= 0) & (u < W) & (v >= 0) & (v < H)
    turned = numpy.where(inside[..., None], bilinear(pm, u, v), 0)
    return [
        ("png-rgba-half", '<image src="alpha.png" width="%d" height="%d"/>'
         % (W // 2, H // 2), (W // 2, H // 2), half),
        ("png-rgba-x3", '<image src="alpha.png" width="%d" height="%d"/>'
         % (3 * W, 3 * H), (3 * W, 3 * H), big),
        ("png-rgba-quarter-turn", '<image src="alpha.png" x="%g" y="%g" '
         'rotate="90"/>' % (ox, oy), (n, n), turned),
    ]


def premultiply(rgba):
    out = rgba.copy()
    out[..., :3] = rgba[..., :3] * rgba[..., 3:4] / 255.0
    return out


def draw(comp, png):
    return subprocess.run(
        ["gst-launch-1.0", "-q", "hfdrawsrc", "location=" + comp,
         "num-buffers=1", "!", "video/x-raw,format=RGBA", "!", "pngenc", "!",
         "filesink", "location=" + png],
        capture_output=True, text=True, timeout=60)


def composition(out, name, body, size=(W, H)):
    """Writes a composition of body over a transparent background."""
    comp = os.path.join(out, name + ".xml")
    with open(comp, "w") as f:
        f.write('<composition width="%d" height="%d" background="#00000000">'
                '%s</composition>' % (size[0], size[1], body))
    return comp


def check(out, name, body, size, want, tol, margin=0):
    """Draws body at size and compares it, premultiplied, with want
    (leaving out margin pixels at each edge). Returns True when within
    tol."""
    png = os.path.join(out, name + ".out.png")
    r = draw(composition(out, name, body, size), png)
    if r.returncode != 0:
        print("%s: hfdrawsrc failed: %s" % (name, r.stdout + r.stderr))
        return False
    got = premultiply(numpy.asarray(Image.open(png).convert("RGBA"),
                                    numpy.float64))
    diff = numpy.abs(got - want)
    if margin:
        diff = diff[margin:-margin, margin:-margin]
    worst, mean = diff.max(), diff.mean()
    print("%s: largest difference %.2f (limit %g), mean %.3f: %s"
          % (name, worst, tol, mean, "ok" if worst <= tol else "FAIL"))
    return worst <= tol


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    failed = 0
    for name, path, tol in write_cases(out):
        failed += not check(out, name, '<image src="%s"/>'
                            % os.path.basename(path), (W, H), reference(path),
                            tol)
    # Edge pixels are partly covered (anti-aliased): compared inside.
    for name, body, size, want in transformed_cases(out):
        failed += not check(out, name, body, size, want, 2.5, margin=2)

    # What a user sees when an image cannot be used.
    with open(os.path.join(out, "not-an-image.png"), "wb") as f:
        f.write(b"this is text, not a picture\n" * 10)
    Image.new("RGB", (20000, 10), (1, 2, 3)).save(
        os.path.join(out, "wide.png"))
    errors = [
        ("missing", "nowhere.png", "A file the composition uses was not "
         "found", "image file 'nowhere.png' not found"),
        ("corrupt", "not-an-image.png", "An image of the composition cannot "
         "be decoded", "cannot decode image 'not-an-image.png'"),
        ("too-big", "wide.png", "Invalid composition",
         "is 20000x10: each side must be 1 to 16384"),
    ]
    for name, src, summary, detail in errors:
        comp = composition(out, name, '<image src="%s"/>' % src)
        r = draw(comp, os.path.join(out, name + ".out.png"))
        text = r.stdout + r.stderr
        where = "%s:1:" % comp
        ok = (r.returncode != 0 and summary in text and detail in text
              and where in text)
        print("%s: exit %d, %s" % (name, r.returncode,
                                   "ok" if ok else "FAIL:\n" + text))
        failed += not ok
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
