/* hfdiag: the input frame of a failed encode as a PNG, and JSON string
 * escaping for the record next to it. See hfdiag.h.
 *
 * The PNG is uncompressed: a zlib stream of deflate "stored" blocks, so no
 * compression library is needed and the writer stays small. It is a cold
 * path (one call per failed frame), so plain stdio and one row buffer.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "hfdiag.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <glib/gstdio.h>
#include <turbojpeg.h>

#define STORED_MAX 65535        /* the most bytes a stored block holds */

typedef struct
{
  FILE *fp;
  int err;                      /* first errno seen, 0 if none */
  guint32 crc_table[256];

  /* The zlib stream, cut into one IDAT chunk per stored block. */
  guint64 total;                /* filtered image bytes */
  guint64 done;                 /* bytes already put in blocks */
  guint32 adler_a, adler_b;
  gboolean header_written;
  guint8 block[2 + 5 + STORED_MAX + 4];
  size_t fill;                  /* data bytes in the current block */
} PngWriter;

static void
crc_table_init (guint32 * table)
{
  guint32 n, k, c;

  /* CRC-32 as PNG (and zlib) define it: reflected polynomial 0xedb88320. */
  for (n = 0; n < 256; n++) {
    c = n;
    for (k = 0; k < 8; k++)
      c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
    table[n] = c;
  }
}

static guint32
crc_update (const guint32 * table, guint32 crc, const guint8 * buf, size_t len)
{
  size_t i;

  for (i = 0; i < len; i++)
    crc = table[(crc ^ buf[i]) & 0xff] ^ (crc >> 8);
  return crc;
}

static void
put_be32 (guint8 * p, guint32 v)
{
  p[0] = v >> 24;
  p[1] = v >> 16;
  p[2] = v >> 8;
  p[3] = v;
}

static void
png_write (PngWriter * w, const void *data, size_t len)
{
  if (w->err == 0 && len > 0 && fwrite (data, 1, len, w->fp) != len)
    w->err = errno ? errno : EIO;
}

static void
png_chunk (PngWriter * w, const char *type, const guint8 * data, size_t len)
{
  guint8 head[8], tail[4];
  guint32 crc;

  put_be32 (head, (guint32) len);
  memcpy (head + 4, type, 4);
  crc = crc_update (w->crc_table, 0xffffffffu, head + 4, 4);
  crc = crc_update (w->crc_table, crc, data, len);
  put_be32 (tail, crc ^ 0xffffffffu);
  png_write (w, head, 8);
  png_write (w, data, len);
  png_write (w, tail, 4);
}

static void
adler_update (PngWriter * w, const guint8 * buf, size_t len)
{
  guint32 a = w->adler_a, b = w->adler_b;
  size_t i;

  for (i = 0; i < len; i++) {
    a += buf[i];
    if (a >= 65521)
      a -= 65521;
    b += a;
    if (b >= 65521)
      b -= 65521;
  }
  w->adler_a = a;
  w->adler_b = b;
}

/* Emits the current block as one IDAT chunk: the zlib header before the
 * first block, the Adler-32 after the last. */
static void
png_flush_block (PngWriter * w)
{
  guint8 *p = w->block;
  gboolean final = w->done == w->total;
  size_t len = 0;
  guint8 hdr[5];

  if (!w->header_written) {
    /* CM 8 (deflate), 32 KiB window; FLEVEL 0; FCHECK makes it % 31. */
    p[len++] = 0x78;
    p[len++] = 0x01;
    w->header_written = TRUE;
  }
  hdr[0] = final ? 1 : 0;       /* BFINAL, BTYPE 00 = stored */
  hdr[1] = w->fill & 0xff;
  hdr[2] = w->fill >> 8;
  hdr[3] = ~w->fill & 0xff;
  hdr[4] = (~w->fill >> 8) & 0xff;
  /* The data already sits after a 5-byte gap; slide it if no header. */
  if (len == 0)
    memmove (p + 5, p + 7, w->fill);
  memcpy (p + len, hdr, 5);
  len += 5 + w->fill;
  if (final) {
    put_be32 (p + len, (w->adler_b << 16) | w->adler_a);
    len += 4;
  }
  png_chunk (w, "IDAT", p, len);
  w->fill = 0;
}

/* Appends filtered image bytes to the zlib stream. */
static void
png_put (PngWriter * w, const guint8 * data, size_t len)
{
  adler_update (w, data, len);
  while (len > 0) {
    size_t n = MIN (len, (size_t) STORED_MAX - w->fill);

    /* Data starts at offset 7: room for the zlib and block headers. */
    memcpy (w->block + 7 + w->fill, data, n);
    w->fill += n;
    w->done += n;
    data += n;
    len -= n;
    if (w->fill == STORED_MAX || w->done == w->total)
      png_flush_block (w);
  }
}

/* BT.601 full range (JFIF), 16-bit fixed point. */
static inline guint8
clamp_fixed (gint32 v)
{
  v = (v + 32768) >> 16;
  return v < 0 ? 0 : v > 255 ? 255 : (guint8) v;
}

static void
yuv_row_to_rgb (const guint8 * y, const guint8 * u, const guint8 * v,
    int width, int hsub, guint8 * out)
{
  int x;

  for (x = 0; x < width; x++) {
    gint32 yy = (gint32) y[x] << 16;
    gint32 cb = (gint32) u[x / hsub] - 128;
    gint32 cr = (gint32) v[x / hsub] - 128;

    out[3 * x] = clamp_fixed (yy + 91881 * cr);
    out[3 * x + 1] = clamp_fixed (yy - 22554 * cb - 46802 * cr);
    out[3 * x + 2] = clamp_fixed (yy + 116130 * cb);
  }
}

static void
packed_row_to_rgb (const guint8 * src, int width, int pf, guint8 * out)
{
  int ps = tjPixelSize[pf];
  int r = tjRedOffset[pf], g = tjGreenOffset[pf], b = tjBlueOffset[pf];
  int x;

  for (x = 0; x < width; x++, src += ps) {
    out[3 * x] = src[r];
    out[3 * x + 1] = src[g];
    out[3 * x + 2] = src[b];
  }
}

static gboolean
check_params (const HfEncParams * p, char *error, size_t error_len)
{
  const char *why = NULL;
  int i, n_planes = 1;

  if (p->width < 1 || p->width > 65535 || p->height < 1 || p->height > 65535)
    why = "bad frame size";
  else if (p->pixel_format == -1) {
    if (p->subsamp < 0 || p->subsamp >= TJ_NUMSAMP)
      why = "bad subsampling";
    else if (p->subsamp != TJSAMP_GRAY)
      n_planes = 3;
  } else if (p->pixel_format < 0 || p->pixel_format >= TJPF_CMYK)
    why = "unsupported pixel format";
  for (i = 0; why == NULL && i < n_planes; i++)
    if (p->planes[i] == NULL || p->strides[i] < 0)
      why = "missing plane";
  if (why && error && error_len)
    g_snprintf (error, error_len, "cannot dump frame: %s (%dx%d, format %d)",
        why, p->width, p->height, p->pixel_format);
  return why == NULL;
}

gboolean
hf_diag_write_png (const char *path, const HfEncParams * p, char *error,
    size_t error_len)
{
  PngWriter *w;
  guint8 ihdr[13], *row;
  static const guint8 signature[8] = {
    0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'
  };
  gboolean gray, planar, ok;
  int channels, hsub = 1, vsub = 1, y, strides[3], i;

  g_return_val_if_fail (path != NULL && p != NULL, FALSE);

  if (!check_params (p, error, error_len))
    return FALSE;

  planar = p->pixel_format == -1;
  gray = planar ? p->subsamp == TJSAMP_GRAY : p->pixel_format == TJPF_GRAY;
  channels = gray ? 1 : 3;
  if (planar) {
    hsub = tjMCUWidth[p->subsamp] / 8;
    vsub = tjMCUHeight[p->subsamp] / 8;
  }
  /* A stride of 0 means tightly packed, as in TurboJPEG. */
  for (i = 0; i < 3; i++) {
    int plane_w = planar ? (i == 0 ? p->width : (p->width + hsub - 1) / hsub)
        : p->width * tjPixelSize[p->pixel_format];
    strides[i] = p->strides[i] ? p->strides[i] : plane_w;
  }

  w = g_new0 (PngWriter, 1);
  w->fp = g_fopen (path, "wb");
  if (w->fp == NULL) {
    int e = errno;

    if (error && error_len)
      g_snprintf (error, error_len, "cannot create %s: %s", path,
          g_strerror (e));
    g_free (w);
    return FALSE;
  }
  crc_table_init (w->crc_table);
  w->adler_a = 1;
  w->total = (guint64) p->height * (1 + (guint64) p->width * channels);

  png_write (w, signature, sizeof (signature));
  put_be32 (ihdr, p->width);
  put_be32 (ihdr + 4, p->height);
  ihdr[8] = 8;                  /* bit depth */
  ihdr[9] = gray ? 0 : 2;       /* colour type: gray or RGB */
  ihdr[10] = 0;                 /* deflate */
  ihdr[11] = 0;                 /* adaptive filtering (we use None) */
  ihdr[12] = 0;                 /* no interlace */
  png_chunk (w, "IHDR", ihdr, sizeof (ihdr));

  /* Filter byte 0 (None) followed by the row. */
  row = g_malloc (1 + (size_t) p->width * channels);
  row[0] = 0;
  for (y = 0; y < p->height && w->err == 0; y++) {
    const guint8 *src = p->planes[0] + (size_t) y * strides[0];

    if (gray)
      memcpy (row + 1, src, p->width);
    else if (planar)
      yuv_row_to_rgb (src, p->planes[1] + (size_t) (y / vsub) * strides[1],
          p->planes[2] + (size_t) (y / vsub) * strides[2], p->width, hsub,
          row + 1);
    else
      packed_row_to_rgb (src, p->width, p->pixel_format, row + 1);
    png_put (w, row, 1 + (size_t) p->width * channels);
  }
  g_free (row);
  png_chunk (w, "IEND", NULL, 0);

  if (fclose (w->fp) != 0 && w->err == 0)
    w->err = errno ? errno : EIO;
  ok = w->err == 0;
  if (!ok) {
    if (error && error_len)
      g_snprintf (error, error_len, "cannot write %s: %s", path,
          g_strerror (w->err));
    g_unlink (path);
  }
  g_free (w);
  return ok;
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if it is not one:
 * no overlong forms, no surrogates, nothing past U+10FFFF. */
static int
utf8_valid_len (const guint8 * s)
{
  guint8 c = s[0];

  if (c < 0x80)
    return 1;
  if (c >= 0xc2 && c <= 0xdf)
    return (s[1] & 0xc0) == 0x80 ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    guint8 lo = c == 0xe0 ? 0xa0 : 0x80, hi = c == 0xed ? 0x9f : 0xbf;

    if (s[1] < lo || s[1] > hi || (s[2] & 0xc0) != 0x80)
      return 0;
    return 3;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    guint8 lo = c == 0xf0 ? 0x90 : 0x80, hi = c == 0xf4 ? 0x8f : 0xbf;

    if (s[1] < lo || s[1] > hi || (s[2] & 0xc0) != 0x80
        || (s[3] & 0xc0) != 0x80)
      return 0;
    return 4;
  }
  return 0;
}

void
hf_diag_json_append_string (GString * out, const char *str)
{
  const guint8 *s = (const guint8 *) str;

  g_return_if_fail (out != NULL);

  if (str == NULL) {
    g_string_append (out, "null");
    return;
  }
  g_string_append_c (out, '"');
  while (*s) {
    int n;

    if (*s == '"' || *s == '\\') {
      g_string_append_c (out, '\\');
      g_string_append_c (out, *s++);
    } else if (*s < 0x20) {
      g_string_append_printf (out, "\\u%04x", *s++);
    } else if ((n = utf8_valid_len (s)) > 0) {
      /* The NUL terminator fails every continuation test above, so a
       * truncated sequence never reads past the string. */
      g_string_append_len (out, (const char *) s, n);
      s += n;
    } else {
      g_string_append (out, "\xef\xbf\xbd");    /* U+FFFD */
      s++;
    }
  }
  g_string_append_c (out, '"');
}

static char *
build_json (const HfDiagRecord * rec)
{
  GString *s = g_string_new ("{\n  \"frame\": ");

  g_string_append_printf (s, "%" G_GUINT64_FORMAT ",\n  \"pts\": ",
      rec->number);
  if (rec->pts >= 0)
    g_string_append_printf (s, "%" G_GINT64_FORMAT, rec->pts);
  else
    g_string_append (s, "null");
  g_string_append (s, ",\n  \"pts_string\": ");
  hf_diag_json_append_string (s, rec->pts_string);
  g_string_append (s, ",\n  \"caps\": ");
  if (rec->caps)
    hf_diag_json_append_string (s, rec->caps);
  else
    g_string_append (s, "null");
  g_string_append (s, ",\n  \"error\": ");
  hf_diag_json_append_string (s, rec->reason);
  g_string_append (s, "\n}\n");
  return g_string_free (s, FALSE);
}

char *
hf_diag_dump (const char *dir, const HfDiagRecord * rec)
{
  char *png_path, *json_path, *json, *base, *msg;
  GString *out;
  GError *err = NULL;

  if (dir == NULL || dir[0] == '\0')
    return g_strdup ("No diagnostics dump: diagnostics-dir is not set.");

  out = g_string_new (NULL);
  if (g_mkdir_with_parents (dir, 0755) != 0) {
    g_string_printf (out, "Diagnostics dump failed: cannot create %s: %s.",
        dir, g_strerror (errno));
    return g_string_free (out, FALSE);
  }

  base = g_strdup_printf ("frame-error-%" G_GUINT64_FORMAT, rec->number);
  png_path = g_strdup_printf ("%s" G_DIR_SEPARATOR_S "%s.png", dir, base);
  json_path = g_strdup_printf ("%s" G_DIR_SEPARATOR_S "%s.json", dir, base);

  if (rec->params) {
    char error[512] = "";

    if (hf_diag_write_png (png_path, rec->params, error, sizeof (error)))
      g_string_append_printf (out, "Wrote %s. ", png_path);
    else
      g_string_append_printf (out, "Diagnostics PNG failed: %s. ", error);
  } else {
    g_string_append (out, "No PNG: the input is not a complete frame. ");
  }

  json = build_json (rec);
  if (g_file_set_contents (json_path, json, -1, &err)) {
    g_string_append_printf (out, "Wrote %s.", json_path);
  } else {
    g_string_append_printf (out, "Diagnostics JSON failed: %s.", err->message);
    g_clear_error (&err);
  }

  g_free (json);
  g_free (json_path);
  g_free (png_path);
  g_free (base);
  msg = g_string_free (out, FALSE);
  return msg;
}
