/* Unit tests of the JPEG encode engine: HfEncoder and HfEncPool. */
#include "hfencpool.h"
#include "hfjpeg-testing.h"

#include <pthread.h>
#include <string.h>
#include <turbojpeg.h>

#include "hfunit.h"

/* Polling with a bound is fine in a test: it only waits for an event the
 * code must cause, and fails if it never comes. */
#define BOUND_US (20 * G_USEC_PER_SEC)

typedef struct
{
  int width, height, pixel_format, subsamp;
  uint8_t *pixels;              /* packed, or Y then U then V */
  int strides[3];
  uint8_t *planes[3];
  uint8_t *out;
  size_t out_capacity;
} Frame;

static void
frame_alloc (Frame * f, int w, int h, int pf, int subsamp)
{
  memset (f, 0, sizeof (*f));
  f->width = w;
  f->height = h;
  f->pixel_format = pf;
  f->subsamp = subsamp;
  if (pf >= 0) {
    /* Padded stride: the encoder must honour it. */
    f->strides[0] = w * tjPixelSize[pf] + 13;
    f->pixels = g_malloc0 ((size_t) f->strides[0] * h);
    f->planes[0] = f->pixels;
  } else {
    int cw = tjPlaneWidth (1, w, subsamp), ch = tjPlaneHeight (1, h, subsamp);
    size_t ysz;

    f->strides[0] = w + 3;
    f->strides[1] = f->strides[2] = cw + 5;
    ysz = (size_t) f->strides[0] * h;
    f->pixels = g_malloc0 (ysz + 2 * (size_t) f->strides[1] * ch);
    f->planes[0] = f->pixels;
    f->planes[1] = f->pixels + ysz;
    f->planes[2] = f->planes[1] + (size_t) f->strides[1] * ch;
  }
  f->out_capacity = hf_enc_max_size (w, h,
      pf == TJPF_GRAY ? TJSAMP_GRAY : subsamp);
  g_assert_cmpuint (f->out_capacity, >, 0);
  f->out = g_malloc (f->out_capacity);
}

static void
frame_clear (Frame * f)
{
  g_free (f->pixels);
  g_free (f->out);
}

static void
put_rgb (Frame * f, int x, int y, int r, int g, int b)
{
  int pf = f->pixel_format;
  uint8_t *px = f->planes[0] + (size_t) y * f->strides[0] + x * tjPixelSize[pf];

  if (pf == TJPF_GRAY) {
    px[0] = (uint8_t) ((r * 77 + g * 150 + b * 29) >> 8);
    return;
  }
  px[tjRedOffset[pf]] = r;
  px[tjGreenOffset[pf]] = g;
  px[tjBlueOffset[pf]] = b;
  if (tjAlphaOffset[pf] >= 0)
    px[tjAlphaOffset[pf]] = 0x5a;       /* must be ignored */
}

/* Noise in the left part, flat colour on the right: encode time depends on
 * `noise_cols`, which makes workers finish out of order. */
static void
fill_noise_flat (Frame * f, int noise_cols, guint32 seed)
{
  GRand *rnd = g_rand_new_with_seed (seed);
  int x, y;

  for (y = 0; y < f->height; y++)
    for (x = 0; x < f->width; x++) {
      if (x < noise_cols)
        put_rgb (f, x, y, g_rand_int_range (rnd, 0, 256),
            g_rand_int_range (rnd, 0, 256), g_rand_int_range (rnd, 0, 256));
      else
        put_rgb (f, x, y, 40, 160, 220);
    }
  g_rand_free (rnd);
}

static void
fill_solid (Frame * f, int r, int g, int b)
{
  int x, y;

  for (y = 0; y < f->height; y++)
    for (x = 0; x < f->width; x++)
      put_rgb (f, x, y, r, g, b);
}

static void
fill_yuv (Frame * f, int yv, int u, int v)
{
  int cw = tjPlaneWidth (1, f->width, f->subsamp);
  int ch = tjPlaneHeight (1, f->height, f->subsamp);
  int y;

  for (y = 0; y < f->height; y++)
    memset (f->planes[0] + (size_t) y * f->strides[0], yv, f->width);
  for (y = 0; y < ch; y++) {
    memset (f->planes[1] + (size_t) y * f->strides[1], u, cw);
    memset (f->planes[2] + (size_t) y * f->strides[2], v, cw);
  }
}

/* Pseudo-random luma. */
static void
fill_yuv_noise (Frame * f, guint32 seed)
{
  GRand *rnd = g_rand_new_with_seed (seed);
  int x, y;

  for (y = 0; y < f->height; y++)
    for (x = 0; x < f->width; x++)
      f->planes[0][(size_t) y * f->strides[0] + x] =
          (uint8_t) g_rand_int_range (rnd, 0, 256);
  g_rand_free (rnd);
}

static void
frame_params (const Frame * f, int quality, HfEncParams * p)
{
  int i;

  memset (p, 0, sizeof (*p));
  p->width = f->width;
  p->height = f->height;
  p->pixel_format = f->pixel_format;
  p->subsamp = f->subsamp;
  p->quality = quality;
  for (i = 0; i < 3; i++) {
    p->planes[i] = f->planes[i];
    p->strides[i] = f->strides[i];
  }
  p->out = f->out;
  p->out_capacity = f->out_capacity;
}

/* Decodes to RGB (3 bytes a pixel); checks the JPEG's own dimensions. */
static uint8_t *
decode_rgb (const uint8_t * jpeg, size_t size, int w, int h)
{
  tjhandle tj = tjInitDecompress ();
  int jw, jh, jsub, jcs;
  uint8_t *rgb;

  g_assert_nonnull (tj);
  g_assert_cmpint (tjDecompressHeader3 (tj, jpeg, size, &jw, &jh, &jsub,
          &jcs), ==, 0);
  g_assert_cmpint (jw, ==, w);
  g_assert_cmpint (jh, ==, h);
  rgb = g_malloc ((size_t) w * h * 3);
  if (tjDecompress2 (tj, jpeg, size, rgb, w, 0, h, TJPF_RGB,
          TJFLAG_ACCURATEDCT) != 0)
    g_error ("decode failed: %s", tjGetErrorStr2 (tj));
  tjDestroy (tj);
  return rgb;
}

/* BT.601 full range, as JFIF defines it. */
static void
yuv_to_rgb (int y, int u, int v, int *r, int *g, int *b)
{
  *r = CLAMP ((int) (y + 1.402 * (v - 128) + 0.5), 0, 255);
  *g = CLAMP ((int) (y - 0.344136 * (u - 128) - 0.714136 * (v - 128) + 0.5),
      0, 255);
  *b = CLAMP ((int) (y + 1.772 * (u - 128) + 0.5), 0, 255);
}

static void
assert_all_near (const uint8_t * rgb, int w, int h, int r, int g, int b,
    int tol)
{
  int i;

  for (i = 0; i < w * h; i++) {
    g_assert_cmpint (ABS (rgb[3 * i] - r), <=, tol);
    g_assert_cmpint (ABS (rgb[3 * i + 1] - g), <=, tol);
    g_assert_cmpint (ABS (rgb[3 * i + 2] - b), <=, tol);
  }
}

static HfEncoder *
encoder_new_or_die (void)
{
  char err[256] = "";
  HfEncoder *enc = hf_encoder_new (err, sizeof (err));

  if (enc == NULL)
    g_error ("hf_encoder_new: %s", err);
  return enc;
}

/* ---- the encoder ---------------------------------------------------- */

HF_TEST ("/encoder/max-size", test_max_size)
{
  g_assert_cmpuint (hf_enc_max_size (0, 10, TJSAMP_420), ==, 0);
  g_assert_cmpuint (hf_enc_max_size (10, -1, TJSAMP_420), ==, 0);
  g_assert_cmpuint (hf_enc_max_size (65536, 1, TJSAMP_420), ==, 0);
  /* libjpeg's JPEG_MAX_DIMENSION is 65500: larger sides cannot encode. */
  g_assert_cmpuint (hf_enc_max_size (65501, 1, TJSAMP_420), ==, 0);
  g_assert_cmpuint (hf_enc_max_size (1, 65501, TJSAMP_444), ==, 0);
  g_assert_cmpuint (hf_enc_max_size (65535, 1, TJSAMP_444), ==, 0);
  g_assert_cmpuint (hf_enc_max_size (16, 16, 99), ==, 0);
  g_assert_cmpuint (hf_enc_max_size (16, 16, -1), ==, 0);
  g_assert_cmpuint (hf_enc_max_size (1, 1, TJSAMP_GRAY), >, 0);
  g_assert_cmpuint (hf_enc_max_size (65500, 1, TJSAMP_444), >=,
      (size_t) 65500 * 3);
  g_assert_cmpuint (hf_enc_max_size (1, 65500, TJSAMP_420), >=,
      (size_t) 65500 * 3);
  g_assert_cmpuint (hf_enc_max_size (16384, 16384, TJSAMP_444), >=,
      (size_t) 16384 * 16384 * 3);
  /* Where libjpeg-turbo 2.1's tjBufSize overflows, refuse (never trust a
   * wrapped size). */
  g_assert_cmpuint (hf_enc_max_size (65500, 65500, TJSAMP_444), ==, 0);
  g_assert_cmpuint (hf_enc_max_size (20000, 20000, TJSAMP_444), ==, 0);
  g_assert_cmpuint (hf_enc_max_size (1920, 1080, TJSAMP_420), ==,
      tjBufSize (1920, 1080, TJSAMP_420));
}

HF_TEST ("/encoder/roundtrip", test_roundtrip)
{
  HfEncoder *enc = encoder_new_or_die ();
  HfEncParams p;
  HfEncResult res;
  Frame f;
  uint8_t *rgb;
  double sum = 0;
  int x, y, c, maxdiff = 0;

  frame_alloc (&f, 64, 48, TJPF_RGBA, TJSAMP_444);
  for (y = 0; y < f.height; y++)
    for (x = 0; x < f.width; x++)
      put_rgb (&f, x, y, x * 4, y * 5, 255 - x * 2);
  frame_params (&f, 95, &p);
  hf_encoder_compress (enc, &p, &res);
  g_assert_cmpint (res.status, ==, HF_ENC_OK);
  g_assert_cmpuint (res.size, >, 0);
  g_assert_cmpuint (res.size, <=, f.out_capacity);
  g_assert_cmpint (f.out[0], ==, 0xff);
  g_assert_cmpint (f.out[1], ==, 0xd8);
  g_assert_cmpint (f.out[res.size - 2], ==, 0xff);
  g_assert_cmpint (f.out[res.size - 1], ==, 0xd9);

  rgb = decode_rgb (f.out, res.size, f.width, f.height);
  for (y = 0; y < f.height; y++)
    for (x = 0; x < f.width; x++) {
      int want[3] = { x * 4, y * 5, 255 - x * 2 };
      for (c = 0; c < 3; c++) {
        int d = ABS (rgb[(y * f.width + x) * 3 + c] - want[c]);
        maxdiff = MAX (maxdiff, d);
        sum += d;
      }
    }
  g_assert_cmpint (maxdiff, <=, 12);
  g_assert_cmpfloat (sum / (f.width * f.height * 3), <, 2.0);

  /* Reused handle: a second, different frame encodes too. */
  fill_solid (&f, 200, 10, 10);
  hf_encoder_compress (enc, &p, &res);
  g_assert_cmpint (res.status, ==, HF_ENC_OK);
  g_free (rgb);
  rgb = decode_rgb (f.out, res.size, f.width, f.height);
  assert_all_near (rgb, f.width, f.height, 200, 10, 10, 4);

  g_free (rgb);
  frame_clear (&f);
  hf_encoder_free (enc);
}

/* What the encoder refuses, and libjpeg-turbo's own errors. */
HF_TEST ("/encoder/errors", test_encoder_errors)
{
  HfEncoder *enc = encoder_new_or_die ();
  HfEncParams p;
  HfEncResult res;
  Frame f;

  frame_alloc (&f, 24, 24, TJPF_BGRA, TJSAMP_420);
  fill_solid (&f, 9, 9, 9);

  /* A real libjpeg-turbo error carries the library's own text. */
  frame_params (&f, 85, &p);
  p.strides[0] = -1;
  hf_encoder_compress (enc, &p, &res);
  g_assert_cmpint (res.status, ==, HF_ENC_ERROR);
  g_assert_nonnull (strstr (res.error, "tjCompress2"));

  /* An output buffer below tjBufSize is refused, never overrun. */
  frame_params (&f, 85, &p);
  p.out_capacity = 100;
  hf_encoder_compress (enc, &p, &res);
  g_assert_cmpint (res.status, ==, HF_ENC_ERROR);
  g_assert_nonnull (strstr (res.error, "too small"));

  frame_params (&f, 0, &p);
  hf_encoder_compress (enc, &p, &res);
  g_assert_cmpint (res.status, ==, HF_ENC_ERROR);

  /* Sides within 65500 but too many pixels for tjBufSize's int: refused
   * before TurboJPEG could trust a wrapped size (pixels are not read). */
  frame_params (&f, 85, &p);
  p.width = p.height = 20000;
  p.subsamp = TJSAMP_444;
  hf_encoder_compress (enc, &p, &res);
  g_assert_cmpint (res.status, ==, HF_ENC_ERROR);
  g_assert_nonnull (strstr (res.error, "too large"));

  frame_params (&f, 85, &p);
  p.pixel_format = TJPF_CMYK;
  hf_encoder_compress (enc, &p, &res);
  g_assert_cmpint (res.status, ==, HF_ENC_ERROR);

  frame_clear (&f);
  hf_encoder_free (enc);
}

static void
check_packed (HfEncoder * enc, int w, int h, int pf, int subsamp)
{
  HfEncParams p;
  HfEncResult res;
  Frame f;
  uint8_t *rgb;
  int r = 30, g = 200, b = 120;

  frame_alloc (&f, w, h, pf, subsamp);
  fill_solid (&f, r, g, b);
  frame_params (&f, 95, &p);
  hf_encoder_compress (enc, &p, &res);
  if (res.status != HF_ENC_OK)
    g_error ("pf %d subsamp %d %dx%d: %s", pf, subsamp, w, h, res.error);
  rgb = decode_rgb (f.out, res.size, w, h);
  if (pf == TJPF_GRAY)
    r = g = b = (r * 77 + g * 150 + b * 29) >> 8;
  assert_all_near (rgb, w, h, r, g, b, 6);
  g_free (rgb);
  frame_clear (&f);
}

static void
check_planar (HfEncoder * enc, int w, int h, int subsamp)
{
  HfEncParams p;
  HfEncResult res;
  Frame f;
  uint8_t *rgb;
  int r, g, b;

  frame_alloc (&f, w, h, -1, subsamp);
  fill_yuv (&f, 81, 90, 240);
  frame_params (&f, 95, &p);
  hf_encoder_compress (enc, &p, &res);
  if (res.status != HF_ENC_OK)
    g_error ("planar subsamp %d %dx%d: %s", subsamp, w, h, res.error);
  rgb = decode_rgb (f.out, res.size, w, h);
  yuv_to_rgb (81, 90, 240, &r, &g, &b);
  assert_all_near (rgb, w, h, r, g, b, 6);
  g_free (rgb);
  frame_clear (&f);
}

HF_TEST ("/encoder/formats", test_formats)
{
  static const int sizes[][2] = { {1, 1}, {17, 9}, {9, 17}, {33, 2} };
  static const int samps[] = { TJSAMP_444, TJSAMP_422, TJSAMP_420 };
  HfEncoder *enc = encoder_new_or_die ();
  unsigned s, k;
  int pf;

  for (s = 0; s < G_N_ELEMENTS (sizes); s++) {
    for (pf = 0; pf < TJPF_CMYK; pf++)
      for (k = 0; k < G_N_ELEMENTS (samps); k++)
        check_packed (enc, sizes[s][0], sizes[s][1], pf, samps[k]);
    check_packed (enc, sizes[s][0], sizes[s][1], TJPF_RGBA, TJSAMP_440);
    for (k = 0; k < G_N_ELEMENTS (samps); k++)
      check_planar (enc, sizes[s][0], sizes[s][1], samps[k]);
  }
  hf_encoder_free (enc);
}

/* The watchdog measures a job's own encode, not its wait in the queue:
 * one worker, a queue far longer (in time) than the timeout, each job
 * well within it. Every job must succeed. */
static GBytes *
encode_odd_planar (HfEncoder * enc, int w, int h, int subsamp, guint8 junk)
{
  int cw = tjPlaneWidth (1, w, subsamp), ch = tjPlaneHeight (1, h, subsamp);
  int ys = w + 7, cs = cw + 3, y;
  /* Room for the padded plane TurboJPEG would read, filled with junk. */
  size_t ysize = (size_t) ys * (h + 2);
  uint8_t *luma = g_malloc (ysize), *u = g_malloc ((size_t) cs * ch);
  uint8_t *v = g_malloc ((size_t) cs * ch);
  size_t cap = hf_enc_max_size (w, h, subsamp);
  uint8_t *out = g_malloc (cap), *rgb;
  HfEncParams p = { 0 };
  HfEncResult res;
  int r, g, b;
  GBytes *bytes;

  memset (luma, junk, ysize);
  memset (u, junk, (size_t) cs * ch);
  memset (v, junk, (size_t) cs * ch);
  for (y = 0; y < h; y++)
    memset (luma + (size_t) y * ys, 81, w);
  for (y = 0; y < ch; y++) {
    memset (u + (size_t) y * cs, 90, cw);
    memset (v + (size_t) y * cs, 240, cw);
  }
  p.width = w;
  p.height = h;
  p.pixel_format = -1;
  p.subsamp = subsamp;
  p.quality = 90;
  p.planes[0] = luma;
  p.planes[1] = u;
  p.planes[2] = v;
  p.strides[0] = ys;
  p.strides[1] = p.strides[2] = cs;
  p.out = out;
  p.out_capacity = cap;
  hf_encoder_compress (enc, &p, &res);
  if (res.status != HF_ENC_OK)
    g_error ("%dx%d subsamp %d: %s", w, h, subsamp, res.error);
  rgb = decode_rgb (out, res.size, w, h);
  yuv_to_rgb (81, 90, 240, &r, &g, &b);
  assert_all_near (rgb, w, h, r, g, b, 6);
  bytes = g_bytes_new (out, res.size);
  g_free (rgb);
  g_free (out);
  g_free (luma);
  g_free (u);
  g_free (v);
  return bytes;
}

HF_TEST ("/encoder/odd-planar-padding", test_odd_planar_padding)
{
  static const int sizes[][2] = { {33, 17}, {1, 1}, {5, 3}, {33, 2},
  {2, 33}
  };
  static const int samps[] = { TJSAMP_420, TJSAMP_422, TJSAMP_444 };
  HfEncoder *enc = encoder_new_or_die ();
  unsigned s, k;

  for (s = 0; s < G_N_ELEMENTS (sizes); s++) {
    for (k = 0; k < G_N_ELEMENTS (samps); k++) {
      int w = sizes[s][0], h = sizes[s][1];
      GBytes *a = encode_odd_planar (enc, w, h, samps[k], 0x00);
      GBytes *b = encode_odd_planar (enc, w, h, samps[k], 0xff);

      if (!g_bytes_equal (a, b))
        g_error ("%dx%d subsamp %d: bytes outside the picture changed the "
            "JPEG", w, h, samps[k]);
      g_bytes_unref (a);
      g_bytes_unref (b);
    }
  }
  hf_encoder_free (enc);
}

/* ---- bands (slices) -------------------------------------------------- */

/* The layout rule of hfencoder.h: bands cover the frame, are whole
 * restart intervals of whole MCU rows, at most `slices` and at most one
 * per MCU row, as equal as can be; the documented 1080p example; and the
 * sum of the bands' capacities fits hf_enc_out_size. */
HF_TEST ("/encoder/bands-layout", test_bands_layout)
{
  const int sizes[][2] = { {1, 1}, {17, 9}, {641, 361}, {1920, 1080},
  {8, 4000}, {65500, 16}
  };
  const int subsamps[] = { TJSAMP_444, TJSAMP_420, TJSAMP_GRAY };
  const int restarts[] = { 0, 1, 2, 5, 40 }, slices[] = { 1, 2, 3, 8, 64 };
  HfEncParams p;
  HfEncBands b;
  guint z, u, r, n;
  int k;

  memset (&p, 0, sizeof (p));
  p.pixel_format = -1;
  for (z = 0; z < G_N_ELEMENTS (sizes); z++)
    for (u = 0; u < G_N_ELEMENTS (subsamps); u++)
      for (r = 0; r < G_N_ELEMENTS (restarts); r++)
        for (n = 0; n < G_N_ELEMENTS (slices); n++) {
          int mcuh = tjMCUHeight[subsamps[u]];
          int mcu_rows = (sizes[z][1] + mcuh - 1) / mcuh;
          size_t sum = 0;

          p.width = sizes[z][0];
          p.height = sizes[z][1];
          p.subsamp = subsamps[u];
          p.restart_rows = restarts[r];
          p.slices = slices[n];
          g_assert_true (hf_enc_bands (&p, &b));
          g_assert_cmpint (b.height, ==, p.height);
          g_assert_cmpint (b.n_bands, >=, 1);
          g_assert_cmpint (b.n_bands, <=, MIN (slices[n], mcu_rows));
          g_assert_cmpint ((b.n_bands - 1) * b.band_rows, <, p.height);
          g_assert_cmpint (b.n_bands * b.band_rows, >=, p.height);
          if (restarts[r] == 0 && slices[n] == 1) {
            g_assert_cmpint (b.interval_rows, ==, 0);
          } else {
            g_assert_cmpint (b.interval_rows % mcuh, ==, 0);
            g_assert_cmpint (b.band_rows % b.interval_rows, ==, 0);
            g_assert_cmpint (b.interval_mcus, <=, 65535);
            g_assert_cmpint (b.interval_mcus, ==, b.interval_rows / mcuh *
                ((p.width + tjMCUWidth[subsamps[u]] - 1) /
                    tjMCUWidth[subsamps[u]]));
            if (restarts[r] > 0 && b.interval_mcus + (p.width + 7) / 8 <= 65535)
              g_assert_cmpint (b.interval_rows, ==, restarts[r] * mcuh);
          }
          for (k = 0; k < b.n_bands; k++)
            sum += hf_enc_band_capacity (&p, &b, k);
          g_assert_cmpuint (sum, <=, hf_enc_out_size (p.width, p.height,
                  p.subsamp, slices[n]));
        }

  /* docs/hfjpegenc.md: 1080p 4:2:0 in 3 slices is 23, 23 and 22 MCU rows. */
  p.width = 1920;
  p.height = 1080;
  p.subsamp = TJSAMP_420;
  p.restart_rows = 0;
  p.slices = 3;
  g_assert_true (hf_enc_bands (&p, &b));
  g_assert_cmpint (b.n_bands, ==, 3);
  g_assert_cmpint (b.band_rows, ==, 23 * 16);
  g_assert_cmpint (p.height - 2 * b.band_rows, ==, 22 * 16 - 8);
}

/* A pool with `workers` threads encodes f in `slices` bands. */
/* ---- the queue ------------------------------------------------------- */

/* fault (NULL: none) is given to the pool as its compress function's. */
static HfEncPool *
pool_new_full (unsigned n_workers, unsigned depth, unsigned max_bands,
    HfEncFaultSpec * fault)
{
  HfEncPoolConfig config = { n_workers, depth, max_bands,
    fault ? hf_enc_fault_compress : NULL, fault
  };
  char err[256] = "";
  HfEncPool *pool = hf_enc_pool_new (&config, err, sizeof (err));

  if (pool == NULL)
    g_error ("hf_enc_pool_new: %s", err);
  return pool;
}

static HfEncPool *
pool_new_or_die (unsigned n_workers, unsigned depth)
{
  return pool_new_full (n_workers, depth, 1, NULL);
}

static void
push_or_die (HfEncPool * pool, const HfEncParams * p, unsigned timeout_ms,
    void *user_data, HfEncReleaseFunc release)
{
  g_assert_true (hf_enc_pool_push (pool, p, timeout_ms, user_data, release));
}

/* Pops the oldest frame, which must be `want`, with `status`; done with
 * it at once. */
static void
pop_expect (HfEncPool * pool, void *want, HfEncStatus status, HfEncResult * res)
{
  HfEncResult r;
  void *got;
  HfEncStatus st = hf_enc_pool_pop (pool, res ? res : &r, &got);

  if (st != status)
    g_error ("pop: status %d, expected %d (%s)", st, status,
        (res ? res : &r)->error);
  g_assert_true (got == want);
  if (st != HF_ENC_TIMEOUT && st != HF_ENC_FLUSHING)
    hf_enc_pool_pop_done (pool);
}

static gint released;

static void
count_release (void *user_data)
{
  g_atomic_int_inc (&released);
  if (user_data)
    g_atomic_int_inc ((gint *) user_data);
}

static void
wait_for_count (gint * counter, gint want)
{
  gint64 end = g_get_monotonic_time () + BOUND_US;

  while (g_atomic_int_get (counter) < want && g_get_monotonic_time () < end)
    g_usleep (2000);
  g_assert_cmpint (g_atomic_int_get (counter), ==, want);
}

static void
wait_no_live_pools (void)
{
  gint64 end = g_get_monotonic_time () + BOUND_US;

  while (hf_enc_pool_live_count () > 0 && g_get_monotonic_time () < end)
    g_usleep (2000);
  g_assert_cmpuint (hf_enc_pool_live_count (), ==, 0);
}

#define N_FRAMES 6

/* The same frames through one encoder, the queue without workers and
 * with 1, 2 and 4 give the same bytes, in order. */
static void
check_identical (int pf, int subsamp)
{
  static const unsigned workers[] = { 0, 1, 2, 4 };
  HfEncoder *enc = encoder_new_or_die ();
  Frame f[N_FRAMES];
  uint8_t *ref[N_FRAMES];
  size_t ref_size[N_FRAMES];
  HfEncParams p;
  HfEncResult res;
  unsigned i, w;

  for (i = 0; i < N_FRAMES; i++) {
    frame_alloc (&f[i], 160, 90, pf, subsamp);
    if (pf >= 0) {
      /* Alternate heavy and light frames. */
      fill_noise_flat (&f[i], (i % 2) ? 8 : 150, 1000 + i);
    } else {
      GRand *rnd = g_rand_new_with_seed (i);
      size_t n = (size_t) (f[i].planes[2] - f[i].pixels) + f[i].strides[2];

      fill_yuv (&f[i], 100, 120, 140);
      /* Noise over most of Y and U: still a valid frame. */
      for (size_t k = 0; k < n / ((i % 2) ? 8 : 1); k++)
        f[i].pixels[k] = g_rand_int_range (rnd, 0, 256);
      g_rand_free (rnd);
    }
    frame_params (&f[i], 85, &p);
    hf_encoder_compress (enc, &p, &res);
    g_assert_cmpint (res.status, ==, HF_ENC_OK);
    ref[i] = g_memdup2 (f[i].out, res.size);
    ref_size[i] = res.size;
  }

  for (w = 0; w < G_N_ELEMENTS (workers); w++) {
    HfEncPool *pool = pool_new_or_die (workers[w], N_FRAMES);

    for (i = 0; i < N_FRAMES; i++) {
      memset (f[i].out, 0, f[i].out_capacity);
      frame_params (&f[i], 85, &p);
      push_or_die (pool, &p, 0, &f[i], count_release);
    }
    for (i = 0; i < N_FRAMES; i++) {
      pop_expect (pool, &f[i], HF_ENC_OK, &res);
      g_assert_cmpmem (f[i].out, res.size, ref[i], ref_size[i]);
    }
    hf_enc_pool_free (pool);
  }

  for (i = 0; i < N_FRAMES; i++) {
    g_free (ref[i]);
    frame_clear (&f[i]);
  }
  hf_encoder_free (enc);
}

HF_TEST ("/encpool/identical", test_identical)
{
  gint before = g_atomic_int_get (&released);

  check_identical (TJPF_RGBA, TJSAMP_420);
  check_identical (TJPF_BGR, TJSAMP_444);
  check_identical (-1, TJSAMP_420);
  /* Popped frames are the caller's: release never runs for them. */
  g_assert_cmpint (g_atomic_int_get (&released), ==, before);
  wait_no_live_pools ();
}

/* Frames come out in the order pushed, repeats (nothing to encode) in
 * their places, although frame 0 takes 200 ms and every later frame is
 * done long before it: each decodes to its own colour. */
HF_TEST ("/encpool/order", test_order)
{
  enum
  { N = 8 };
  HfEncFaultSpec fault = { HF_ENC_FAULT_HANG, 0, 200, 0 };
  HfEncPool *pool = pool_new_full (3, 2 * N, 1, &fault);
  Frame f[N];
  HfEncParams p;
  HfEncResult res;
  int i;

  for (i = 0; i < N; i++) {
    frame_alloc (&f[i], 32, 16, TJPF_RGBX, TJSAMP_444);
    fill_solid (&f[i], i * 30, 255 - i * 30, (i * 97) % 256);
    frame_params (&f[i], 90, &p);
    p.frame_number = i;
    push_or_die (pool, &p, 5000, &f[i], NULL);
    /* A repeat after each odd frame. */
    if (i % 2)
      push_or_die (pool, NULL, 5000, &f[i].out, NULL);
  }
  for (i = 0; i < N; i++) {
    uint8_t *rgb;

    pop_expect (pool, &f[i], HF_ENC_OK, &res);
    rgb = decode_rgb (f[i].out, res.size, 32, 16);
    assert_all_near (rgb, 32, 16, i * 30, 255 - i * 30, (i * 97) % 256, 4);
    g_free (rgb);
    if (i % 2) {
      pop_expect (pool, &f[i].out, HF_ENC_OK, &res);
      g_assert_cmpuint (res.size, ==, 0);
    }
  }
  hf_enc_pool_free (pool);
  for (i = 0; i < N; i++)
    frame_clear (&f[i]);
  wait_no_live_pools ();
}

/* What a compress function reports reaches the popper, on the popping
 * thread without workers and through workers: an error, an empty image;
 * a hang ends in the watchdog with workers (none inline), and the frame,
 * abandoned, is released once, by the worker when it comes out. The
 * queue works on after each. */
HF_TEST ("/encpool/faults", test_faults)
{
  static const unsigned workers[] = { 0, 2 };
  Frame f;
  unsigned w;

  frame_alloc (&f, 24, 24, TJPF_XRGB, TJSAMP_422);
  fill_solid (&f, 9, 9, 9);
  for (w = 0; w < G_N_ELEMENTS (workers); w++) {
    HfEncFaultSpec fault = { HF_ENC_FAULT_ERROR, 0, 0, 0 };
    HfEncPool *pool = pool_new_full (workers[w], 4, 1, &fault);
    HfEncParams p;
    HfEncResult res;
    gint mine = 0;

    frame_params (&f, 85, &p);
    push_or_die (pool, &p, 5000, &mine, count_release);
    pop_expect (pool, &mine, HF_ENC_ERROR, &res);
    g_assert_cmpstr (res.error, ==, "injected encoder error (test hook)");

    hf_enc_fault_set (&fault, HF_ENC_FAULT_EMPTY);
    push_or_die (pool, &p, 5000, &mine, count_release);
    pop_expect (pool, &mine, HF_ENC_EMPTY, &res);
    g_assert_cmpuint (res.size, ==, 0);

    hf_enc_fault_set (&fault, HF_ENC_FAULT_HANG);
    fault.hang_ms = workers[w] ? 1000 : 20;
    push_or_die (pool, &p, 100, &mine, count_release);
    if (workers[w] == 0) {
      /* Inline: no watchdog, the hang just delays. */
      pop_expect (pool, &mine, HF_ENC_OK, &res);
    } else {
      pop_expect (pool, &mine, HF_ENC_TIMEOUT, &res);
      g_assert_nonnull (strstr (res.error, "within 100 ms"));
      /* Popping again still times out at once: the deadline is fixed. */
      pop_expect (pool, &mine, HF_ENC_TIMEOUT, NULL);
      hf_enc_pool_abandon (pool);
      wait_for_count (&mine, 1);
    }
    g_assert_cmpint (g_atomic_int_get (&mine), ==, workers[w] ? 1 : 0);

    hf_enc_fault_set (&fault, HF_ENC_FAULT_NONE);
    push_or_die (pool, &p, 5000, &mine, count_release);
    pop_expect (pool, &mine, HF_ENC_OK, &res);
    g_assert_cmpuint (res.size, >, 0);
    hf_enc_pool_free (pool);
    wait_no_live_pools ();
  }
  frame_clear (&f);
}

typedef struct
{
  HfEncPool *pool;
  gboolean room;                /* wait for room, not pop */
  pthread_mutex_t lock;
  pthread_cond_t cond;
  gboolean started, finished;
  HfEncStatus status;
  void *user_data;
} Waiter;

static void *
waiter_main (void *data)
{
  Waiter *w = data;
  HfEncStatus st = HF_ENC_OK;
  void *ud = NULL;

  pthread_mutex_lock (&w->lock);
  w->started = TRUE;
  pthread_cond_signal (&w->cond);
  pthread_mutex_unlock (&w->lock);
  if (w->room)
    st = hf_enc_pool_wait_room (w->pool, 0) ? HF_ENC_OK : HF_ENC_FLUSHING;
  else if ((st = hf_enc_pool_pop (w->pool, NULL, &ud)) == HF_ENC_OK)
    hf_enc_pool_pop_done (w->pool);
  pthread_mutex_lock (&w->lock);
  w->status = st;
  w->user_data = ud;
  w->finished = TRUE;
  pthread_mutex_unlock (&w->lock);
  return NULL;
}

static void
waiter_start (Waiter * w, pthread_t * thread, HfEncPool * pool, gboolean room)
{
  memset (w, 0, sizeof (*w));
  w->pool = pool;
  w->room = room;
  pthread_mutex_init (&w->lock, NULL);
  pthread_cond_init (&w->cond, NULL);
  g_assert_cmpint (pthread_create (thread, NULL, waiter_main, w), ==, 0);
  pthread_mutex_lock (&w->lock);
  while (!w->started)
    pthread_cond_wait (&w->cond, &w->lock);
  pthread_mutex_unlock (&w->lock);
  g_usleep (20000);             /* let it block (the test passes either way) */
}

static gboolean
waiter_finished (Waiter * w)
{
  gboolean done;

  pthread_mutex_lock (&w->lock);
  done = w->finished;
  pthread_mutex_unlock (&w->lock);
  return done;
}

static void
waiter_join (Waiter * w, pthread_t thread)
{
  pthread_join (thread, NULL);
  pthread_mutex_destroy (&w->lock);
  pthread_cond_destroy (&w->cond);
}

/* A pop on an empty queue waits for the next frame. A thread waiting for
 * room wakes when the frames are popped and done with, not before. */
HF_TEST ("/encpool/waits", test_waits)
{
  HfEncPool *pool = pool_new_or_die (1, 2);
  Waiter w;
  pthread_t thread;
  HfEncParams p;
  Frame f;
  void *data;

  frame_alloc (&f, 8, 8, TJPF_GRAY, TJSAMP_GRAY);
  fill_solid (&f, 100, 100, 100);
  frame_params (&f, 85, &p);

  waiter_start (&w, &thread, pool, FALSE);
  g_assert_false (waiter_finished (&w));
  push_or_die (pool, &p, 0, &f, NULL);
  waiter_join (&w, thread);
  g_assert_cmpint (w.status, ==, HF_ENC_OK);
  g_assert_true (w.user_data == &f);

  push_or_die (pool, &p, 0, &f, NULL);
  push_or_die (pool, NULL, 0, &p, NULL);
  /* Full: a third frame is refused, never queued. */
  g_assert_false (hf_enc_pool_push (pool, &p, 0, NULL, NULL));
  waiter_start (&w, &thread, pool, TRUE);
  pop_expect (pool, &f, HF_ENC_OK, NULL);
  g_assert_false (waiter_finished (&w));
  g_assert_cmpint (hf_enc_pool_pop (pool, NULL, &data), ==, HF_ENC_OK);
  g_assert_true (data == &p);
  /* Popped, not done: still in flight for the waiter, and for a push. */
  g_usleep (20000);
  g_assert_false (waiter_finished (&w));
  push_or_die (pool, NULL, 0, &f, NULL);
  g_assert_false (hf_enc_pool_push (pool, NULL, 0, &f, NULL));
  pop_expect (pool, &f, HF_ENC_OK, NULL);
  g_assert_false (waiter_finished (&w));
  hf_enc_pool_pop_done (pool);
  waiter_join (&w, thread);
  g_assert_cmpint (w.status, ==, HF_ENC_OK);

  hf_enc_pool_free (pool);
  wait_no_live_pools ();
  frame_clear (&f);
}

/* Flushing wakes a thread blocked on a hung frame with no watchdog, and
 * one waiting for room; the frame stays queued until abandoned; after the
 * flush the queue works. */
HF_TEST ("/encpool/flushing", test_flushing)
{
  HfEncFaultSpec fault = { HF_ENC_FAULT_HANG, 0, 1500, 0 };
  HfEncPool *pool = pool_new_full (1, 2, 1, &fault);
  Waiter w, r;
  pthread_t thread, rthread;
  HfEncParams p;
  Frame f;
  gint mine = 0;

  frame_alloc (&f, 8, 8, TJPF_GRAY, TJSAMP_GRAY);
  fill_solid (&f, 100, 100, 100);
  frame_params (&f, 85, &p);
  push_or_die (pool, &p, 0, &mine, count_release);
  waiter_start (&w, &thread, pool, FALSE);
  waiter_start (&r, &rthread, pool, TRUE);

  hf_enc_pool_set_flushing (pool, TRUE);
  waiter_join (&w, thread);
  waiter_join (&r, rthread);
  /* Not OK: the waits were cut, not ended by the 1.5 s hang. */
  g_assert_cmpint (w.status, ==, HF_ENC_FLUSHING);
  g_assert_null (w.user_data);
  g_assert_cmpint (r.status, ==, HF_ENC_FLUSHING);
  pop_expect (pool, NULL, HF_ENC_FLUSHING, NULL);
  hf_enc_pool_abandon (pool);

  hf_enc_pool_set_flushing (pool, FALSE);
  hf_enc_fault_set (&fault, HF_ENC_FAULT_NONE);
  push_or_die (pool, &p, 0, &f, count_release);
  pop_expect (pool, &f, HF_ENC_OK, NULL);

  wait_for_count (&mine, 1);
  hf_enc_pool_free (pool);
  wait_no_live_pools ();
  g_assert_cmpint (g_atomic_int_get (&mine), ==, 1);
  frame_clear (&f);
}

typedef struct
{
  gint count;
  uint8_t *out;                 /* freed by release, as an element would */
} Owned;

static void
owned_release (void *user_data)
{
  Owned *o = user_data;

  g_free (o->out);
  o->out = NULL;
  g_atomic_int_inc (&o->count);
}

/* Freeing the pool does not wait for a hung worker; the worker releases
 * its frame when it comes out and then frees the pool. */
HF_TEST ("/encpool/free-while-hung", test_free_while_hung)
{
  HfEncFaultSpec fault = { HF_ENC_FAULT_HANG, HF_ENC_FAULT_ANY_FRAME, 1000, 0 };
  HfEncPool *pool = pool_new_full (2, 4, 1, &fault);
  HfEncParams p;
  Frame f;
  Owned o = { 0 }, o2 = { 0 }, q = { 0 };
  gint released_at_free;

  frame_alloc (&f, 16, 16, TJPF_ABGR, TJSAMP_420);
  fill_solid (&f, 10, 20, 30);
  frame_params (&f, 85, &p);
  o.out = g_malloc (f.out_capacity);
  p.out = o.out;
  push_or_die (pool, &p, 50, &o, owned_release);
  /* Wait for its watchdog: by then a worker has most likely taken it. */
  pop_expect (pool, &o, HF_ENC_TIMEOUT, NULL);

  /* A second hung frame keeps the other worker busy, and a third stays
   * queued: free releases the queued one itself. */
  o2.out = g_malloc (f.out_capacity);
  p.out = o2.out;
  push_or_die (pool, &p, 0, &o2, owned_release);
  q.out = g_malloc (f.out_capacity);
  p.out = q.out;
  push_or_die (pool, &p, 0, &q, owned_release);

  hf_enc_pool_free (pool);
  released_at_free = g_atomic_int_get (&o.count);
  g_test_message ("hung frame released %s pool_free returned",
      released_at_free ? "before" : "after");
  wait_for_count (&o.count, 1);
  wait_for_count (&o2.count, 1);
  wait_for_count (&q.count, 1);
  wait_no_live_pools ();
  frame_clear (&f);
}

/* At most `depth` frames queued; abandoned frames are released exactly
 * once, however they end; a frame abandoned on a worker keeps its slot
 * until it comes out, without blocking new frames. */
HF_TEST ("/encpool/depth", test_depth)
{
  HfEncFaultSpec fault = { HF_ENC_FAULT_HANG, HF_ENC_FAULT_ANY_FRAME, 150, 0 };
  HfEncPool *pool = pool_new_full (1, 3, 1, &fault);
  HfEncParams p;
  HfEncResult res;
  Frame f;
  gint mine = 0;
  int i;

  frame_alloc (&f, 16, 16, TJPF_RGB, TJSAMP_444);
  fill_solid (&f, 50, 60, 70);
  frame_params (&f, 85, &p);
  for (i = 0; i < 3; i++)
    push_or_die (pool, &p, 0, &mine, count_release);
  g_assert_false (hf_enc_pool_push (pool, &p, 0, &mine, count_release));

  /* A popped frame makes room. */
  pop_expect (pool, &mine, HF_ENC_OK, &res);
  push_or_die (pool, &p, 0, &mine, count_release);
  g_assert_false (hf_enc_pool_push (pool, &p, 0, &mine, count_release));

  hf_enc_pool_abandon (pool);
  /* The worker is in one of them; the queue is empty at once. */
  for (i = 0; i < 3; i++)
    push_or_die (pool, &p, 0, &mine, count_release);
  hf_enc_pool_abandon (pool);
  wait_for_count (&mine, 6);
  hf_enc_pool_free (pool);
  wait_no_live_pools ();
  frame_clear (&f);
}

/* The watchdog measures a frame's own encode, not its wait in the queue:
 * one worker, a queue far longer (in time) than the timeout, each frame
 * well within it. Every frame must succeed. */
HF_TEST ("/encpool/watchdog-deep-queue", test_watchdog_deep_queue)
{
  enum
  { N = 40, JOB_MS = 15, TIMEOUT_MS = 200 };
  /* A fixed delay stands for the encode time (N * JOB_MS = 600 ms of
   * queue, three times the timeout). */
  HfEncFaultSpec fault =
      { HF_ENC_FAULT_HANG, HF_ENC_FAULT_ANY_FRAME, JOB_MS, 0 };
  HfEncPool *pool = pool_new_full (1, N, 1, &fault);
  HfEncParams p;
  HfEncResult res;
  Frame f;
  int i;

  frame_alloc (&f, 16, 16, TJPF_RGB, TJSAMP_420);
  fill_solid (&f, 7, 8, 9);
  frame_params (&f, 80, &p);
  for (i = 0; i < N; i++)
    push_or_die (pool, &p, TIMEOUT_MS, GINT_TO_POINTER (i + 1), NULL);
  for (i = 0; i < N; i++) {
    pop_expect (pool, GINT_TO_POINTER (i + 1), HF_ENC_OK, &res);
    g_assert_cmpuint (res.size, >, 0);
  }
  hf_enc_pool_free (pool);
  frame_clear (&f);
  wait_no_live_pools ();
}

/* A frame queued behind a worker stuck in an abandoned hung frame (as
 * after a flush) still times out, without waiting for the hang, and says
 * it never started. */
HF_TEST ("/encpool/watchdog-stuck-queue", test_watchdog_stuck_queue)
{
  HfEncFaultSpec fault = { HF_ENC_FAULT_HANG, 0, 1500, 0 };
  HfEncPool *pool = pool_new_full (1, 4, 1, &fault);
  HfEncParams p;
  HfEncResult res;
  Frame f;
  gint mine = 0;

  frame_alloc (&f, 16, 16, TJPF_RGB, TJSAMP_420);
  fill_solid (&f, 7, 8, 9);
  frame_params (&f, 80, &p);
  push_or_die (pool, &p, 50, &mine, count_release);
  pop_expect (pool, &mine, HF_ENC_TIMEOUT, &res);
  /* 50 ms after a worker took it (the queue was empty). */
  g_assert_nonnull (strstr (res.error, "did not finish within 50 ms"));
  hf_enc_pool_abandon (pool);

  p.frame_number = 1;
  push_or_die (pool, &p, 100, &mine, count_release);
  pop_expect (pool, &mine, HF_ENC_TIMEOUT, &res);
  g_assert_nonnull (strstr (res.error, "did not start"));
  /* The hung frame still holds the only worker: this one never ran, and
   * is released at once. */
  hf_enc_pool_abandon (pool);
  g_assert_cmpint (g_atomic_int_get (&mine), >=, 1);

  hf_enc_pool_free (pool);
  wait_for_count (&mine, 2);
  wait_no_live_pools ();
  frame_clear (&f);
}

/* A pool with `workers` threads encodes f in `slices` bands. */
static void
encode_in_bands (Frame * f, int slices, const HfYuvConvert * cv,
    guint workers, uint8_t * out, size_t capacity, HfEncResult * res)
{
  HfEncPool *pool = pool_new_full (workers, 2, (unsigned) slices, NULL);
  HfEncParams p;

  frame_params (f, 85, &p);
  p.slices = slices;
  p.convert = cv;
  p.out = out;
  p.out_capacity = capacity;
  push_or_die (pool, &p, 10000, f, NULL);
  pop_expect (pool, f, HF_ENC_OK, res);
  hf_enc_pool_free (pool);
}

/* Bands encoded in parallel, each in its own part of the output, joined:
 * the bytes one encoder makes of the whole frame with the bands' restart
 * interval, for packed, planar and converted input, with the queue's own
 * thread and 1 to 3 workers. */
HF_TEST ("/encpool/bands-pool", test_bands_pool)
{
  const int sizes[][2] = { {1, 1}, {17, 9}, {641, 361} };
  const int slices[] = { 2, 3, 8 };
  HfYuvConvert cv;
  HfEncoder *enc = encoder_new_or_die ();
  guint z, n, kind, w;

  g_assert_true (hf_yuv_convert_init (&cv, 0.2126, 0.0722, FALSE));
  for (z = 0; z < G_N_ELEMENTS (sizes); z++)
    for (kind = 0; kind < 3; kind++) {
      Frame f;
      size_t cap;

      if (kind == 0) {
        frame_alloc (&f, sizes[z][0], sizes[z][1], TJPF_RGBX, TJSAMP_420);
        fill_noise_flat (&f, sizes[z][0] / 2, 7);
      } else {
        frame_alloc (&f, sizes[z][0], sizes[z][1], -1, TJSAMP_420);
        fill_yuv (&f, 90, 100, 150);
        /* Noise in luma so that every band has its own data. */
        fill_yuv_noise (&f, 11);
      }
      cap = hf_enc_out_size (f.width, f.height, TJSAMP_420, 8);
      for (n = 0; n < G_N_ELEMENTS (slices); n++) {
        const HfYuvConvert *conv = kind == 2 ? &cv : NULL;
        HfEncBands b;
        HfEncParams p;
        HfEncResult ref, res;
        uint8_t *want = g_malloc (cap);

        frame_params (&f, 85, &p);
        p.slices = slices[n];
        g_assert_true (hf_enc_bands (&p, &b));
        /* The same restart interval in one piece, by one encoder. */
        p.slices = 1;
        p.restart_rows = b.interval_rows / 16;
        p.convert = conv;
        p.out = want;
        p.out_capacity = cap;
        hf_encoder_compress (enc, &p, &ref);
        g_assert_cmpint (ref.status, ==, HF_ENC_OK);
        for (w = 0; w <= 3; w++) {
          uint8_t *got = g_malloc (cap);

          encode_in_bands (&f, slices[n], conv, w, got, cap, &res);
          g_assert_cmpuint (res.size, ==, ref.size);
          g_assert_true (memcmp (got, want, ref.size) == 0);
          g_free (got);
        }
        g_free (want);
      }
      frame_clear (&f);
    }
  hf_encoder_free (enc);
  wait_no_live_pools ();
}

/* One band hangs: the watchdog names it; abandoned, the frame is released
 * once, when the band comes out, not before. An error in one band is the
 * frame's error, naming the band. */
HF_TEST ("/encpool/bands-watchdog-and-abandon", test_bands_watchdog_and_abandon)
{
  HfEncFaultSpec fault = { HF_ENC_FAULT_HANG, 0, 1000, 2 };
  HfEncPool *pool = pool_new_full (3, 4, 3, &fault);
  HfEncParams p;
  HfEncResult res;
  Frame f;
  gint mine = 0;
  uint8_t *out;
  size_t cap;

  frame_alloc (&f, 64, 48, TJPF_RGBX, TJSAMP_420);
  fill_noise_flat (&f, 32, 3);
  cap = hf_enc_out_size (64, 48, TJSAMP_420, 3);
  out = g_malloc (cap);
  frame_params (&f, 85, &p);
  p.out = out;
  p.out_capacity = cap;
  p.slices = 3;
  push_or_die (pool, &p, 100, &mine, count_release);
  pop_expect (pool, &mine, HF_ENC_TIMEOUT, &res);
  g_assert_nonnull (strstr (res.error, "band 3 of 3: encode did not finish "
          "within 100 ms"));
  hf_enc_pool_abandon (pool);
  /* Bands 1 and 2 are done; band 3 still sleeps. */
  g_assert_cmpint (g_atomic_int_get (&mine), ==, 0);
  wait_for_count (&mine, 1);

  hf_enc_fault_set (&fault, HF_ENC_FAULT_ERROR);
  fault.band = 1;
  push_or_die (pool, &p, 5000, &mine, count_release);
  pop_expect (pool, &mine, HF_ENC_ERROR, &res);
  g_assert_cmpstr (res.error, ==,
      "band 2 of 3: injected encoder error (test hook)");
  hf_enc_pool_free (pool);
  wait_no_live_pools ();
  g_assert_cmpint (g_atomic_int_get (&mine), ==, 1);
  g_free (out);
  frame_clear (&f);
}

/* A frame the pool cannot cut is done at once, with the reason. */
HF_TEST ("/encpool/bands-refused", test_bands_refused)
{
  HfEncPool *pool = pool_new_full (1, 2, 2, NULL);
  HfEncParams p;
  HfEncResult res;
  Frame f;

  /* 6 MCU rows: 3 slices make 3 bands. */
  frame_alloc (&f, 64, 96, TJPF_RGBX, TJSAMP_420);
  frame_params (&f, 85, &p);
  p.slices = 3;
  push_or_die (pool, &p, 0, &f, NULL);
  pop_expect (pool, &f, HF_ENC_ERROR, &res);
  g_assert_cmpstr (res.error, ==, "3 bands, but the pool was made for 2");
  /* Two bands need more than one frame's tjBufSize. */
  p.slices = 2;
  push_or_die (pool, &p, 0, &f, NULL);
  pop_expect (pool, &f, HF_ENC_ERROR, &res);
  g_assert_nonnull (strstr (res.error, "output buffer too small"));
  hf_enc_pool_free (pool);
  wait_no_live_pools ();
  frame_clear (&f);
}

HF_TEST_MAIN ();
