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

/* One level's bilinear walk along a row, in 16.16 fixed point of that
 * level's pixel centres. */
typedef struct
{
  const uint8_t *p;
  int w, h;
  int64_t u, v, du, dv;
} Walk;

static void
walk_init (Walk * wk, const HfImage * img, int k, double u, double v,
    double du, double dv)
{
  double s = 1.0 / (double) (1 << k);

  wk->p = img->level[k];
  wk->w = img->w[k];
  wk->h = img->h[k];
  /* Far outside the picture everything clamps to its edge anyway. */
  wk->u = (int64_t) (CLAMP (u * s - 0.5, -1e9, 1e9) * 65536.0);
  wk->v = (int64_t) (CLAMP (v * s - 0.5, -1e9, 1e9) * 65536.0);
  wk->du = (int64_t) (CLAMP (du * s, -1e9, 1e9) * 65536.0);
  wk->dv = (int64_t) (CLAMP (dv * s, -1e9, 1e9) * 65536.0);
}

/* The sample at the walk's position in 8.8, then one step on. */
static inline void
walk_sample (Walk * wk, uint32_t out[4])
{
  int64_t umax = (int64_t) (wk->w - 1) << 16, vmax = (int64_t) (wk->h - 1)
      << 16;
  int64_t u = CLAMP (wk->u, 0, umax), v = CLAMP (wk->v, 0, vmax);
  int x0 = (int) (u >> 16), y0 = (int) (v >> 16);
  int x1 = MIN (x0 + 1, wk->w - 1), y1 = MIN (y0 + 1, wk->h - 1);
  uint32_t wx = (uint32_t) ((u & 0xffff) + 128) >> 8;
  uint32_t wy = (uint32_t) ((v & 0xffff) + 128) >> 8;
  const uint8_t *a = wk->p + ((gsize) y0 * wk->w + x0) * 4;
  const uint8_t *b = wk->p + ((gsize) y0 * wk->w + x1) * 4;
  const uint8_t *c = wk->p + ((gsize) y1 * wk->w + x0) * 4;
  const uint8_t *d = wk->p + ((gsize) y1 * wk->w + x1) * 4;
  int i;

  for (i = 0; i < 4; i++) {
    uint32_t top = a[i] * (256 - wx) + b[i] * wx;
    uint32_t bot = c[i] * (256 - wx) + d[i] * wx;
    out[i] = (top * (256 - wy) + bot * wy + 128) >> 8;
  }
  wk->u += wk->du;
  wk->v += wk->dv;
}

void
hf_image_sample_row (const HfImage * img, double u, double v, double du,
    double dv, double scale, uint8_t * out, int n)
{
  double lod = scale > 1.0 && isfinite (scale) ? log2 (scale) : 0.0;
  Walk lo, hi;
  uint32_t t = 0, a[4], b[4];
  int k, i, c;

  if (!isfinite (u + v + du + dv))
    u = v = du = dv = 0;
  if (lod >= img->n_levels - 1) {
    k = img->n_levels - 1;
  } else {
    k = (int) lod;
    t = (uint32_t) ((lod - k) * 256 + 0.5);
  }
  walk_init (&lo, img, k, u, v, du, dv);
  if (t > 0)
    walk_init (&hi, img, k + 1, u, v, du, dv);
  for (i = 0; i < n; i++) {
    walk_sample (&lo, a);
    if (t > 0) {
      walk_sample (&hi, b);
      for (c = 0; c < 4; c++)
        a[c] = (a[c] * (256 - t) + b[c] * t + 128) >> 8;
    }
    for (c = 0; c < 4; c++)
      out[4 * i + c] = (uint8_t) MIN ((a[c] + 128) >> 8, 255u);
  }
}
