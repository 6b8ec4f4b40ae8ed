#!/usr/bin/python3
"""hfdrawsrc's path data against an outside SVG renderer.

    svg-paths.py OUTDIR

Each figure is written twice from one description: as a composition (drawn
by `hfdrawsrc ! pngenc`) and as SVG (drawn by rsvg-convert, librsvg). The
two pictures must agree to a PSNR of at least 35 dB over the whole figure.
The figures use every path command in absolute and relative form,
implicit repetition, compact numbers, arcs with every flag combination,
both fill rules on self-intersecting and nested contours, every line join
(with a miter limit), every line cap and dash patterns with an offset.
Needs Debian's /usr/bin/python3 (gi, PIL, numpy) and rsvg-convert.
"""

import os
import subprocess
import sys

import numpy
from PIL import Image

MIN_PSNR = 35.0
W, H = 480, 360

# (name, [(path data, {attribute: value})]). Every attribute is written
# for both renderers: hfdrawsrc's defaults differ from SVG's (white fill,
# round joins and caps).
F = "fill"
FIGURES = [
    ("lines-and-relative", [
        ("M20 20 L120 20 L120 80 H60 V120 Z", {F: "#c03030"}),
        ("m150 20 l100 0 0 60 h-40 v40 z", {F: "#3060c0"}),
        # Compact numbers: 1.5.5 is 1.5 0.5, signs separate numbers.
        ("M300 20l50-0 0 50-50.5.5z", {F: "#208040"}),
    ]),
    ("cubics", [
        ("M20 200 C20 100 160 100 160 200 S300 300 300 200 Z",
         {F: "#d08020"}),
        ("m320 250 c0-80 120-80 120 0 s-60 60-120 0z", {F: "#6040a0"}),
    ]),
    ("quadratics", [
        ("M20 300 Q100 180 180 300 T340 300 T460 300 Z", {F: "#2090a0"}),
        ("M40 40 q60-40 120 0 t120 0 t120 0 v80 h-360 z", {F: "#a03070"}),
    ]),
    ("arcs", [
        ("M60 180 A80 50 0 0 1 220 180 Z", {F: "#c03030"}),
        ("M60 180 A80 50 0 1 0 220 180 Z", {F: "#3060c0"}),
        ("M260 120 a60 40 30 1 1 120 60 z", {F: "#208040"}),
        ("M260 300 a60 40 -30 0 0 120 -20 z", {F: "#d08020"}),
        # Radii too small for the endpoints are scaled up (SVG F.6.6).
        ("M20 330 A5 5 0 0 1 200 330 Z", {F: "#6040a0"}),
    ]),
    ("fill-rules", [
        # A star (self-intersecting) and a ring (two nested contours in
        # the same direction), each with both rules.
        ("M100 20 L150 170 L20 75 L180 75 L50 170 Z",
         {F: "#c03030", "fill-rule": "nonzero"}),
        ("M340 20 L390 170 L260 75 L420 75 L290 170 Z",
         {F: "#3060c0", "fill-rule": "evenodd"}),
        ("M20 200 h160 v140 h-160 z M60 240 h80 v60 h-80 z",
         {F: "#208040", "fill-rule": "nonzero"}),
        ("M260 200 h160 v140 h-160 z M300 240 h80 v60 h-80 z",
         {F: "#d08020", "fill-rule": "evenodd"}),
    ]),
]

# Strokes: a zigzag with sharp and blunt corners for each join, an open
# line for each cap, dashes with an offset on a curve, and a miter limit
# that turns the sharpest corner into a bevel.
ZIGZAG = "l40 60 l40 -60 l20 60 l60 -20"
STROKE = {F: "none", "stroke": "#202060", "stroke-width": "12"}


def stroked(**kw):
    a = dict(STROKE)
    a.update({k.replace("_", "-"): v for k, v in kw.items()})
    return a


FIGURES += [
    ("joins", [
        (f"M20 60 {ZIGZAG}", stroked(stroke_linejoin="miter",
                                     stroke_linecap="butt",
                                     stroke_miterlimit="10")),
        (f"M20 180 {ZIGZAG}", stroked(stroke_linejoin="round",
                                      stroke_linecap="butt")),
        (f"M20 300 {ZIGZAG}", stroked(stroke_linejoin="bevel",
                                      stroke_linecap="butt")),
        (f"M260 60 {ZIGZAG}", stroked(stroke_linejoin="miter",
                                      stroke_linecap="butt",
                                      stroke_miterlimit="1.5")),
        ("M260 200 h160 v120 h-160 z", stroked(stroke_linejoin="miter",
                                               stroke_linecap="butt")),
    ]),
    ("caps-and-dashes", [
        ("M30 40 H200", stroked(stroke_linecap="butt",
                                stroke_linejoin="round")),
        ("M30 90 H200", stroked(stroke_linecap="round",
                                stroke_linejoin="round")),
        ("M30 140 H200", stroked(stroke_linecap="square",
                                 stroke_linejoin="round")),
        ("M260 40 C300 140 380 -60 440 60", stroked(
            stroke_linecap="butt", stroke_linejoin="round",
            stroke_dasharray="20 10", stroke_dashoffset="5")),
        # An odd list repeats (5 15 25 5 15 25), round caps on each dash.
        ("M30 230 Q200 130 440 230", stroked(
            stroke_linecap="round", stroke_linejoin="round",
            stroke_dasharray="5 15 25")),
        ("M40 290 h160 v50 h-160 z", stroked(
            stroke_linecap="butt", stroke_linejoin="miter",
            stroke_dasharray="30 12")),
    ]),
]


def attrs(d, a):
    return f'd="{d}" ' + " ".join(f'{k}="{v}"' for k, v in a.items())


def write_figure(out, name, paths):
    comp = os.path.join(out, f"{name}.xml")
    svg = os.path.join(out, f"{name}.svg")
    with open(comp, "w") as f:
        f.write(f'<composition width="{W}" height="{H}" fps="1" '
                f'duration="1" background="#ffffff">\n')
        for d, a in paths:
            f.write(f'  <path {attrs(d, a)}/>\n')
        f.write("</composition>\n")
    with open(svg, "w") as f:
        f.write(f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" '
                f'height="{H}">\n<rect width="{W}" height="{H}" '
                f'fill="#ffffff"/>\n')
        for d, a in paths:
            f.write(f'  <path {attrs(d, a)}/>\n')
        f.write("</svg>\n")
    return comp, svg


def render(comp, svg, out, name):
    ours = os.path.join(out, f"{name}-hfdrawsrc.png")
    ref = os.path.join(out, f"{name}-rsvg.png")
    subprocess.run(["gst-launch-1.0", "-q", "hfdrawsrc", f"location={comp}",
                    "num-buffers=1", "!", "videoconvert", "!", "pngenc", "!",
                    "filesink", f"location={ours}"], check=True)
    subprocess.run(["rsvg-convert", "-o", ref, svg], check=True)
    return ours, ref


def psnr(a_path, b_path):
    a = numpy.asarray(Image.open(a_path).convert("RGB"), dtype=numpy.float64)
    b = numpy.asarray(Image.open(b_path).convert("RGB"), dtype=numpy.float64)
    if a.shape != b.shape:
        sys.exit(f"FAIL: sizes differ: {a.shape} and {b.shape}")
    mse = numpy.mean((a - b) ** 2)
    return float("inf") if mse == 0 else 10 * numpy.log10(255 ** 2 / mse)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    failed = 0
    for name, paths in FIGURES:
        comp, svg = write_figure(out, name, paths)
        ours, ref = render(comp, svg, out, name)
        db = psnr(ours, ref)
        ok = db >= MIN_PSNR
        failed += not ok
        print(f"{'ok  ' if ok else 'FAIL'} {name}: PSNR {db:.2f} dB "
              f"(at least {MIN_PSNR})")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
