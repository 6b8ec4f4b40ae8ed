/* hfjpeg-testing: what the encode engine counts for its tests only. Not
 * part of the engine's API: only tests include this header. */
#ifndef __HF_JPEG_TESTING_H__
#define __HF_JPEG_TESTING_H__

#include "hfencpool.h"

G_BEGIN_DECLS

/* Pools created and not yet destroyed in this process (a pool outlives
 * hf_enc_pool_free while a worker is stuck in a job): leak checks. */
guint hf_enc_pool_live_count (void);

G_END_DECLS

#endif /* __HF_JPEG_TESTING_H__ */
