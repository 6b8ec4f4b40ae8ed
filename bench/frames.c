/* Input frames for the benchmark: RGBA, deterministic, made once.
 *
 * "flat": a UI-like screen. Flat panels, 1 px borders, a bar chart and many
 *   lines of small text-like glyphs (5x7 random bitmaps with a half-tone
 *   fringe, like anti-aliased type). Most 8x8 blocks are flat, as on a real
 *   dashboard; the text gives the encoder its costly blocks.
 * "detailed": photo-like. Fractal value noise (four octaves, from 1/6 of
 *   the height down to 3 px cells) gives smooth shading with texture, and a
 *   per-pixel grain of +-7 levels adds sensor-like noise. White noise would
 *   cost far more to encode than any photo, so it is not used.
 *
 * Consecutive frames always differ (the camera pans, the grain is new, the
 * text scrolls), so hfjpegenc's dedup never fires on these inputs. */
#include "hfbench.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static inline uint32_t
hash3 (uint32_t x, uint32_t y, uint32_t seed)
{
  uint32_t h = x * 0x8da6b343u ^ y * 0xd8163841u ^ seed * 0xcb1ab31fu;
  h ^= h >> 15;
  h *= 0x2c1b3c6du;
  h ^= h >> 12;
  h *= 0x297a2d39u;
  h ^= h >> 15;
  return h;
}

static inline float
lattice (int ix, int iy, uint32_t seed)
{
  return (hash3 ((uint32_t) ix, (uint32_t) iy, seed) & 0xffff) / 65535.0f;
}

/* Smoothly interpolated value noise at cell size `cell`, in [0, 1]. */
static float
value_noise (int x, int y, int cell, uint32_t seed)
{
  int ix = x / cell, iy = y / cell;
  float fx = (float) (x % cell) / cell, fy = (float) (y % cell) / cell;
  float a, b, c, d, top, bot;

  fx = fx * fx * (3.0f - 2.0f * fx);
  fy = fy * fy * (3.0f - 2.0f * fy);
  a = lattice (ix, iy, seed);
  b = lattice (ix + 1, iy, seed);
  c = lattice (ix, iy + 1, seed);
  d = lattice (ix + 1, iy + 1, seed);
  top = a + (b - a) * fx;
  bot = c + (d - c) * fx;
  return top + (bot - top) * fy;
}

static inline uint8_t
clamp8 (int v)
{
  return v < 0 ? 0 : v > 255 ? 255 : (uint8_t) v;
}

static void
make_detailed (HfbFrames * f)
{
  const int w = f->width, h = f->height;
  const int pan = 7;            /* pixels per frame, both axes */
  const int bw = w + pan * f->n, bh = h + pan * f->n;
  int cells[4], o, x, y, k;
  static const float amp[4] = { 0.50f, 0.25f, 0.15f, 0.10f };
  uint8_t *base = malloc ((size_t) bw * bh * 3);

  cells[0] = h / 6 > 8 ? h / 6 : 8;
  cells[1] = h / 24 > 4 ? h / 24 : 4;
  cells[2] = h / 90 > 3 ? h / 90 : 3;
  cells[3] = 3;

  /* One large texture; each frame is a window of it (a slow camera pan). */
  for (y = 0; y < bh; y++) {
    uint8_t *row = base + (size_t) y * bw * 3;
    for (x = 0; x < bw; x++) {
      float lum = 0, cb, cr;
      for (o = 0; o < 4; o++)
        lum += amp[o] * value_noise (x, y, cells[o], 11 + o);
      /* Colour varies slowly, as in a photo. */
      cb = value_noise (x, y, cells[0], 101) - 0.5f;
      cr = value_noise (x, y, cells[0] * 2, 202) - 0.5f;
      lum = lum * 235.0f + 10.0f;
      row[3 * x + 0] = clamp8 ((int) (lum + 120.0f * cr));
      row[3 * x + 1] = clamp8 ((int) (lum - 40.0f * cb - 60.0f * cr));
      row[3 * x + 2] = clamp8 ((int) (lum + 140.0f * cb));
    }
  }

  for (k = 0; k < f->n; k++) {
    uint8_t *dst = f->data[k];
    uint32_t rng = 0x9e3779b9u * (k + 1);
    for (y = 0; y < h; y++) {
      const uint8_t *src = base + ((size_t) (y + pan * k) * bw + pan * k) * 3;
      uint8_t *d = dst + (size_t) y * w * 4;
      for (x = 0; x < w; x++) {
        int g;
        rng ^= rng << 13;
        rng ^= rng >> 17;
        rng ^= rng << 5;
        g = (int) (rng % 15) - 7;
        d[4 * x + 0] = clamp8 (src[3 * x + 0] + g);
        d[4 * x + 1] = clamp8 (src[3 * x + 1] + g);
        d[4 * x + 2] = clamp8 (src[3 * x + 2] + g);
        d[4 * x + 3] = 255;
      }
    }
  }
  free (base);
}

typedef struct
{
  uint8_t *p;
  int w, h;
} Canvas;

static void
fill_rect (Canvas * c, int x0, int y0, int x1, int y1, uint32_t rgb)
{
  int x, y;
  uint8_t r = rgb >> 16, g = rgb >> 8, b = rgb;

  if (x0 < 0)
    x0 = 0;
  if (y0 < 0)
    y0 = 0;
  if (x1 > c->w)
    x1 = c->w;
  if (y1 > c->h)
    y1 = c->h;
  for (y = y0; y < y1; y++) {
    uint8_t *d = c->p + ((size_t) y * c->w + x0) * 4;
    for (x = x0; x < x1; x++, d += 4) {
      d[0] = r;
      d[1] = g;
      d[2] = b;
      d[3] = 255;
    }
  }
}

static void
box (Canvas * c, int x0, int y0, int x1, int y1, uint32_t fill, uint32_t border)
{
  fill_rect (c, x0, y0, x1, y1, border);
  fill_rect (c, x0 + 1, y0 + 1, x1 - 1, y1 - 1, fill);
}

static inline void
blend_px (Canvas * c, int x, int y, uint32_t rgb, int a)
{
  uint8_t *d;
  if (x < 0 || y < 0 || x >= c->w || y >= c->h)
    return;
  d = c->p + ((size_t) y * c->w + x) * 4;
  d[0] = (uint8_t) ((((rgb >> 16) & 255) * a + d[0] * (255 - a)) / 255);
  d[1] = (uint8_t) ((((rgb >> 8) & 255) * a + d[1] * (255 - a)) / 255);
  d[2] = (uint8_t) (((rgb & 255) * a + d[2] * (255 - a)) / 255);
}

/* A text-like line: words of glyphs, each glyph a 5x7 bitmap picked by a
 * hash, scaled by `s`, with a half-tone fringe on its right edges. */
static void
text_line (Canvas * c, int x, int y, int x_end, int s, uint32_t rgb,
    uint32_t seed)
{
  int i = 0;
  while (x + 6 * s <= x_end) {
    uint32_t hv = hash3 (i, seed, 77);
    int gx, gy;
    if (hv % 7 == 0) {          /* space between words */
      x += 4 * s;
      i++;
      continue;
    }
    for (gy = 0; gy < 7; gy++) {
      uint32_t bits = hash3 (hv & 63, gy, 5) & 0x1f;
      /* keep strokes connected: a vertical stem on most glyphs */
      if (hv & 0x100)
        bits |= 1;
      for (gx = 0; gx < 5; gx++) {
        int on = (bits >> gx) & 1, sx, sy;
        for (sy = 0; sy < s; sy++)
          for (sx = 0; sx < s; sx++) {
            if (on)
              blend_px (c, x + gx * s + sx, y + gy * s + sy, rgb, 255);
            else if (gx > 0 && ((bits >> (gx - 1)) & 1) && sx == 0)
              blend_px (c, x + gx * s + sx, y + gy * s + sy, rgb, 110);
          }
      }
    }
    x += 6 * s;
    i++;
  }
}

static void
make_flat (HfbFrames * f)
{
  const int w = f->width, h = f->height;
  const int s = h >= 1000 ? (h >= 2000 ? 3 : 2) : 1;
  const int side = w * 18 / 100, head = h * 8 / 100, pad = h / 40;
  int k, i, j;

  for (k = 0; k < f->n; k++) {
    Canvas c = { f->data[k], w, h };
    int cw = (w - side - 3 * pad) / 2, ch = (h - head - 3 * pad) / 2;
    int lh = 11 * s;

    fill_rect (&c, 0, 0, w, h, 0xf3f4f6);
    /* sidebar with menu entries */
    fill_rect (&c, 0, 0, side, h, 0x1f2937);
    for (i = 0; i < 12; i++) {
      int y = head + i * 3 * lh;
      if (i == k % 12)
        fill_rect (&c, 0, y - lh / 2, side, y + lh + lh / 2, 0x374151);
      text_line (&c, pad, y, side * 3 / 4, s, 0xe5e7eb, 1000 + i);
    }
    /* header bar with a clock whose text changes every frame */
    box (&c, side, -1, w + 1, head, 0xffffff, 0xd1d5db);
    text_line (&c, side + pad, head / 2 - 4 * s, side + w / 4, s, 0x111827, 7);
    text_line (&c, w - 20 * 6 * s, head / 2 - 4 * s, w - pad, s, 0x374151,
        5000 + k);
    /* four cards */
    for (j = 0; j < 4; j++) {
      int x0 = side + pad + (j % 2) * (cw + pad);
      int y0 = head + pad + (j / 2) * (ch + pad);
      box (&c, x0, y0, x0 + cw, y0 + ch, 0xffffff, 0xe5e7eb);
      fill_rect (&c, x0 + 1, y0 + 1, x0 + cw - 1, y0 + 2 * lh, 0xf9fafb);
      text_line (&c, x0 + pad, y0 + lh / 2, x0 + cw / 2, s, 0x111827, 200 + j);
      if (j == 1) {
        /* bar chart: flat colour blocks, one bar moves per frame */
        int nb = 12, bwid = (cw - 2 * pad) / nb;
        for (i = 0; i < nb; i++) {
          int bh = (int) ((ch - 4 * lh) * (0.3 + 0.6 *
                  ((hash3 (i, i == k % nb ? k : 0, 3) & 255) / 255.0)));
          fill_rect (&c, x0 + pad + i * bwid + 2, y0 + ch - pad - bh,
              x0 + pad + (i + 1) * bwid - 2, y0 + ch - pad,
              i % 2 ? 0x3b82f6 : 0x10b981);
        }
      } else {
        /* paragraphs of text; they scroll by one line per frame */
        for (i = 0; y0 + 3 * lh + (i + 1) * lh * 3 / 2 < y0 + ch - pad; i++)
          text_line (&c, x0 + pad, y0 + 3 * lh + i * lh * 3 / 2,
              x0 + cw - pad - (int) (hash3 (i + k, j, 9) % (cw / 3)), s,
              0x374151, 300 + 50 * j + i + k);
      }
    }
    /* progress bar */
    box (&c, side + pad, h - pad - lh, w - pad, h - pad, 0xe5e7eb, 0xd1d5db);
    fill_rect (&c, side + pad + 1, h - pad - lh + 1,
        side + pad + (w - side - 2 * pad) * (k + 1) / (f->n + 1),
        h - pad - 1, 0x6366f1);
  }
}

void
hfb_frames_make (HfbFrames * f, int width, int height, const char *content,
    int n)
{
  int k;

  memset (f, 0, sizeof (*f));
  f->width = width;
  f->height = height;
  f->n = n > HFB_MAX_FRAMES ? HFB_MAX_FRAMES : n;
  f->content = content;
  for (k = 0; k < f->n; k++) {
    /* page-aligned, as a real frame pool's memory would be */
    if (posix_memalign ((void **) &f->data[k], 4096,
            (size_t) width * height * 4) != 0)
      abort ();
  }
  if (strcmp (content, "flat") == 0)
    make_flat (f);
  else
    make_detailed (f);
}

void
hfb_frames_free (HfbFrames * f)
{
  int k;
  for (k = 0; k < f->n; k++)
    free (f->data[k]);
  memset (f, 0, sizeof (*f));
}
