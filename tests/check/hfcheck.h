/* Helpers shared by the gst-check suites: what several of them need to
 * look at an output buffer. */
#ifndef __HF_CHECK_H__
#define __HF_CHECK_H__

#include <gst/gst.h>

G_BEGIN_DECLS

/* Decodes a JPEG buffer into packed RGB (accurate DCT), failing the test
 * if it is not one; returns its size. g_free the pixels. */
guint8 *hf_check_decode_jpeg (GstBuffer * buf, gint * width, gint * height);

/* The two buffers hold the same bytes. */
gboolean hf_check_buffers_equal (GstBuffer * a, GstBuffer * b);

G_END_DECLS

#endif /* __HF_CHECK_H__ */
