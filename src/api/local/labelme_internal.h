/* Shared by the labelme reader and writer: a circle as the polygon annotty draws for it. */
#ifndef ANNOTTY_API_LOCAL_LABELME_INTERNAL_H
#define ANNOTTY_API_LOCAL_LABELME_INTERNAL_H

#include "core/model.h"

#define LABELME_CIRCLE_POINTS 32

/* Adds the vertices of the circle of centre c through e to s (a polygon's one part). */
int labelme_circle_points(struct shape *s, struct point c, struct point e);

#endif
