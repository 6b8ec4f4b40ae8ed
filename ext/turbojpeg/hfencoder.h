/* hfencoder: one TurboJPEG compressor with its scratch memory, and the
 * description of a frame to compress. Engine code: no GStreamer here
 * (GLib types are fine).
 *
 * Threads: an HfEncoder is not thread-safe: one per thread (hfencpool.h
 * gives each worker its own).
 */
#ifndef __HF_ENCODER_H__
#define __HF_ENCODER_H__

#include <stddef.h>
#include <stdint.h>
#include <glib.h>

#include "hfyuvconv.h"

G_BEGIN_DECLS

typedef enum
{
  HF_ENC_OK = 0,
  HF_ENC_ERROR,                 /* libjpeg-turbo failed; text in result */
  HF_ENC_EMPTY,                 /* the compressor produced 0 bytes */
  HF_ENC_TIMEOUT,               /* the frame's watchdog expired */
  HF_ENC_FLUSHING,              /* the pool is flushing; the wait was cut */
} HfEncStatus;

#define HF_ENC_MAX_PLANES 3

/* One frame to compress. Packed input: pixel_format is a TJPF_* value and
 * planes[0]/strides[0] describe it; the output uses `subsamp`.
 * YUV input: pixel_format is -1, planes[0..2]/strides[0..2] are where the
 * Y, U and V samples start and their row strides, pixel_strides[0..2] the
 * bytes from one sample to the next (0 or 1: a plane; 2 or 4: semi-planar
 * NV12/NV21 chroma or packed 4:2:2, which are gathered into scratch), and
 * `subsamp` is the input's own subsampling (TJSAMP_*); the output has
 * that subsampling.
 * TJPF_GRAY input always makes a gray JPEG, whatever `subsamp` says
 * (libjpeg cannot make YCbCr from one channel). */
typedef struct
{
  int width;
  int height;
  int pixel_format;
  int subsamp;
  int quality;                  /* 1..100 */
  gboolean fast_dct;            /* TurboJPEG's fast DCT, not the accurate */
  /* A restart marker every this many MCU rows (0: none); the interval is
   * made shorter if it would pass DRI's 65535 MCUs. */
  int restart_rows;
  /* Horizontal bands the frame is cut into (0 or 1: one), which a pool
   * encodes in parallel; see HfEncBands. */
  int slices;
  const uint8_t *planes[HF_ENC_MAX_PLANES];
  int strides[HF_ENC_MAX_PLANES];
  int pixel_strides[HF_ENC_MAX_PLANES];
  uint8_t *out;                 /* caller-owned, never reallocated */
  size_t out_capacity;          /* >= hf_enc_max_size (w, h, subsamp) */
  /* Planar input that is not JFIF (full range, BT.601): converted into
   * the encoder's scratch first (hfyuvconv.h). NULL: used as it is. Must
   * stay valid until the frame is done; read only. */
  const HfYuvConvert *convert;
  /* The caller's number for the frame, for its own use (a compress
   * function given to the pool sees it). */
  uint64_t frame_number;
} HfEncParams;

typedef struct
{
  HfEncStatus status;
  size_t size;                  /* bytes written to params.out */
  char error[256];              /* libjpeg-turbo's text, or ours */
} HfEncResult;

/* The largest width or height: libjpeg's JPEG_MAX_DIMENSION, since
 * jpeg_start_compress refuses larger sides. A bare number, so that caps
 * strings can be built from it with G_STRINGIFY. */
#define HF_ENC_MAX_SIDE 65500

/* The worst-case JPEG size (tjBufSize). 0 if the size is out of range:
 * width or height outside 1..HF_ENC_MAX_SIDE, a bad subsamp, or a frame
 * so large (over about 357 Mpixel at 4:4:4, 715 at 4:2:0) that
 * libjpeg-turbo 2.1's own tjBufSize overflows; such frames cannot be
 * encoded safely. */
size_t hf_enc_max_size (int width, int height, int subsamp);

/* How a frame is cut into bands (docs/hfjpegenc.md, "Slices"). With
 * neither restart markers nor slices: one band, no DRI. Otherwise restart
 * intervals of interval_rows pixel rows (restart_rows MCU rows, or the
 * frame's MCU rows divided by `slices`, rounded up; shortened if DRI's
 * 65535 MCUs would not hold it), and bands of a whole number of intervals,
 * as equal as can be, at most `slices`. Depends only on the frame's size,
 * its subsampling, restart_rows and slices: never on threads, so the
 * bytes are the same for any thread count, and they are the bytes of the
 * same restart interval without slices. */
typedef struct
{
  int height;                   /* the frame's */
  int n_bands;
  int band_rows;                /* pixel rows per band; the last may be less */
  int interval_rows;            /* pixel rows per restart interval; 0: none */
  int interval_mcus;            /* DRI's value */
} HfEncBands;

/* FALSE if p's size or subsampling is out of range. */
gboolean hf_enc_bands (const HfEncParams * p, HfEncBands * b);

/* The output capacity band k needs, when it is encoded on its own. */
size_t hf_enc_band_capacity (const HfEncParams * p, const HfEncBands * b,
    int k);

/* The output capacity a frame needs with any restart interval and up to
 * `slices` bands, each band written to its own part of the buffer (the
 * sum of hf_enc_band_capacity over every possible layout is at most
 * this). 0 when hf_enc_max_size is 0. */
size_t hf_enc_out_size (int width, int height, int subsamp, int slices);

/* A single-threaded compressor that keeps its TurboJPEG handle between
 * frames. Used inline (queue-depth 1) and by each worker.
 * Planar input whose size is not a multiple of its chroma factors (odd
 * width at 4:2:2 and 4:2:0, odd height at 4:2:0) has its luma plane
 * copied into the encoder's scratch, padded with the last column and row
 * repeated: TurboJPEG would otherwise read luma past the picture (and
 * past the plane's memory when it is tight). Planar input with a convert
 * table is converted into the scratch, padded the same way. The scratch
 * grows to the largest such frame seen and is reused. Other input is
 * never copied. */
typedef struct HfEncoder HfEncoder;
HfEncoder *hf_encoder_new (char *error, size_t error_len);
void hf_encoder_free (HfEncoder * enc);
/* The whole frame into params->out, band after band. */
void hf_encoder_compress (HfEncoder * enc, const HfEncParams * params,
    HfEncResult * result);

/* Band k of b (from hf_enc_bands (params)) into out: band 0 starts with
 * the JPEG's headers, the last ends with EOI, and the bands' outputs
 * joined in order are what hf_encoder_compress writes. */
void hf_encoder_compress_band (HfEncoder * enc, const HfEncParams * params,
    const HfEncBands * b, int k, uint8_t * out, size_t out_capacity,
    HfEncResult * result);

G_END_DECLS

#endif /* __HF_ENCODER_H__ */
