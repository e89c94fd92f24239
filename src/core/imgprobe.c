/* Image header probing (see imgprobe.h): JPEG SOF markers, EXIF orientation, PNG IHDR. */
#include "core/imgprobe.h"
#include "core/err.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned be16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static unsigned long be32(const unsigned char *p)
{
	return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 | (unsigned long)p[2] << 8 |
	       p[3];
}

/* Whether an APP1 segment body is Exif (cameras also write XMP in APP1 segments). */
static int is_exif(const unsigned char *p, size_t len)
{
	return len >= 14 && memcmp(p, "Exif\0\0", 6) == 0;
}

/* Orientation tag (0x0112) from an APP1 Exif segment body; 1 when absent or unreadable. */
static int exif_orientation(const unsigned char *p, size_t len)
{
	int little;
	size_t ifd, count;

	if (!is_exif(p, len))
		return 1;
	p += 6;
	len -= 6;
	little = p[0] == 'I';
#define RD16(q) (little ? (unsigned)((q)[0] | (q)[1] << 8) : be16(q))
#define RD32(q)                                                                                    \
	(little ? (unsigned long)(q)[0] | (unsigned long)(q)[1] << 8 |                             \
	              (unsigned long)(q)[2] << 16 | (unsigned long)(q)[3] << 24                    \
	        : be32(q))
	ifd = RD32(p + 4);
	if (ifd + 2 > len)
		return 1;
	count = RD16(p + ifd);
	for (size_t i = 0; i < count; i++) {
		const unsigned char *e = p + ifd + 2 + i * 12;
		if ((size_t)(e - p) + 12 > len)
			break;
		if (RD16(e) == 0x0112) {
			unsigned v = RD16(e + 8);
			return v >= 1 && v <= 8 ? (int)v : 1;
		}
	}
#undef RD16
#undef RD32
	return 1;
}

static int probe_jpeg(const unsigned char *d, size_t len, struct image_probe *out, struct err *err)
{
	size_t i = 2;

	out->format = IMAGE_FORMAT_JPEG;
	while (i + 4 <= len) {
		unsigned marker, seglen;
		if (d[i] != 0xFF) {
			i++;
			continue;
		}
		marker = d[i + 1];
		if (marker == 0xFF) {
			i++;
			continue;
		}
		if (marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) {
			i += 2;
			continue;
		}
		seglen = be16(d + i + 2);
		if (seglen < 2)
			return err_set(err, "corrupt JPEG header");
		/* an XMP segment after the Exif one must not reset the orientation */
		if (marker == 0xE1 && i + 4 + seglen - 2 <= len && is_exif(d + i + 4, seglen - 2))
			out->orientation = exif_orientation(d + i + 4, seglen - 2);
		if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 &&
		    marker != 0xCC) {
			if (i + 9 > len)
				break;
			out->height = (int)be16(d + i + 5);
			out->width = (int)be16(d + i + 7);
			if (out->width == 0 || out->height == 0)
				return err_set(err, "JPEG header declares a zero size");
			return 0;
		}
		if (marker == 0xDA || marker == 0xD9)
			break;
		i += 2 + seglen;
	}
	return err_set(err, "truncated JPEG: no frame header found");
}

static int probe_png(const unsigned char *d, size_t len, struct image_probe *out, struct err *err)
{
	unsigned long w, h;

	out->format = IMAGE_FORMAT_PNG;
	if (len < 24 || memcmp(d + 12, "IHDR", 4) != 0)
		return err_set(err, "truncated PNG: no IHDR chunk");
	w = be32(d + 16);
	h = be32(d + 20);
	if (w == 0 || h == 0 || w > 0x7fffffffUL || h > 0x7fffffffUL)
		return err_set(err, "PNG header declares an invalid size %lux%lu", w, h);
	out->width = (int)w;
	out->height = (int)h;
	return 0;
}

int imgprobe_mem(const unsigned char *data, size_t len, struct image_probe *out, struct err *err)
{
	memset(out, 0, sizeof *out);
	out->orientation = 1;
	if (len >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF)
		return probe_jpeg(data, len, out, err);
	if (len >= 8 && memcmp(data, "\x89PNG\r\n\x1a\n", 8) == 0)
		return probe_png(data, len, out, err);
	return err_set(err, "not a JPEG or PNG image");
}

int imgprobe_file(const char *path, struct image_probe *out, struct err *err)
{
	static const size_t chunk = 256 * 1024; /* EXIF thumbnails can push SOF this far */
	unsigned char *data;
	size_t n;
	FILE *f;
	int rc;

	f = fopen(path, "rb");
	if (f == NULL)
		return err_set(err, "cannot open %s: %s", path, strerror(errno));
	data = malloc(chunk);
	if (data == NULL) {
		fclose(f);
		return err_set(err, "out of memory");
	}
	n = fread(data, 1, chunk, f);
	fclose(f);
	rc = imgprobe_mem(data, n, out, err);
	free(data);
	return rc;
}
