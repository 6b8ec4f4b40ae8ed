/* hfjpegenc: the seam the element's tests use to make frames fail. FOR
 * TESTS ONLY.
 *
 * Nothing a user can set reaches this: there is no property, environment
 * variable or caps field for it. A test attaches a GstHfJpegEncTestCompress
 * to the element with g_object_set_data (G_OBJECT (enc),
 * GST_HF_JPEG_ENC_TEST_COMPRESS_KEY, &hook) before the element starts, and
 * keeps it alive while the element runs. At start the element gives the
 * function to the engine (hfencpool.h), which then encodes every band
 * with it instead of hf_encoder_compress_band. HfEncParams.frame_number
 * says which frame a band is of: the numbers the element's error messages
 * and diagnostics files use, from 0 at start and after each flush.
 */
#ifndef __GST_HF_JPEG_ENC_PRIVATE_H__
#define __GST_HF_JPEG_ENC_PRIVATE_H__

#include <glib.h>
#include "hfencpool.h"

G_BEGIN_DECLS

#define GST_HF_JPEG_ENC_TEST_COMPRESS_KEY "hfjpegenc-private-test-compress"

typedef struct
{
  HfEncCompressFunc compress;
  void *data;
} GstHfJpegEncTestCompress;

G_END_DECLS

#endif /* __GST_HF_JPEG_ENC_PRIVATE_H__ */
