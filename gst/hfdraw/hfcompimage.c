/* hfcompimage: the pictures <image> elements show (docs/
 * composition-format.md, "image"). Each distinct file is decoded once, at
 * load, by the loader's decoder (hfdrawsrc passes GStreamer's), and kept
 * premultiplied with its mipmaps; drawing never decodes. */
#include "hfcompparse.h"

#include <string.h>

static void
image_free (gpointer p)
{
  hf_image_free (p);
}

void
hf_parse_images_init (ParseState * ps)
{
  ps->images = g_ptr_array_new_with_free_func (image_free);
  ps->image_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      NULL);
}

void
hf_parse_images_clear (ParseState * ps)
{
  if (ps->images)
    g_ptr_array_unref (ps->images);
  g_hash_table_unref (ps->image_keys);
}

/* *INDENT-OFF* */
static gboolean fail_src (ParseState * ps, GError ** error, int code,
    const char *fmt, ...) G_GNUC_PRINTF (4, 5);
/* *INDENT-ON* */

static gboolean
fail_src (ParseState * ps, GError ** error, int code, const char *fmt, ...)
{
  va_list ap;
  char *msg;
  int line, col;

  va_start (ap, fmt);
  msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  hf_parse_attr_position (ps, "src", &line, &col);
  hf_parse_fail_at (ps, error, code, line, col, "%s", msg);
  g_free (msg);
  return FALSE;
}

gboolean
hf_parse_image_src (ParseState * ps, HfElement * el, const char *src,
    GError ** error)
{
  char *path = ps->base_dir && !g_path_is_absolute (src)
      ? g_build_filename (ps->base_dir, src, NULL) : g_strdup (src);
  gpointer idx = g_hash_table_lookup (ps->image_keys, path);
  GError *err = NULL;
  guint8 *rgba;
  int w = 0, h = 0;
  HfImage *img;
  gboolean ok = FALSE;

  if (idx != NULL) {
    el->image = GPOINTER_TO_INT (idx) - 1;
    g_free (path);
    return TRUE;
  }
  if (src[0] == '\0') {
    ok = fail_src (ps, error, HF_COMP_ERROR_INVALID, "src is empty");
  } else if (!g_file_test (path, G_FILE_TEST_IS_REGULAR)) {
    ok = fail_src (ps, error, HF_COMP_ERROR_NOT_FOUND,
        "image file '%s' not found (%s)", src, path);
  } else if (ps->loader.decode_image == NULL) {
    ok = fail_src (ps, error, HF_COMP_ERROR_INVALID, "cannot decode image "
        "'%s': no image decoder was given (hfdrawsrc gives GStreamer's)", src);
  } else if ((rgba = ps->loader.decode_image (path, &w, &h,
              ps->loader.user_data, &err)) == NULL) {
    /* A decoder may say the picture is too big (before decoding it). */
    ok = fail_src (ps, error, g_error_matches (err, HF_COMP_ERROR,
            HF_COMP_ERROR_TOO_BIG) ? HF_COMP_ERROR_TOO_BIG :
        HF_COMP_ERROR_DECODE, "cannot decode image '%s' (%s): %s", src, path,
        err ? err->message : "the decoder failed");
  } else if (w < 1 || h < 1 || w > HF_IMAGE_MAX_SIDE || h > HF_IMAGE_MAX_SIDE) {
    g_free (rgba);
    ok = fail_src (ps, error, HF_COMP_ERROR_TOO_BIG, "image '%s' is %dx%d: "
        "each side must be 1 to %d", src, w, h, HF_IMAGE_MAX_SIDE);
  } else {
    img = hf_image_new (rgba, w, h);
    g_free (rgba);
    ps->image_bytes += hf_image_bytes (img);
    g_ptr_array_add (ps->images, img);
    if (ps->image_bytes > HF_IMAGE_MAX_BYTES) {
      ok = fail_src (ps, error, HF_COMP_ERROR_TOO_BIG, "image '%s' takes "
          "the composition's images past %d MiB decoded (mipmaps included)",
          src, HF_IMAGE_MAX_BYTES >> 20);
    } else {
      el->image = ps->images->len - 1;
      g_hash_table_insert (ps->image_keys, g_steal_pointer (&path),
          GINT_TO_POINTER (el->image + 1));
      ok = TRUE;
    }
  }
  g_clear_error (&err);
  g_free (path);
  return ok;
}
