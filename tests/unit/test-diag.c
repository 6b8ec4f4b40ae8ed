/* Unit tests of the diagnostics writer: PNG dump and JSON escaping.
 * The PNG is parsed back here with code independent of the writer's
 * (bitwise CRC, per-byte Adler-32, a stored-block inflater). */
#include "hfdiag.h"

#include <string.h>
#include <glib/gstdio.h>
#include <turbojpeg.h>

#include "hfunit.h"

typedef struct
{
  guint32 width, height;
  guint8 depth, color_type;
  guint8 *pixels;               /* rows without filter bytes */
  size_t n_idat;
} Png;

static guint32
be32 (const guint8 * p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) |
      ((guint32) p[2] << 8) | p[3];
}

static guint32
crc_bitwise (const guint8 * p, size_t len)
{
  guint32 crc = 0xffffffffu;
  size_t i;
  int k;

  for (i = 0; i < len; i++) {
    crc ^= p[i];
    for (k = 0; k < 8; k++)
      crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1)));
  }
  return ~crc;
}

static guint32
adler_slow (const guint8 * p, size_t len)
{
  guint64 a = 1, b = 0;
  size_t i;

  for (i = 0; i < len; i++) {
    a = (a + p[i]) % 65521;
    b = (b + a) % 65521;
  }
  return (guint32) ((b << 16) | a);
}

/* Parses the whole file, asserting its structure; returns the pixels. */
static void
png_parse (const char *path, Png * png)
{
  static const guint8 sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a,
    '\n'
  };
  gchar *data;
  gsize len, pos = 8;
  GByteArray *z = g_byte_array_new ();
  GByteArray *raw = g_byte_array_new ();
  gboolean seen_iend = FALSE, final = FALSE;
  size_t zp, rowlen, y;
  GError *err = NULL;
  int channels;

  memset (png, 0, sizeof (*png));
  g_assert_true (g_file_get_contents (path, &data, &len, &err));
  g_assert_no_error (err);
  g_assert_cmpuint (len, >, 8);
  g_assert_cmpmem (data, 8, sig, 8);

  while (pos < len) {
    const guint8 *c = (const guint8 *) data + pos;
    guint32 clen;

    g_assert_false (seen_iend);
    g_assert_cmpuint (len - pos, >=, 12);
    clen = be32 (c);
    g_assert_cmpuint (len - pos - 12, >=, clen);
    /* The CRC covers the type and the data. */
    g_assert_cmphex (be32 (c + 8 + clen), ==, crc_bitwise (c + 4, 4 + clen));
    if (pos == 8) {
      g_assert_cmpmem (c + 4, 4, "IHDR", 4);
      g_assert_cmpuint (clen, ==, 13);
      png->width = be32 (c + 8);
      png->height = be32 (c + 12);
      png->depth = c[16];
      png->color_type = c[17];
      g_assert_cmpuint (c[18], ==, 0);  /* deflate */
      g_assert_cmpuint (c[19], ==, 0);  /* filter method */
      g_assert_cmpuint (c[20], ==, 0);  /* no interlace */
    } else if (memcmp (c + 4, "IDAT", 4) == 0) {
      g_byte_array_append (z, c + 8, clen);
      png->n_idat++;
    } else if (memcmp (c + 4, "IEND", 4) == 0) {
      g_assert_cmpuint (clen, ==, 0);
      seen_iend = TRUE;
    } else {
      g_assert_not_reached ();
    }
    pos += 12 + clen;
  }
  g_assert_true (seen_iend);
  g_assert_cmpuint (png->n_idat, >, 0);

  /* zlib: CMF/FLG, stored blocks, Adler-32. */
  g_assert_cmpuint (z->len, >=, 2 + 5 + 4);
  g_assert_cmpuint (z->data[0] & 0x0f, ==, 8);
  g_assert_cmpuint ((z->data[0] * 256 + z->data[1]) % 31, ==, 0);
  g_assert_cmpuint (z->data[1] & 0x20, ==, 0);  /* no preset dictionary */
  zp = 2;
  while (!final) {
    guint n, nn;

    g_assert_cmpuint (z->len - zp, >=, 5);
    final = z->data[zp] & 1;
    g_assert_cmpuint ((z->data[zp] >> 1) & 3, ==, 0);   /* stored */
    n = z->data[zp + 1] | (z->data[zp + 2] << 8);
    nn = z->data[zp + 3] | (z->data[zp + 4] << 8);
    g_assert_cmphex (n ^ 0xffff, ==, nn);
    zp += 5;
    g_assert_cmpuint (z->len - zp, >=, n);
    g_byte_array_append (raw, z->data + zp, n);
    zp += n;
  }
  g_assert_cmpuint (z->len - zp, ==, 4);
  g_assert_cmphex (be32 (z->data + zp), ==, adler_slow (raw->data, raw->len));

  g_assert_cmpuint (png->depth, ==, 8);
  g_assert_true (png->color_type == 0 || png->color_type == 2);
  channels = png->color_type == 2 ? 3 : 1;
  rowlen = (size_t) png->width * channels;
  g_assert_cmpuint (raw->len, ==, png->height * (1 + rowlen));
  png->pixels = g_malloc (png->height * rowlen);
  for (y = 0; y < png->height; y++) {
    g_assert_cmpuint (raw->data[y * (1 + rowlen)], ==, 0);      /* None */
    memcpy (png->pixels + y * rowlen, raw->data + y * (1 + rowlen) + 1, rowlen);
  }

  g_byte_array_unref (z);
  g_byte_array_unref (raw);
  g_free (data);
}

static gchar *tmpdir;

static gchar *
tmp_path (const char *name)
{
  return g_build_filename (tmpdir, name, NULL);
}

/* Writes params as PNG and parses it back. */
static void
roundtrip (const HfEncParams * p, const char *name, Png * png)
{
  gchar *path = tmp_path (name);
  char err[256] = "";

  if (!hf_diag_write_png (path, p, err, sizeof (err)))
    g_error ("hf_diag_write_png: %s", err);
  png_parse (path, png);
  g_assert_cmpuint (png->width, ==, p->width);
  g_assert_cmpuint (png->height, ==, p->height);
  g_unlink (path);
  g_free (path);
}

static guint8
pattern (int x, int y, int c)
{
  return (guint8) (x * 37 + y * 101 + c * 53 + 7);
}

/* Every packed layout, with a padded stride: exact pixel bytes out. */
HF_TEST ("/diag/png-packed", test_png_packed)
{
  const int w = 7, h = 4;
  int pf;

  for (pf = 0; pf < TJPF_CMYK; pf++) {
    int ps = tjPixelSize[pf], stride = w * ps + 5, x, y, c;
    guint8 *buf = g_malloc0 ((size_t) stride * h);
    HfEncParams p = { 0 };
    Png png;
    gchar *name = g_strdup_printf ("pf%d.png", pf);

    for (y = 0; y < h; y++)
      for (x = 0; x < w; x++) {
        guint8 *px = buf + y * stride + x * ps;

        if (pf == TJPF_GRAY) {
          px[0] = pattern (x, y, 0);
          continue;
        }
        px[tjRedOffset[pf]] = pattern (x, y, 0);
        px[tjGreenOffset[pf]] = pattern (x, y, 1);
        px[tjBlueOffset[pf]] = pattern (x, y, 2);
        if (tjAlphaOffset[pf] >= 0)
          px[tjAlphaOffset[pf]] = 0x11;
      }
    p.width = w;
    p.height = h;
    p.pixel_format = pf;
    p.subsamp = TJSAMP_420;
    p.planes[0] = buf;
    p.strides[0] = stride;
    roundtrip (&p, name, &png);

    if (pf == TJPF_GRAY) {
      g_assert_cmpuint (png.color_type, ==, 0);
      for (y = 0; y < h; y++)
        for (x = 0; x < w; x++)
          g_assert_cmpuint (png.pixels[y * w + x], ==, pattern (x, y, 0));
    } else {
      g_assert_cmpuint (png.color_type, ==, 2);
      for (y = 0; y < h; y++)
        for (x = 0; x < w; x++)
          for (c = 0; c < 3; c++)
            g_assert_cmpuint (png.pixels[(y * w + x) * 3 + c], ==,
                pattern (x, y, c));
    }
    g_free (png.pixels);
    g_free (buf);
    g_free (name);
  }
}

/* Frames whose data spans several stored blocks, including exactly full
 * ones: 1456x15 RGB is 15 * (1 + 4368) = 65535 bytes, one full block. */
HF_TEST ("/diag/png-blocks", test_png_blocks)
{
  static const int sizes[][2] = { {1456, 15}, {1456, 30}, {300, 200},
  {1, 1}, {65535, 1}
  };
  unsigned s;

  for (s = 0; s < G_N_ELEMENTS (sizes); s++) {
    int w = sizes[s][0], h = sizes[s][1], x, y;
    guint8 *buf = g_malloc ((size_t) w * h * 3);
    HfEncParams p = { 0 };
    Png png;
    size_t expected_blocks;

    for (y = 0; y < h; y++)
      for (x = 0; x < w; x++) {
        buf[(y * w + x) * 3] = pattern (x, y, 0);
        buf[(y * w + x) * 3 + 1] = pattern (x, y, 1);
        buf[(y * w + x) * 3 + 2] = pattern (x, y, 2);
      }
    p.width = w;
    p.height = h;
    p.pixel_format = TJPF_RGB;
    p.planes[0] = buf;
    p.strides[0] = 0;           /* 0 = tightly packed */
    roundtrip (&p, "blocks.png", &png);
    g_assert_cmpmem (png.pixels, (size_t) w * h * 3, buf, (size_t) w * h * 3);
    /* One IDAT per stored block, no empty trailing block. */
    expected_blocks = ((size_t) h * (1 + 3 * w) + 65534) / 65535;
    g_assert_cmpuint (png.n_idat, ==, expected_blocks);
    g_free (png.pixels);
    g_free (buf);
  }
}

static void
rgb_to_yuv (int r, int g, int b, guint8 * y, guint8 * u, guint8 * v)
{
  *y = CLAMP ((int) (0.299 * r + 0.587 * g + 0.114 * b + 0.5), 0, 255);
  *u = CLAMP ((int) (128 - 0.168736 * r - 0.331264 * g + 0.5 * b + 0.5), 0,
      255);
  *v = CLAMP ((int) (128 + 0.5 * r - 0.418688 * g - 0.081312 * b + 0.5), 0,
      255);
}

/* Pure colours through 4:2:0, 4:2:2 and 4:4:4 planes: left half one
 * colour, right half another (split on a chroma boundary), odd height. */
HF_TEST ("/diag/png-yuv", test_png_yuv)
{
  static const int colours[][3] = {
    {255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {255, 255, 255}, {0, 0, 0},
    {255, 255, 0}, {40, 160, 220}
  };
  static const int samps[] = { TJSAMP_420, TJSAMP_422, TJSAMP_444 };
  const int w = 8, h = 5;
  unsigned s, k;

  for (s = 0; s < G_N_ELEMENTS (samps); s++)
    for (k = 0; k + 1 < G_N_ELEMENTS (colours); k++) {
      int hs = tjMCUWidth[samps[s]] / 8, vs = tjMCUHeight[samps[s]] / 8;
      int cw = (w + hs - 1) / hs, ch = (h + vs - 1) / vs, x, y, c;
      const int *left = colours[k], *right = colours[k + 1];
      guint8 yl, ul, vl, yr, ur, vr;
      guint8 *yp = g_malloc (w * h), *up = g_malloc (cw * ch),
          *vp = g_malloc (cw * ch);
      HfEncParams p = { 0 };
      Png png;

      rgb_to_yuv (left[0], left[1], left[2], &yl, &ul, &vl);
      rgb_to_yuv (right[0], right[1], right[2], &yr, &ur, &vr);
      for (y = 0; y < h; y++)
        for (x = 0; x < w; x++)
          yp[y * w + x] = x < w / 2 ? yl : yr;
      for (y = 0; y < ch; y++)
        for (x = 0; x < cw; x++) {
          up[y * cw + x] = x < cw / 2 ? ul : ur;
          vp[y * cw + x] = x < cw / 2 ? vl : vr;
        }
      p.width = w;
      p.height = h;
      p.pixel_format = -1;
      p.subsamp = samps[s];
      p.planes[0] = yp;
      p.planes[1] = up;
      p.planes[2] = vp;
      p.strides[0] = w;
      p.strides[1] = p.strides[2] = cw;
      roundtrip (&p, "yuv.png", &png);
      g_assert_cmpuint (png.color_type, ==, 2);
      for (y = 0; y < h; y++)
        for (x = 0; x < w; x++)
          for (c = 0; c < 3; c++) {
            int want = x < w / 2 ? left[c] : right[c];

            g_assert_cmpint (ABS (png.pixels[(y * w + x) * 3 + c] - want),
                <=, 2);
          }
      g_free (png.pixels);
      g_free (yp);
      g_free (up);
      g_free (vp);
    }
}

/* Planar gray (only the Y plane) makes a gray PNG of Y. */
HF_TEST ("/diag/png-yuv-gray", test_png_yuv_gray)
{
  guint8 yp[3 * 2] = { 0, 50, 100, 150, 200, 255 };
  HfEncParams p = { 0 };
  Png png;

  p.width = 3;
  p.height = 2;
  p.pixel_format = -1;
  p.subsamp = TJSAMP_GRAY;
  p.planes[0] = yp;
  p.strides[0] = 3;
  roundtrip (&p, "gray.png", &png);
  g_assert_cmpuint (png.color_type, ==, 0);
  g_assert_cmpmem (png.pixels, 6, yp, 6);
  g_free (png.pixels);
}

HF_TEST ("/diag/png-errors", test_png_errors)
{
  guint8 px[3] = { 1, 2, 3 };
  HfEncParams p = { 0 };
  char err[256] = "";
  gchar *path = g_build_filename (tmpdir, "no-such-dir", "x.png", NULL);

  p.width = 1;
  p.height = 1;
  p.pixel_format = TJPF_RGB;
  p.planes[0] = px;
  g_assert_false (hf_diag_write_png (path, &p, err, sizeof (err)));
  g_assert_nonnull (strstr (err, path));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  g_free (path);
  path = tmp_path ("bad.png");
  p.pixel_format = TJPF_CMYK;
  err[0] = '\0';
  g_assert_false (hf_diag_write_png (path, &p, err, sizeof (err)));
  g_assert_cmpuint (strlen (err), >, 0);
  p.pixel_format = -1;
  p.subsamp = TJSAMP_420;       /* U and V planes missing */
  g_assert_false (hf_diag_write_png (path, &p, err, sizeof (err)));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_free (path);
}

static void
check_json (const char *in, const char *want)
{
  GString *s = g_string_new ("x=");

  hf_diag_json_append_string (s, in);
  g_assert_cmpstr (s->str + 2, ==, want);
  g_assert_true (g_utf8_validate (s->str, s->len, NULL));
  g_string_free (s, TRUE);
}

HF_TEST ("/diag/json", test_json)
{
  check_json ("plain", "\"plain\"");
  check_json ("", "\"\"");
  check_json (NULL, "null");
  check_json ("say \"hi\"", "\"say \\\"hi\\\"\"");
  check_json ("C:\\tmp\\", "\"C:\\\\tmp\\\\\"");
  check_json ("a\nb\tc\rd", "\"a\\u000ab\\u0009c\\u000dd\"");
  check_json ("\x01\x1f\x7f", "\"\\u0001\\u001f\x7f\"");
  /* Valid UTF-8 passes through: e-acute, euro sign, an emoji. */
  check_json ("\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
      "\"\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"");
  /* Invalid: a lone continuation byte, a truncated sequence at the end,
   * an overlong '/', a surrogate, a code point past U+10FFFF, 0xff. */
  check_json ("a\x80" "b", "\"a\xef\xbf\xbd" "b\"");
  check_json ("x\xe2\x82", "\"x\xef\xbf\xbd\xef\xbf\xbd\"");
  check_json ("\xc0\xaf", "\"\xef\xbf\xbd\xef\xbf\xbd\"");
  check_json ("\xed\xa0\x80", "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"");
  check_json ("\xf4\x90\x80\x80",
      "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"");
  check_json ("\xff\"", "\"\xef\xbf\xbd\\\"\"");
}

int
main (int argc, char **argv)
{
  GError *err = NULL;
  int ret;

  tmpdir = g_dir_make_tmp ("test-diag-XXXXXX", &err);
  g_assert_no_error (err);

  ret = hf_unit_main (&argc, &argv);

  g_rmdir (tmpdir);
  g_free (tmpdir);
  return ret;
}
