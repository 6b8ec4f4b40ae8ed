/* hfmatrix: 2D affine transforms. Engine code: no GStreamer. */
#ifndef __HF_MATRIX_H__
#define __HF_MATRIX_H__

#include <glib.h>

G_BEGIN_DECLS

/* A 2D affine transform: x' = xx*x + xy*y + x0, y' = yx*x + yy*y + y0. */
typedef struct
{
  double xx, yx, xy, yy, x0, y0;
} HfMatrix;

void hf_matrix_init_identity (HfMatrix * m);
void hf_matrix_init_translate (HfMatrix * m, double tx, double ty);
void hf_matrix_init_scale (HfMatrix * m, double sx, double sy);
void hf_matrix_init_rotate (HfMatrix * m, double radians);
/* result = a then b (apply a first). result may alias a or b. */
void hf_matrix_multiply (HfMatrix * result, const HfMatrix * a,
    const HfMatrix * b);
gboolean hf_matrix_invert (HfMatrix * m);
void hf_matrix_transform_point (const HfMatrix * m, double *x, double *y);

G_END_DECLS

#endif /* __HF_MATRIX_H__ */
