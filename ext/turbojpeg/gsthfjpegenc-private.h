/* hfjpegenc: fault injection for the element's tests. FOR TESTS ONLY.
 *
 * Nothing a user can set reaches this: there is no property, environment
 * variable or caps field for it. A test attaches a GstHfJpegEncTestFault
 * to the element with g_object_set_data (G_OBJECT (enc),
 * GST_HF_JPEG_ENC_TEST_FAULT_KEY, &fault) before streaming starts and keeps
 * the struct alive while the element runs. The element looks the key up
 * once per frame and, for the frame whose number equals frame_number,
 * asks the engine to fail that way.
 *
 * Frame numbers count from 0 at start and after each flush; they are the
 * numbers the element's error messages and diagnostics files use.
 */
#ifndef __GST_HF_JPEG_ENC_PRIVATE_H__
#define __GST_HF_JPEG_ENC_PRIVATE_H__

#include <glib.h>
#include "hfencpool.h"

G_BEGIN_DECLS

#define GST_HF_JPEG_ENC_TEST_FAULT_KEY "hfjpegenc-private-test-fault"

typedef struct
{
  HfEncFault fault;             /* what to inject; NONE to disable */
  guint64 frame_number;         /* which frame */
  guint hang_ms;                /* for HF_ENC_FAULT_HANG */
  guint band;                   /* which band of the frame (slices) */
} GstHfJpegEncTestFault;

G_END_DECLS

#endif /* __GST_HF_JPEG_ENC_PRIVATE_H__ */
