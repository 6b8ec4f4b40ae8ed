/* hfjpeg-testing: what the encode engine offers its tests only: a count
 * of live pools, and a compress function that fails on demand. Not part
 * of the engine's API: only tests include this header, and the failures
 * are in a library of their own (hfjpeg-testing.c) that only tests link.
 */
#ifndef __HF_JPEG_TESTING_H__
#define __HF_JPEG_TESTING_H__

#include "hfencpool.h"

G_BEGIN_DECLS

/* Pools created and not yet destroyed in this process (a pool outlives
 * hf_enc_pool_free while a worker is stuck in a band): leak checks. */
guint hf_enc_pool_live_count (void);

typedef enum
{
  HF_ENC_FAULT_NONE = 0,
  HF_ENC_FAULT_ERROR,           /* a compressor error */
  HF_ENC_FAULT_HANG,            /* sleep hang_ms, then encode */
  HF_ENC_FAULT_EMPTY,           /* success with 0 bytes */
} HfEncFault;

#define HF_ENC_FAULT_ANY_FRAME G_MAXUINT64

/* Band `band` of frame `frame_number` (HfEncParams.frame_number;
 * HF_ENC_FAULT_ANY_FRAME: every frame) fails that way. Workers read it:
 * change `fault` with hf_enc_fault_set only while a pool uses it. */
typedef struct
{
  gint fault;                   /* HfEncFault */
  guint64 frame_number;
  guint hang_ms;
  guint band;
} HfEncFaultSpec;

/* An HfEncCompressFunc; data is an HfEncFaultSpec. Other bands and frames
 * are encoded by hf_encoder_compress_band. */
void hf_enc_fault_compress (HfEncoder * enc, const HfEncParams * params,
    const HfEncBands * b, int k, uint8_t * out, size_t out_capacity,
    HfEncResult * result, void *data);

void hf_enc_fault_set (HfEncFaultSpec * f, HfEncFault kind);

G_END_DECLS

#endif /* __HF_JPEG_TESTING_H__ */
