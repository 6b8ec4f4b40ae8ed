/* hfjpeg-testing: failures on demand, for the tests only (hfjpeg-testing.h).
 * Built into a library of its own that only tests link: not in the
 * plugin. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "hfjpeg-testing.h"

#include <errno.h>
#include <time.h>

void
hf_enc_fault_compress (HfEncoder * enc, const HfEncParams * params,
    const HfEncBands * b, int k, uint8_t * out, size_t out_capacity,
    HfEncResult * result, void *data)
{
  HfEncFaultSpec *f = data;
  HfEncFault kind = (HfEncFault) g_atomic_int_get (&f->fault);

  if (kind != HF_ENC_FAULT_NONE && (guint) k == f->band
      && (f->frame_number == HF_ENC_FAULT_ANY_FRAME
          || params->frame_number == f->frame_number)) {
    struct timespec ts = { f->hang_ms / 1000,
      (long) (f->hang_ms % 1000) * 1000000L
    };

    result->size = 0;
    result->error[0] = '\0';
    switch (kind) {
      case HF_ENC_FAULT_ERROR:
        result->status = HF_ENC_ERROR;
        g_strlcpy (result->error, "injected encoder error (test hook)",
            sizeof (result->error));
        return;
      case HF_ENC_FAULT_EMPTY:
        result->status = HF_ENC_EMPTY;
        return;
      default:
        /* Resume after signals so the hang lasts as long as asked. */
        while (nanosleep (&ts, &ts) == -1 && errno == EINTR);
    }
  }
  hf_encoder_compress_band (enc, params, b, k, out, out_capacity, result);
}

void
hf_enc_fault_set (HfEncFaultSpec * f, HfEncFault kind)
{
  g_atomic_int_set (&f->fault, (gint) kind);
}
