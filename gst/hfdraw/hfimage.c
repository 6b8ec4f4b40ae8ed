/* hfimage: premultiplied pictures with mipmaps (hfimage.h). Engine code:
 * no GStreamer. */
#include "hfimage.h"

#include <math.h>
#include <string.h>

/* Each level halves the one above (odd sizes round up), each pixel the
 * mean of the 2x2 (or fewer, at an odd edge) pixels it covers. */
static void
build_levels (HfImage * img)
{
  int k;

  for (k = 1; k < HF_IMAGE_MAX_LEVELS; k++) {
    int pw = img->w[k - 1], ph = img->h[k - 1], w, h, x, y, c;
    const uint8_t *src = img->level[k - 1];
    uint8_t *dst;

    if (pw == 1 && ph == 1)
      break;
    w = (pw + 1) / 2;
    h = (ph + 1) / 2;
    dst = g_malloc ((gsize) w * h * 4);
    for (y = 0; y < h; y++) {
      int y0 = 2 * y, y1 = MIN (2 * y + 1, ph - 1);
      for (x = 0; x < w; x++) {
        int x0 = 2 * x, x1 = MIN (2 * x + 1, pw - 1);
        const uint8_t *a = src + ((gsize) y0 * pw + x0) * 4;
        const uint8_t *b = src + ((gsize) y0 * pw + x1) * 4;
        const uint8_t *cc = src + ((gsize) y1 * pw + x0) * 4;
        const uint8_t *d = src + ((gsize) y1 * pw + x1) * 4;
        for (c = 0; c < 4; c++)
          dst[((gsize) y * w + x) * 4 + c] =
              (uint8_t) ((a[c] + b[c] + cc[c] + d[c] + 2) / 4);
      }
    }
    img->level[k] = dst;
    img->w[k] = w;
    img->h[k] = h;
    img->n_levels = k + 1;
  }
}

HfImage *
hf_image_new (const uint8_t * rgba, int width, int height)
{
  HfImage *img;
  gsize i, n;
  uint8_t *p;

  g_return_val_if_fail (width > 0 && height > 0, NULL);
  g_return_val_if_fail (width <= HF_IMAGE_MAX_SIDE
      && height <= HF_IMAGE_MAX_SIDE, NULL);

  img = g_new0 (HfImage, 1);
  img->width = width;
  img->height = height;
  n = (gsize) width *height;
  p = g_malloc (n * 4);
  for (i = 0; i < n; i++) {
    uint32_t a = rgba[4 * i + 3];
    p[4 * i + 0] = (uint8_t) ((rgba[4 * i + 0] * a + 127) / 255);
    p[4 * i + 1] = (uint8_t) ((rgba[4 * i + 1] * a + 127) / 255);
    p[4 * i + 2] = (uint8_t) ((rgba[4 * i + 2] * a + 127) / 255);
    p[4 * i + 3] = (uint8_t) a;
  }
  img->level[0] = p;
  img->w[0] = width;
  img->h[0] = height;
  img->n_levels = 1;
  build_levels (img);
  return img;
}

void
hf_image_free (HfImage * img)
{
  int k;

  if (img == NULL)
    return;
  for (k = 0; k < img->n_levels; k++)
    g_free (img->level[k]);
  g_free (img);
}

gsize
hf_image_bytes (const HfImage * img)
{
  gsize n = 0;
  int k;

  for (k = 0; k < img->n_levels; k++)
    n += (gsize) img->w[k] * img->h[k] * 4;
  return n;
}

/* Bilinear at level k; (u, v) in level-0 pixels. Result in 8.8. */
static void
bilinear (const HfImage * img, int k, double u, double v, uint32_t out[4])
{
  int w = img->w[k], h = img->h[k], x0, y0, x1, y1, c;
  double s = ldexp (1.0, -k), fx, fy;
  const uint8_t *p = img->level[k], *a, *b, *cc, *d;
  uint32_t wx, wy;

  /* Pixel centres of this level. */
  u = u * s - 0.5;
  v = v * s - 0.5;
  u = CLAMP (u, 0.0, w - 1.0);
  v = CLAMP (v, 0.0, h - 1.0);
  x0 = (int) u;
  y0 = (int) v;
  x1 = MIN (x0 + 1, w - 1);
  y1 = MIN (y0 + 1, h - 1);
  fx = u - x0;
  fy = v - y0;
  wx = (uint32_t) (fx * 256 + 0.5);
  wy = (uint32_t) (fy * 256 + 0.5);
  a = p + ((gsize) y0 * w + x0) * 4;
  b = p + ((gsize) y0 * w + x1) * 4;
  cc = p + ((gsize) y1 * w + x0) * 4;
  d = p + ((gsize) y1 * w + x1) * 4;
  for (c = 0; c < 4; c++) {
    uint32_t top = a[c] * (256 - wx) + b[c] * wx;
    uint32_t bot = cc[c] * (256 - wx) + d[c] * wx;
    out[c] = (top * (256 - wy) + bot * wy + 128) >> 8;
  }
}

void
hf_image_sample (const HfImage * img, double u, double v, double scale,
    uint32_t out[4])
{
  double lod = scale > 1.0 ? log2 (scale) : 0.0;
  int k, c;
  uint32_t hi[4];
  double f;

  if (!isfinite (u) || !isfinite (v))
    u = v = 0;
  if (!(lod < img->n_levels - 1)) {
    bilinear (img, img->n_levels - 1, u, v, out);
  } else {
    k = (int) lod;
    f = lod - k;
    bilinear (img, k, u, v, out);
    if (f > 0) {
      uint32_t t = (uint32_t) (f * 256 + 0.5);
      bilinear (img, k + 1, u, v, hi);
      for (c = 0; c < 4; c++)
        out[c] = (out[c] * (256 - t) + hi[c] * t + 128) >> 8;
    }
  }
  /* 8.8 to 8 bits, rounded. */
  for (c = 0; c < 4; c++)
    out[c] = MIN ((out[c] + 128) >> 8, 255u);
}
