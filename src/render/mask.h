/* Inside src/render: segmentation masks (struct render_mask) rasterised at the frame's scale,
 * for the overlay's fill and outline. */
#ifndef ANNOTTY_RENDER_MASK_H
#define ANNOTTY_RENDER_MASK_H

#include <stdint.h>

struct image;
struct overlay_style;
struct render_mask;

/* Which frame pixels of the region x0..x0+w-1, y0..y0+h-1 the mask covers (1 or 0 a pixel,
 * row by row): a frame pixel is covered when the mask pixel under its centre is set. */
struct mask_raster {
	int x0, y0, w, h;
	unsigned char *on;
};

/* Rasterises m as style places it on an img_w x img_h frame, clipped to it. Returns 0, or -1
 * when the mask lands on no frame pixel or memory is short (r is then empty). The caller
 * frees r->on with mask_raster_free. */
int mask_raster_make(const struct render_mask *m, const struct overlay_style *style, int img_w,
                     int img_h, struct mask_raster *r);
void mask_raster_free(struct mask_raster *r);

/* Blends rgb over every covered pixel (alpha 0..255). */
void mask_raster_fill(struct image *img, const struct mask_raster *r, uint32_t rgb, int alpha);
/* The outline: a square pen `width` wide on each covered pixel next to an uncovered one. */
void mask_raster_outline(struct image *img, const struct mask_raster *r, int width, uint32_t rgb);

#endif
