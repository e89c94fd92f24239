/* Clipped pixel primitives on struct image, shared by the overlay rasteriser, the font and the
 * placeholder. Every function accepts any coordinates and writes only inside the image. */
#ifndef ANNOTTY_RENDER_DRAW_H
#define ANNOTTY_RENDER_DRAW_H

#include <stdint.h>

struct image;

/* Coordinates beyond this are clamped before any conversion to int (far off any image). */
#define DRAW_COORD_LIMIT 16000000.0

/* A double image coordinate as an int pixel index (floor), clamped to +-DRAW_COORD_LIMIT;
 * NaN becomes -DRAW_COORD_LIMIT (off the image). */
int draw_pixel_index(double v);

/* Rectangles are half-open: columns x0 .. x1-1, rows y0 .. y1-1. */
void draw_fill_rect(struct image *img, int x0, int y0, int x1, int y1, uint32_t rgb);
/* alpha 0..255: how much of rgb covers what is there. */
void draw_blend_rect(struct image *img, int x0, int y0, int x1, int y1, uint32_t rgb, int alpha);

/* A segment between two pixel positions (image coordinates, any values, NaN skipped) drawn with
 * a square pen `width` pixels wide centred on the path. */
void draw_line(struct image *img, double x0, double y0, double x1, double y1, int width,
               uint32_t rgb);

/* The frame of a rectangle whose edge pixels are columns x0 and x1 and rows y0 and y1
 * (inclusive), with a pen `width` pixels wide centred on those edges. dash > 0 draws dashes of
 * that length separated by gaps of 2/3 of it. */
void draw_frame(struct image *img, int x0, int y0, int x1, int y1, int width, int dash,
                uint32_t rgb);

/* A filled disc centred on pixel (cx, cy). */
void draw_disc(struct image *img, int cx, int cy, int radius, uint32_t rgb);

/* Perceived brightness 0..255 of 0xRRGGBB (Rec. 601 weights). */
int draw_luma(uint32_t rgb);

#endif
