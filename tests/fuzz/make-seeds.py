#!/usr/bin/env python3
"""Writes the committed seed corpora of tests/fuzz/ (run from anywhere).

Seeds are small, valid compositions that together use every element,
attribute kind, paint and ease family, plus a few invalid ones so the error
paths start covered; and for hfjpegenc, headers that pick each format with
exact, short, long and strided buffers. Re-running rewrites the same files.
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))

COMPS = {
    "layers": '''<composition width="160" height="90" fps="30" duration="2" background="#eee">
  <defs>
    <clipPath id="wipe"><rect x="0" y="0" width="0" height="90"><tween attr="width" to="160" duration="1"/></rect></clipPath>
    <clipPath id="dot"><ellipse cx="20" cy="20" rx="15" ry="15"/><text x="0" y="40" size="10">clip</text></clipPath>
  </defs>
  <group opacity="0.5" clip-path="url(#wipe)" data-start="0.2">
    <rect x="10" y="10" width="60" height="40" fill="red" shadow-color="#0008" shadow-x="3" shadow-y="4" shadow-blur="6"/>
    <rect x="40" y="30" width="60" height="40" fill="blue"/>
    <group opacity="0.7" shadow-color="#f00" shadow-blur="2"><ellipse cx="120" cy="45" rx="20" ry="20"/></group>
  </group>
  <rect x="0" y="0" width="40" height="40" clip-path="url(#dot)" rotate="30">
    <tween attr="shadow-blur" from="0" to="20" duration="2"/>
  </rect>
  <image src="missing.png"/>
</composition>''',
    # Font files from Debian packages the README's test command installs.
    "fonts": '''<composition width="160" height="90" fps="30" duration="2">
  <defs>
    <font id="sans" src="/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf" fallback="cjk"/>
    <font id="cjk" src="/usr/share/fonts/truetype/wqy/wqy-microhei.ttc" index="1"/>
    <font id="serif" src="/usr/share/fonts/opentype/freefont/FreeSerif.otf"/>
  </defs>
  <text font="sans" x="80" y="30" size="14" align="center" max-width="120" line-height="1.1" letter-spacing="0.5">Grüße — مرحبا 2024 fi AV 日本語</text>
  <text font="serif" x="5" y="80" size="12" stroke="#f00" stroke-width="0.5">{timecode} {frame}
    <tween attr="letter-spacing" from="0" to="4" duration="2"/>
  </text>
</composition>''',
    "minimal": '<composition width="64" height="48" fps="30/1" duration="1"/>',
    "shapes": '''<composition width="320" height="180" fps="30/1" duration="4" background="#102030">
  <defs>
    <linearGradient id="sky" x1="0" y1="0" x2="0" y2="180">
      <stop offset="0" color="#204080"/><stop offset="50%" color="#ff8000cc"/>
      <stop offset="1" stop-color="white" stop-opacity="0.5"/>
    </linearGradient>
    <radialGradient id="sun" cx="20" cy="20" r="20">
      <stop offset="0" color="#ffff00"/><stop offset="1" color="#ff000000"/>
    </radialGradient>
  </defs>
  <rect x="0" y="0" width="320" height="180" fill="url(#sky)"/>
  <rect x="10" y="10" width="60" height="40" radius="8" fill="#f0f" stroke="#000" stroke-width="2" data-start="0.5" data-duration="2" data-track-index="2">
    <tween attr="x" from="10" to="250" start="0" duration="2" ease="power2.inOut"/>
    <tween attr="fill" to="#00ff0080" start="1" duration="1"/>
  </rect>
  <ellipse cx="160" cy="90" rx="30" ry="20" fill="url(#sun)" opacity="0.8">
    <tween attr="rx" from="5" to="60" duration="1.5" ease="elastic.out" repeat="2" yoyo="true"/>
  </ellipse>
  <polygon points="0,0 40,0 20,30" fill="red" translate-x="100" translate-y="120" rotate="45" transform-origin="20 15"/>
  <path d="M 10 170 L 60 130 l 20 20 h 30 v -10 Z m 100 0 L 150 150 z" fill="none" stroke="#ffffff" stroke-width="3"/>
  <group x="200" y="100" scale="1.5" opacity="0.5" data-start="1" data-duration="3">
    <rect x="0" y="0" width="20" height="20" fill="#123"/>
    <group rotate="30" scale-x="2" scale-y="0.5" origin-x="10" origin-y="10">
      <ellipse cx="10" cy="10" rx="5" ry="5" fill="#abcdef"/>
    </group>
    <tween attr="rotate" from="0" to="360" duration="3" ease="none" repeat="-1"/>
  </group>
  <text x="160" y="170" size="16" align="center" weight="bold" fill="#fff">Time {timecode} frame {frame}</text>
  <text x="310" y="20" size="12" align="right" weight="1.5" fill="black" text="t={time}"/>
</composition>''',
    "eases": '<composition width="32" height="32" fps="25/1" duration="2">' + "".join(
        '<rect x="0" y="%d" width="4" height="2" fill="#fff"><tween attr="x" to="28" duration="2" ease="%s"/></rect>'
        % (i * 2, e) for i, e in enumerate(
            ["linear", "none", "power1.in", "power2.out", "power3.inOut", "power4", "sine.in",
             "sine.inOut", "expo.out", "circ.inOut", "back.in", "back.out", "elastic.inOut",
             "bounce.out", "bounce.in", "expo.in"])) + "</composition>",
    "transparent": '<composition width="16" height="16" fps="60/1" duration="0.5" background="#00000000"><ellipse cx="8" cy="8" rx="6" ry="3" fill="#ff000080" stroke="#0f08" stroke-width="1"/><text x="0" y="12" size="10" align="left">Hi!~</text></composition>',
    "ntsc": '<composition width="48" height="27" fps="30000/1001" duration="3" background="black"><group data-start="1" data-duration="1"><rect x="-10" y="-10" width="100" height="100" fill="#fff"><tween attr="opacity" from="0" to="1" duration="0.25" repeat="3" yoyo="1"/></rect></group></composition>',
    # Invalid on purpose: error paths (unknown element, bad colour, zero
    # duration, bad ease, tween on a missing attribute, too large).
    "bad-element": '<composition width="8" height="8" fps="30/1" duration="1"><circle r="1"/></composition>',
    "bad-colour": '<composition width="8" height="8" fps="30/1" duration="1"><rect x="0" y="0" width="1" height="1" fill="#12345"/></composition>',
    "bad-duration": '<composition width="8" height="8" fps="30/1" duration="0"/>',
    "bad-ease": '<composition width="8" height="8" fps="30/1" duration="1"><rect x="0" y="0" width="1" height="1"><tween attr="x" to="1" ease="power9.in"/></rect></composition>',
    "bad-tween": '<composition width="8" height="8" fps="30/1" duration="1"><ellipse cx="1" cy="1" rx="1" ry="1"><tween attr="width" to="3"/></ellipse></composition>',
    "bad-size": '<composition width="16385" height="8" fps="30/1" duration="1"/>',
}

# fuzz-render header: w-1, h-1, format|pad, then 3 x (selector, 8 bytes).
def render_header(w, h, fmt, pad, times):
    b = bytes([(w - 1) % 64, (h - 1) % 64, fmt | (4 if pad else 0)])
    for sel, val in times:
        b += bytes([sel]) + struct.pack("<d", val)
    return b

RENDER_TIMES = [
    [(7, 0.0), (7, 0.0), (7, 0.0)],
    [(0, 0.5), (0, 1.25), (0, 3.9)],
    [(1, 0), (2, 0), (3, 0)],          # NaN, +inf, -inf
    [(4, 0), (5, 0), (6, 0)],          # 1e300, negative, DBL_MAX
]

# fuzz-hfjpegenc header (16 bytes), see fuzz-hfjpegenc.c.
def enc_header(fmt, w, h, flags=0, extra=0, quality=85, subsamp=2, depth=0,
               threads=1, frames=2, size_mode=0, cut=0, misc=1, q2=0):
    w -= 1  # the target adds one (sizes are 1..300)
    h -= 1
    return bytes([fmt, w & 0xFF, w >> 8, h & 0xFF, h >> 8, flags, extra,
                  quality - 1, subsamp, depth, threads, frames - 1,
                  size_mode << 4, cut, misc, q2])


def write(target, name, data):
    d = os.path.join(HERE, "corpus", target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def main():
    examples = os.path.join(ROOT, "examples", "compositions")
    comps = {k: v.encode() for k, v in COMPS.items()}
    if os.path.isdir(examples):
        for fn in sorted(os.listdir(examples)):
            with open(os.path.join(examples, fn), "rb") as f:
                data = f.read()
            if len(data) <= 8000:
                comps["example-" + os.path.splitext(fn)[0]] = data
    for name, data in comps.items():
        write("compparse", name, data)
    for i, (name, data) in enumerate(sorted(comps.items())):
        if name.startswith("bad-") or len(data) > 8000 - 30:
            continue
        t = RENDER_TIMES[i % len(RENDER_TIMES)]
        write("render", name, render_header(1 + (i * 13) % 64, 1 + (i * 7) % 64,
                                            i % 4, i % 2, t) + data)
    # hfjpegenc: every format, odd sizes, strides, short/long/empty, huge.
    payload = bytes(range(256)) * 2
    for fmt in range(21):
        write("hfjpegenc", "fmt%02d" % fmt,
              enc_header(fmt, 17, 9, threads=fmt % 3, depth=fmt % 4) + payload)
    write("hfjpegenc", "stride", enc_header(11, 33, 17, flags=16, extra=12) + payload)
    write("hfjpegenc", "stride-packed", enc_header(8, 31, 5, flags=16, extra=3) + payload)
    # Tight rows (shorter than GStreamer's rounding), planes last to first.
    write("hfjpegenc", "tight-reverse-i420", enc_header(11, 33, 17, flags=32 | 64) + payload)
    write("hfjpegenc", "tight-y42b", enc_header(12, 7, 5, flags=32) + payload)
    write("hfjpegenc", "short", enc_header(0, 40, 30, size_mode=1, cut=7) + payload)
    write("hfjpegenc", "long", enc_header(12, 40, 30, size_mode=2, cut=99) + payload)
    write("hfjpegenc", "empty", enc_header(3, 8, 8, size_mode=3) + payload)
    write("hfjpegenc", "huge-w", enc_header(0, 1, 1, flags=7 | 8) + payload)
    write("hfjpegenc", "huge-h", enc_header(11, 2, 3, flags=7) + payload)
    write("hfjpegenc", "one", enc_header(10, 1, 1, frames=1, threads=0) + payload)
    write("hfjpegenc", "quality", enc_header(1, 64, 48, frames=4, q2=1 | 40,
                                              threads=8, depth=9) + payload)


if __name__ == "__main__":
    main()
