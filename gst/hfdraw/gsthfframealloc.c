/* GstHfFrameAllocator: system memory for frames of 2 MiB or more, on
 * blocks aligned to 2 MiB and advised (madvise MADV_HUGEPAGE) to be
 * transparent huge pages. The first touch of a 1080p RGBA frame then takes
 * 4 page faults instead of 2025; drawing and encoding need far fewer TLB
 * entries. Where the kernel has huge pages off, the advice is ignored and
 * the memory is ordinary. Smaller frames get the default allocator's
 * memory. docs/design.md, "Frame memory". */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gsthfframealloc.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

typedef struct
{
  GstAllocator parent;
} GstHfFrameAllocator;

typedef struct
{
  GstAllocatorClass parent_class;
} GstHfFrameAllocatorClass;

GType gst_hf_frame_allocator_get_type (void);
G_DEFINE_TYPE (GstHfFrameAllocator, gst_hf_frame_allocator, GST_TYPE_ALLOCATOR);

static GstMemory *
gst_hf_frame_allocator_alloc (GstAllocator * allocator, gsize size,
    GstAllocationParams * params)
{
  const gsize mask = HF_FRAME_ALLOC_ALIGN - 1;
  gsize maxsize = params->prefix + size + params->padding;
  gsize huge = maxsize & ~mask, whole = (maxsize + mask) & ~mask;
  void *data;

  /* Below one huge page (small frames) there is nothing to gain. 2 MiB
   * alignment satisfies any alignment GStreamer asks for. */
  if (maxsize < HF_FRAME_ALLOC_ALIGN || params->align >= HF_FRAME_ALLOC_ALIGN)
    return gst_allocator_alloc (NULL, size, params);
  /* The tail gets a huge page of its own when that wastes at most an
   * eighth of the frame (1080p RGBA: 94 KiB of 7.9 MiB); else it keeps
   * small pages. */
  if (whole - maxsize <= maxsize / 8)
    huge = whole;
  if (posix_memalign (&data, HF_FRAME_ALLOC_ALIGN, MAX (huge, maxsize)) != 0)
    return NULL;
#ifdef MADV_HUGEPAGE
  madvise (data, huge, MADV_HUGEPAGE);
#endif
  if (params->prefix && (params->flags & GST_MEMORY_FLAG_ZERO_PREFIXED))
    memset (data, 0, params->prefix);
  if (params->padding && (params->flags & GST_MEMORY_FLAG_ZERO_PADDED))
    memset ((guint8 *) data + params->prefix + size, 0, params->padding);
  return gst_memory_new_wrapped (params->flags, data, maxsize,
      params->prefix, size, data, free);
}

/* The memory is wrapped system memory, freed by its own notify. */
static void
gst_hf_frame_allocator_free (GstAllocator * allocator, GstMemory * mem)
{
  g_assert_not_reached ();
}

static void
gst_hf_frame_allocator_class_init (GstHfFrameAllocatorClass * klass)
{
  GstAllocatorClass *alloc_class = GST_ALLOCATOR_CLASS (klass);

  alloc_class->alloc = gst_hf_frame_allocator_alloc;
  alloc_class->free = gst_hf_frame_allocator_free;
}

static void
gst_hf_frame_allocator_init (GstHfFrameAllocator * self)
{
  GST_OBJECT_FLAG_SET (self, GST_ALLOCATOR_FLAG_CUSTOM_ALLOC);
}

GstAllocator *
gst_hf_frame_allocator_get (void)
{
  static GstAllocator *instance;

  if (g_once_init_enter (&instance)) {
    GstAllocator *a = g_object_new (gst_hf_frame_allocator_get_type (), NULL);

    gst_object_ref_sink (a);
    GST_OBJECT_FLAG_SET (a, GST_OBJECT_FLAG_MAY_BE_LEAKED);
    g_once_init_leave (&instance, a);
  }
  return gst_object_ref (instance);
}
