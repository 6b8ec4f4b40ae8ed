/* hfjpegenc helpers that need no element state: format mapping, frame
 * checks and comparison, and the diagnostics dump of a failed frame.
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */
#ifndef __GST_HF_JPEG_ENC_UTIL_H__
#define __GST_HF_JPEG_ENC_UTIL_H__

#include <gst/gst.h>
#include <gst/video/video.h>
#include "hfencpool.h"

G_BEGIN_DECLS

/* The TurboJPEG input for a raw format: a TJPF_* pixel format (packed) or
 * -1 (planar YUV), and for planar and gray input the subsampling the JPEG
 * will have (else -1). FALSE for a format we do not take. */
G_GNUC_INTERNAL
gboolean gst_hf_jpeg_enc_format_to_tj (GstVideoFormat format,
    int *pixel_format, int *input_subsamp);

/* The output buffer size that fits every JPEG this input can give, for any
 * subsampling the element may be asked for and any restart interval, in
 * up to `slices` bands (hf_enc_out_size). 0 if some subsampling it may be
 * asked for cannot encode this size (hf_enc_max_size () is 0). */
G_GNUC_INTERNAL
gsize gst_hf_jpeg_enc_out_size (int width, int height, int pixel_format,
    int input_subsamp, int slices);

/* Does every visible row of every plane of the mapped frame lie inside its
 * mapping? If not, says why. */
G_GNUC_INTERNAL
gboolean gst_hf_jpeg_enc_frame_in_bounds (const GstVideoFrame * frame,
    gchar * why, gsize why_len);

/* Are the visible pixels of two mapped frames of the same format and size
 * byte-identical? Samples a few rows first, so different frames are
 * usually told apart without reading them whole. */
G_GNUC_INTERNAL
gboolean gst_hf_jpeg_enc_frames_equal (const GstVideoFrame * a,
    const GstVideoFrame * b);

G_END_DECLS

#endif /* __GST_HF_JPEG_ENC_UTIL_H__ */
