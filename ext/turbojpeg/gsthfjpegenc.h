/* hfjpegenc: threaded, pipelined libjpeg-turbo JPEG encoder element.
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */
#ifndef __GST_HF_JPEG_ENC_H__
#define __GST_HF_JPEG_ENC_H__

#include <gst/gst.h>
#include <gst/video/video.h>

G_BEGIN_DECLS

#define GST_TYPE_HF_JPEG_ENC (gst_hf_jpeg_enc_get_type ())
G_DECLARE_FINAL_TYPE (GstHfJpegEnc, gst_hf_jpeg_enc, GST, HF_JPEG_ENC,
    GstVideoEncoder)

/* The "subsampling" property's values. They equal TurboJPEG's TJSAMP_*
 * constants, which the element passes on unchanged. */
typedef enum
{
  GST_HF_JPEG_ENC_SUBSAMPLING_444 = 0,
  GST_HF_JPEG_ENC_SUBSAMPLING_422 = 1,
  GST_HF_JPEG_ENC_SUBSAMPLING_420 = 2,
  GST_HF_JPEG_ENC_SUBSAMPLING_GRAY = 3,
  GST_HF_JPEG_ENC_SUBSAMPLING_440 = 4,
} GstHfJpegEncSubsampling;

#define GST_TYPE_HF_JPEG_ENC_SUBSAMPLING \
  (gst_hf_jpeg_enc_subsampling_get_type ())
GType gst_hf_jpeg_enc_subsampling_get_type (void);

/* The "idct-method" property's values: jpegenc's names and numbers. The
 * DCT is the forward one here, as in jpegenc, whose property is named
 * after libjpeg's decoder setting. TurboJPEG has no float DCT: float
 * encodes as islow, which is as accurate. */
typedef enum
{
  GST_HF_JPEG_ENC_IDCT_ISLOW = 0,
  GST_HF_JPEG_ENC_IDCT_IFAST = 1,
  GST_HF_JPEG_ENC_IDCT_FLOAT = 2,
} GstHfJpegEncIdctMethod;

#define GST_TYPE_HF_JPEG_ENC_IDCT_METHOD \
  (gst_hf_jpeg_enc_idct_method_get_type ())
GType gst_hf_jpeg_enc_idct_method_get_type (void);

GST_ELEMENT_REGISTER_DECLARE (hfjpegenc);

G_END_DECLS

#endif /* __GST_HF_JPEG_ENC_H__ */
