/* GstHfFrameAllocator: the memory hfdrawsrc draws frames into. */
#ifndef __GST_HF_FRAME_ALLOC_H__
#define __GST_HF_FRAME_ALLOC_H__

#include <gst/gst.h>

G_BEGIN_DECLS

/* Frames of at least this size are aligned to it and use huge pages (a
 * transparent huge page on x86-64, and on arm64 with 4 KiB pages). */
#define HF_FRAME_ALLOC_ALIGN ((gsize) 2 << 20)

/* The process-wide instance (a new reference). */
GstAllocator *gst_hf_frame_allocator_get (void);

G_END_DECLS

#endif
