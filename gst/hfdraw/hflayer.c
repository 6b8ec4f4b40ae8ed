/* hflayer: offscreen layers, their compositing and their shadows
 * (hflayer.h). Engine code: no GStreamer. */
#include "hflayer.h"
#include "hfpaint-private.h"

#include <math.h>
#include <string.h>

#define MAX_LAYERS 64
/* Shadow alpha is blurred in 1/64 steps of a level: three rounded box
 * passes then lose nothing visible. */
#define ALPHA_ONE 64
/* Wider blurs are clamped (a standard deviation of 500 px). */
#define MAX_SIGMA 500.0

struct HfLayers
{
  HfCanvas layer[MAX_LAYERS], mask[MAX_LAYERS];
  uint8_t *alpha;               /* one row of alphas */
  gsize alpha_len;
  uint16_t *blur[2];            /* shadow alpha and its scratch */
  gsize blur_len;
  uint32_t *sums;               /* a running sum per column */
  gsize sums_len;
};

gboolean
hf_rect_is_empty (const HfRect * r)
{
  return r->x1 <= r->x0 || r->y1 <= r->y0;
}

void
hf_rect_union (HfRect * r, const HfRect * o)
{
  if (hf_rect_is_empty (o))
    return;
  if (hf_rect_is_empty (r)) {
    *r = *o;
    return;
  }
  r->x0 = MIN (r->x0, o->x0);
  r->y0 = MIN (r->y0, o->y0);
  r->x1 = MAX (r->x1, o->x1);
  r->y1 = MAX (r->y1, o->y1);
}

void
hf_rect_add (HfRect * r, double x0, double y0, double x1, double y1, int w,
    int h)
{
  HfRect o;

  if (!(x1 >= x0 && y1 >= y0))
    return;
  /* Anti-aliasing reaches into the pixels the bounds only touch. */
  o.x0 = (int) CLAMP (floor (x0) - 1, 0, w);
  o.y0 = (int) CLAMP (floor (y0) - 1, 0, h);
  o.x1 = (int) CLAMP (ceil (x1) + 1, 0, w);
  o.y1 = (int) CLAMP (ceil (y1) + 1, 0, h);
  hf_rect_union (r, &o);
}

HfLayers *
hf_layers_new (void)
{
  return g_new0 (HfLayers, 1);
}

void
hf_layers_free (HfLayers * l)
{
  int i;

  if (l == NULL)
    return;
  for (i = 0; i < MAX_LAYERS; i++) {
    g_free (l->layer[i].pixels);
    g_free (l->mask[i].pixels);
  }
  g_free (l->alpha);
  g_free (l->blur[0]);
  g_free (l->blur[1]);
  g_free (l->sums);
  g_free (l);
}

/* Zeroed memory is allocated once per size: the pages a layer never
 * touches are never made resident. */
static HfCanvas *
get (HfCanvas * c, const HfCanvas * like)
{
  if (c->pixels == NULL || c->width != like->width || c->height != like->height) {
    g_free (c->pixels);
    *c = *like;
    c->stride = like->width * 4;
    c->pixels = g_malloc0 ((gsize) c->stride * like->height);
    c->has_alpha = TRUE;
  }
  return c;
}

HfCanvas *
hf_layers_get (HfLayers * l, int depth, const HfCanvas * like)
{
  return get (&l->layer[CLAMP (depth, 0, MAX_LAYERS - 1)], like);
}

HfCanvas *
hf_layers_get_mask (HfLayers * l, int depth, const HfCanvas * like)
{
  return get (&l->mask[CLAMP (depth, 0, MAX_LAYERS - 1)], like);
}

void
hf_layer_clear (HfCanvas * c, const HfRect * r)
{
  int y;

  if (hf_rect_is_empty (r))
    return;
  for (y = r->y0; y < r->y1; y++)
    memset (c->pixels + (gsize) y * c->stride + (gsize) r->x0 * 4, 0,
        (gsize) (r->x1 - r->x0) * 4);
}

static uint8_t *
alpha_row (HfLayers * l, int n)
{
  if (l->alpha_len < (gsize) n) {
    g_free (l->alpha);
    l->alpha_len = n;
    l->alpha = g_malloc (n);
  }
  return l->alpha;
}

static inline uint32_t
div255 (uint32_t x)
{
  return ((x + 128) * 257) >> 16;
}

static inline uint32_t
mask_at (const HfCanvas * mask, int x, int y)
{
  return mask ? mask->pixels[(gsize) y * mask->stride + (gsize) x * 4 + 3]
      : 255;
}

void
hf_layer_composite (HfLayers * l, HfCanvas * dst, const HfCanvas * layer,
    const HfRect * r, double opacity, const HfCanvas * mask)
{
  uint32_t op = (uint32_t) (CLAMP (opacity, 0, 1) * 255 + 0.5);
  int x, y, n = r->x1 - r->x0;
  uint8_t *a;

  if (hf_rect_is_empty (r) || op == 0)
    return;
  a = alpha_row (l, n);
  for (y = r->y0; y < r->y1; y++) {
    const uint8_t *src = layer->pixels + (gsize) y * layer->stride
        + (gsize) r->x0 * 4;
    for (x = 0; x < n; x++)
      a[x] = (uint8_t) div255 (div255 (src[4 * x + 3] * op)
          * mask_at (mask, r->x0 + x, y));
    hf_paint_over_row (dst, y, r->x0, src, hf_rgba (0, 0, 0, 0), a, n);
  }
}

/* Three box widths (odd) whose passes approximate a Gaussian of sigma. */
static void
box_sizes (double sigma, int w[3])
{
  double ideal = sqrt (4 * sigma * sigma + 1);
  int lo = (int) floor (ideal), m, k;

  if (lo % 2 == 0)
    lo--;
  m = (int) lround ((12 * sigma * sigma - 3.0 * lo * lo - 12.0 * lo - 9)
      / (-4.0 * lo - 4));
  for (k = 0; k < 3; k++)
    w[k] = k < m ? lo : lo + 2;
}

/* One horizontal box pass of width w over a row of n values, from a into
 * b; outside is 0. */
/* sum / w, rounded, by a multiply: within one 1/64 step of the true
 * quotient, and the same on every machine. */
static inline uint16_t
box_div (uint32_t sum, int w, uint64_t inv)
{
  return (uint16_t) (((uint64_t) (sum + w / 2) * inv) >> 32);
}

static void
box_row (const uint16_t * a, uint16_t * b, int n, int w)
{
  int rad = w / 2, i;
  uint32_t sum = 0;
  uint64_t inv = (G_GUINT64_CONSTANT (1) << 32) / w + 1;

  for (i = 0; i < MIN (rad, n); i++)
    sum += a[i];
  for (i = 0; i < n; i++) {
    if (i + rad < n)
      sum += a[i + rad];
    b[i] = box_div (sum, w, inv);
    if (i - rad >= 0)
      sum -= a[i - rad];
  }
}

/* The same down the columns of an n x h block (rows of n), from a into
 * b, a row at a time with a running sum per column: the memory is read
 * in order. sums holds n values. */
static void
box_columns (const uint16_t * a, uint16_t * b, int n, int h, int w,
    uint32_t * sums)
{
  int rad = w / 2, i, j;
  uint64_t inv = (G_GUINT64_CONSTANT (1) << 32) / w + 1;

  memset (sums, 0, (gsize) n * sizeof (uint32_t));
  for (j = 0; j < MIN (rad, h); j++)
    for (i = 0; i < n; i++)
      sums[i] += a[(gsize) j * n + i];
  for (j = 0; j < h; j++) {
    const uint16_t *in = j + rad < h ? a + (gsize) (j + rad) * n : NULL;
    const uint16_t *out = j - rad >= 0 ? a + (gsize) (j - rad) * n : NULL;
    uint16_t *dst = b + (gsize) j * n;

    if (in)
      for (i = 0; i < n; i++)
        sums[i] += in[i];
    for (i = 0; i < n; i++)
      dst[i] = box_div (sums[i], w, inv);
    if (out)
      for (i = 0; i < n; i++)
        sums[i] -= out[i];
  }
}

void
hf_layer_shadow (HfLayers * l, HfCanvas * dst, const HfCanvas * layer,
    const HfRect * r, double dx, double dy, double sigma, HfRgba color,
    double opacity, const HfCanvas * mask, HfRect * touched)
{
  int w[3] = { 1, 1, 1 }, rad = 0, k, x, y, sw, sh;
  uint32_t ca = (uint32_t) (color.a * CLAMP (opacity, 0, 1) + 0.5);
  double ox, oy;
  HfRect d;
  uint16_t *a, *b;
  uint8_t *row;

  if (hf_rect_is_empty (r) || ca == 0 || !isfinite (dx) || !isfinite (dy))
    return;
  if (sigma > 0.2 && isfinite (sigma))
    box_sizes (MIN (sigma, MAX_SIGMA), w);
  for (k = 0; k < 3; k++)
    rad += w[k] / 2;

  /* The layer's alpha within r, with room for the blur to spread. */
  sw = r->x1 - r->x0 + 2 * rad;
  sh = r->y1 - r->y0 + 2 * rad;
  if (l->blur_len < (gsize) sw * sh) {
    l->blur_len = (gsize) sw *sh;
    g_free (l->blur[0]);
    g_free (l->blur[1]);
    l->blur[0] = g_new (uint16_t, l->blur_len);
    l->blur[1] = g_new (uint16_t, l->blur_len);
  }
  if (l->sums_len < (gsize) sw) {
    l->sums_len = sw;
    g_free (l->sums);
    l->sums = g_new (uint32_t, sw);
  }
  a = l->blur[0];
  b = l->blur[1];
  memset (a, 0, (gsize) sw * sh * sizeof (uint16_t));
  for (y = r->y0; y < r->y1; y++)
    for (x = r->x0; x < r->x1; x++)
      a[(gsize) (y - r->y0 + rad) * sw + (x - r->x0 + rad)] =
          layer->pixels[(gsize) y * layer->stride + (gsize) x * 4 + 3]
          * ALPHA_ONE;
  for (k = 0; k < 3 && rad > 0; k++) {
    for (y = 0; y < sh; y++)
      box_row (a + (gsize) y * sw, b + (gsize) y * sw, sw, w[k]);
    box_columns (b, a, sw, sh, w[k], l->sums);
  }

  /* Where it lands: source pixel (i, j) of a is canvas pixel
   * (r->x0 - rad + i + dx, r->y0 - rad + j + dy). */
  ox = r->x0 - rad + dx;
  oy = r->y0 - rad + dy;
  d.x0 = (int) CLAMP (floor (ox), 0, dst->width);
  d.y0 = (int) CLAMP (floor (oy), 0, dst->height);
  d.x1 = (int) CLAMP (ceil (ox + sw) + 1, 0, dst->width);
  d.y1 = (int) CLAMP (ceil (oy + sh) + 1, 0, dst->height);
  if (hf_rect_is_empty (&d))
    return;
  row = alpha_row (l, d.x1 - d.x0);
  if (ox == floor (ox) && oy == floor (oy)) {
    /* Whole pixels: no interpolation. */
    int ix = (int) ox, iy = (int) oy;
    for (y = d.y0; y < d.y1; y++) {
      int j = y - iy;
      for (x = d.x0; x < d.x1; x++) {
        int i = x - ix;
        uint32_t v = i >= 0 && i < sw && j >= 0 && j < sh
            ? a[(gsize) j * sw + i] : 0;
        v = (v + ALPHA_ONE / 2) / ALPHA_ONE;
        row[x - d.x0] = (uint8_t) div255 (div255 (MIN (v, 255u) * ca)
            * mask_at (mask, x, y));
      }
      hf_paint_over_row (dst, y, d.x0, NULL, color, row, d.x1 - d.x0);
    }
    hf_rect_union (touched, &d);
    return;
  }
  for (y = d.y0; y < d.y1; y++) {
    /* Bilinear between the four source pixels around the centre. */
    double sy = y + 0.5 - oy - 0.5;
    int j0 = (int) floor (sy);
    uint32_t fy = (uint32_t) ((sy - j0) * 256 + 0.5);
    for (x = d.x0; x < d.x1; x++) {
      double sx = x + 0.5 - ox - 0.5;
      int i0 = (int) floor (sx), i, j;
      uint32_t fx = (uint32_t) ((sx - i0) * 256 + 0.5), v[4], s;
      for (k = 0; k < 4; k++) {
        i = i0 + (k & 1);
        j = j0 + (k >> 1);
        v[k] = i >= 0 && i < sw && j >= 0 && j < sh ? a[(gsize) j * sw + i] : 0;
      }
      s = ((v[0] * (256 - fx) + v[1] * fx) * (256 - fy)
          + (v[2] * (256 - fx) + v[3] * fx) * fy) >> 16;
      s = (s + ALPHA_ONE / 2) / ALPHA_ONE;
      row[x - d.x0] = (uint8_t) div255 (div255 (MIN (s, 255u) * ca)
          * mask_at (mask, x, y));
    }
    hf_paint_over_row (dst, y, d.x0, NULL, color, row, d.x1 - d.x0);
  }
  hf_rect_union (touched, &d);
}
