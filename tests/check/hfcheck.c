/* Helpers shared by the gst-check suites (hfcheck.h). */
#include "hfcheck.h"

#include <gst/check/gstcheck.h>
#include <string.h>
#include <turbojpeg.h>

int
hf_check_main (int *argc, char ***argv, const char *suite, const char *file,
    void (*configure) (TCase * tc))
{
  Suite *s;
  GHashTable *tcases = g_hash_table_new (g_str_hash, g_str_equal);
  GArray *all;
  guint i;

  gst_check_init (argc, argv);
  s = suite_create (suite);
  all = hf_test_take_all ();
  for (i = 0; i < all->len; i++) {
    HfTestEntry *t = &g_array_index (all, HfTestEntry, i);
    TCase *tc = g_hash_table_lookup (tcases, t->group);

    if (tc == NULL) {
      tc = tcase_create (t->group);
      suite_add_tcase (s, tc);
      if (configure != NULL)
        configure (tc);
      g_hash_table_insert (tcases, (gpointer) t->group, tc);
    }
    /* gstcheck.h's variant, which honours GST_CHECKS. */
    _tcase_add_test (tc, (TFun) t->fn, t->name, 0, 0, t->start, t->end);
  }
  g_hash_table_unref (tcases);
  g_array_unref (all);
  return gst_check_run_suite (s, suite, file);
}

void
hf_check_fault_attach (GstElement * enc, GstHfJpegEncTestFault * fault)
{
  GstHfJpegEncTestCompress *hook = g_new (GstHfJpegEncTestCompress, 1);

  hook->compress = hf_enc_fault_compress;
  hook->data = fault;
  g_object_set_data_full (G_OBJECT (enc), GST_HF_JPEG_ENC_TEST_COMPRESS_KEY,
      hook, g_free);
}

guint8 *
hf_check_decode_jpeg (GstBuffer * buf, gint * width, gint * height)
{
  tjhandle tj = tjInitDecompress ();
  GstMapInfo map;
  gint subsamp, colorspace;
  guint8 *rgb;

  fail_unless (gst_buffer_map (buf, &map, GST_MAP_READ));
  fail_unless (map.size > 0);
  fail_unless (tjDecompressHeader3 (tj, map.data, map.size, width, height,
          &subsamp, &colorspace) == 0, "bad JPEG header: %s",
      tjGetErrorStr2 (tj));
  rgb = g_malloc ((gsize) * width * *height * 3);
  fail_unless (tjDecompress2 (tj, map.data, map.size, rgb, *width, 0,
          *height, TJPF_RGB, TJFLAG_ACCURATEDCT) == 0, "decode failed: %s",
      tjGetErrorStr2 (tj));
  gst_buffer_unmap (buf, &map);
  tjDestroy (tj);
  return rgb;
}

gboolean
hf_check_buffers_equal (GstBuffer * a, GstBuffer * b)
{
  GstMapInfo ma, mb;
  gboolean eq;

  fail_unless (gst_buffer_map (a, &ma, GST_MAP_READ));
  fail_unless (gst_buffer_map (b, &mb, GST_MAP_READ));
  eq = ma.size == mb.size && memcmp (ma.data, mb.data, ma.size) == 0;
  gst_buffer_unmap (a, &ma);
  gst_buffer_unmap (b, &mb);
  return eq;
}
