/* hfdraw-testing: counters the drawing engine keeps for its tests only,
 * so that a test can check work done (not time). Not part of the engine's
 * API: only tests include this header. */
#ifndef __HF_DRAW_TESTING_H__
#define __HF_DRAW_TESTING_H__

#include "hfcomp.h"
#include "hfpath.h"
#include "hfraster.h"

G_BEGIN_DECLS

/* Total accumulation cells swept by this rasteriser so far: a fill's cost
 * follows the shape, not the canvas. */
guint64 hf_raster_get_swept_cells (const HfRaster * r);

/* How many times this renderer filled a canvas with the background. The
 * fill is skipped when the lowest visible element is an opaque, unrotated
 * rect covering the canvas (docs/composition-format.md). */
guint64 hf_renderer_get_clear_count (const HfRenderer * r);

/* Pixels composited from offscreen layers (group opacity, clips,
 * shadows) so far: a layer costs its element's area, not the canvas'. */
guint64 hf_renderer_get_layer_pixels (const HfRenderer * r);

/* Polyline segments that the dashes and trimmed pieces of strokes into
 * this path visited so far: each dash costs its own segments, not the
 * path's up to it. */
guint64 hf_path_get_walked_segments (const HfPath * p);

G_END_DECLS

#endif /* __HF_DRAW_TESTING_H__ */
