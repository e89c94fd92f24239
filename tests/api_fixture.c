/* Temporary folders and small image files for the api tests (see api_fixture.h). */
#include "api_fixture.h"

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h> /* before jpeglib.h, which uses FILE */
#include <jpeglib.h>
#include <png.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FX_MAX_DIRS 32

static char fx_dirs[FX_MAX_DIRS][PATH_MAX];
static int fx_ndirs;

const char *fx_tmpdir(void)
{
	const char *base = getenv("TMPDIR");

	if (fx_ndirs == FX_MAX_DIRS) {
		printf("Bail out! too many temporary folders\n");
		exit(1);
	}
	snprintf(fx_dirs[fx_ndirs], PATH_MAX, "%s/annotty-api-XXXXXX",
	         base != NULL && base[0] != '\0' ? base : "/tmp");
	if (mkdtemp(fx_dirs[fx_ndirs]) == NULL) {
		printf("Bail out! cannot make a temporary folder: %s\n", strerror(errno));
		exit(1);
	}
	return fx_dirs[fx_ndirs++];
}

static int fx_remove(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void fx_cleanup(void)
{
	for (int i = 0; i < fx_ndirs; i++)
		nftw(fx_dirs[i], fx_remove, 16, FTW_DEPTH | FTW_PHYS);
	fx_ndirs = 0;
}

const char *fx_path(const char *dir, const char *rel)
{
	static char ring[8][PATH_MAX];
	static int next;
	char *p = ring[next++ % 8];

	snprintf(p, PATH_MAX, "%s/%s", dir, rel);
	return p;
}

int fx_mkdirs(const char *dir, const char *rel)
{
	char path[PATH_MAX];

	snprintf(path, sizeof path, "%s/%s", dir, rel);
	for (char *p = path + strlen(dir) + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0700) < 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(path, 0700) < 0 && errno != EEXIST ? -1 : 0;
}

/* Makes the folders that hold dir/rel. */
static int fx_parents(const char *dir, const char *rel)
{
	char sub[PATH_MAX];
	const char *slash = strrchr(rel, '/');

	if (slash == NULL)
		return 0;
	snprintf(sub, sizeof sub, "%.*s", (int)(slash - rel), rel);
	return fx_mkdirs(dir, sub);
}

int fx_write(const char *dir, const char *rel, const char *text)
{
	FILE *f;
	int rc;

	if (fx_parents(dir, rel) < 0)
		return -1;
	f = fopen(fx_path(dir, rel), "wb");
	if (f == NULL)
		return -1;
	rc = fputs(text, f) < 0 ? -1 : 0;
	return fclose(f) != 0 ? -1 : rc;
}

int fx_jpeg(const char *dir, const char *rel, int width, int height)
{
	struct jpeg_compress_struct c;
	struct jpeg_error_mgr jerr;
	unsigned char *row;
	FILE *f;

	if (fx_parents(dir, rel) < 0 || (f = fopen(fx_path(dir, rel), "wb")) == NULL)
		return -1;
	row = calloc((size_t)width, 1);
	c.err = jpeg_std_error(&jerr);
	jpeg_create_compress(&c);
	jpeg_stdio_dest(&c, f);
	c.image_width = (JDIMENSION)width;
	c.image_height = (JDIMENSION)height;
	c.input_components = 1;
	c.in_color_space = JCS_GRAYSCALE;
	jpeg_set_defaults(&c);
	jpeg_start_compress(&c, TRUE);
	while (c.next_scanline < c.image_height) {
		for (int x = 0; x < width; x++)
			row[x] = (unsigned char)((x * 31 + (int)c.next_scanline * 7) & 0xff);
		jpeg_write_scanlines(&c, &row, 1);
	}
	jpeg_finish_compress(&c);
	jpeg_destroy_compress(&c);
	free(row);
	return fclose(f) != 0 ? -1 : 0;
}

int fx_png(const char *dir, const char *rel, int width, int height)
{
	png_image img;
	unsigned char *pixels;
	int ok;

	if (fx_parents(dir, rel) < 0)
		return -1;
	pixels = calloc((size_t)width * (size_t)height, 1);
	if (pixels == NULL)
		return -1;
	memset(&img, 0, sizeof img);
	img.version = PNG_IMAGE_VERSION;
	img.width = (png_uint_32)width;
	img.height = (png_uint_32)height;
	img.format = PNG_FORMAT_GRAY;
	ok = png_image_write_to_file(&img, fx_path(dir, rel), 0, pixels, 0, NULL);
	free(pixels);
	return ok ? 0 : -1;
}

char *fx_read(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *data = NULL;
	long n;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (data = malloc((size_t)n + 1)) != NULL) {
		if (fread(data, 1, (size_t)n, f) != (size_t)n) {
			free(data);
			data = NULL;
		} else {
			data[n] = '\0';
		}
	}
	fclose(f);
	return data;
}

int fx_count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	if (d == NULL)
		return -1;
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}
