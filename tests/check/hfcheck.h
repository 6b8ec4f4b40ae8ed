/* Helpers shared by the gst-check suites: how a test is declared, what
 * several of them need to look at an output buffer, and to make
 * hfjpegenc's frames fail. */
#ifndef __HF_CHECK_H__
#define __HF_CHECK_H__

#include <gst/gst.h>
#include <gst/check/gstcheck.h>

#include "gsthfjpegenc-private.h"
#include "hfjpeg-testing.h"
#include "hftestreg.h"

G_BEGIN_DECLS

/* The check suites' one way to declare a test: it registers itself in the
 * TCase named where it is defined, so a test cannot exist without running
 * (docs/design.md, "Tests"). The body is GST_START_TEST's:
 *
 *   HF_CHECK_TEST ("order", test_caps_change_drains)
 *   {
 *     ...
 *   }
 *
 *   GST_END_TEST;
 *
 *   HF_CHECK_MAIN ("hfjpegenc");
 *
 * HF_CHECK_LOOP_TEST runs the test for _i from `start` to `end` - 1.
 * TCases are made in the order of their first test, tests run in the order
 * they stand in the file (tests/common/hftestreg.h), and GST_CHECKS and
 * CK_RUN_CASE select as usual. */

/* Builds the suite from the registered tests and runs it. `configure`, if
 * not NULL, is called once for each TCase (timeouts, fixtures). */
int hf_check_main (int *argc, char ***argv, const char *suite,
    const char *file, void (*configure) (TCase * tc));

#define HF_CHECK_LOOP_TEST(tcase, name, start, end)                     \
  static void name (int);                                               \
  HF_TEST_AT_START (name, hf_test_register (tcase, #name,              \
          (HfTestFunc) name, start, end, __LINE__))                     \
  GST_START_TEST (name)

#define HF_CHECK_TEST(tcase, name) HF_CHECK_LOOP_TEST (tcase, name, 0, 1)

#define HF_CHECK_MAIN_WITH(suite, configure)                            \
  int main (int argc, char **argv)                                      \
  {                                                                     \
    return hf_check_main (&argc, &argv, suite, __FILE__, configure);    \
  }

#define HF_CHECK_MAIN(suite) HF_CHECK_MAIN_WITH (suite, NULL)

/* hfjpegenc's frames fail as `fault` says (hfjpeg-testing.h), through the
 * element's test seam (gsthfjpegenc-private.h). Attach before the element
 * starts; keep `fault` alive while the element runs (and while a hung
 * worker may still sleep); change it with hf_enc_fault_set. */
typedef HfEncFaultSpec GstHfJpegEncTestFault;

void hf_check_fault_attach (GstElement * enc, GstHfJpegEncTestFault * fault);

/* Decodes a JPEG buffer into packed RGB (accurate DCT), failing the test
 * if it is not one; returns its size. g_free the pixels. */
guint8 *hf_check_decode_jpeg (GstBuffer * buf, gint * width, gint * height);

/* The two buffers hold the same bytes. */
gboolean hf_check_buffers_equal (GstBuffer * a, GstBuffer * b);

G_END_DECLS

#endif /* __HF_CHECK_H__ */
