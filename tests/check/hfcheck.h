/* Helpers shared by the gst-check suites: what several of them need to
 * look at an output buffer, and to make hfjpegenc's frames fail. */
#ifndef __HF_CHECK_H__
#define __HF_CHECK_H__

#include <gst/gst.h>

#include "gsthfjpegenc-private.h"
#include "hfjpeg-testing.h"

G_BEGIN_DECLS

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
