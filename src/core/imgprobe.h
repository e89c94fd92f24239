/* Reads an image file's header (JPEG, PNG) for its format and size, without decoding it. */
#ifndef ANNOTTY_CORE_IMGPROBE_H
#define ANNOTTY_CORE_IMGPROBE_H

#include <stddef.h>

struct err;

enum image_format { IMAGE_FORMAT_UNKNOWN = 0, IMAGE_FORMAT_JPEG, IMAGE_FORMAT_PNG };

struct image_probe {
	enum image_format format;
	int width;
	int height;
	int orientation; /* EXIF orientation 1..8 (1 when absent) */
};

/* From the first bytes of a file (a few KiB are enough for most; JPEG may need more). */
int imgprobe_mem(const unsigned char *data, size_t len, struct image_probe *out, struct err *err);
int imgprobe_file(const char *path, struct image_probe *out, struct err *err);

#endif
