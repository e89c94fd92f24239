/* The versions of the image and data libraries, for `annotty doctor`: libpng, zlib and cJSON
 * say theirs at run time; libjpeg-turbo and libsixel only in their headers. */
#include "cli/cli.h"

#include <stdio.h>

#include <cjson/cJSON.h>
#include <jpeglib.h>
#include <png.h>
#include <zlib.h>

/* sixel.h defines PACKAGE_VERSION as its own: annotty's is config.h's, kept apart first */
#undef PACKAGE_VERSION
#include <sixel.h>

#define LIBVER_STR2(x) #x
#define LIBVER_STR(x)  LIBVER_STR2(x)

const char *cli_version_jpeg(void)
{
#ifdef LIBJPEG_TURBO_VERSION
	return "libjpeg-turbo " LIBVER_STR(LIBJPEG_TURBO_VERSION) " (libjpeg API " LIBVER_STR(
	    JPEG_LIB_VERSION) ", built with)";
#else
	return "libjpeg API " LIBVER_STR(JPEG_LIB_VERSION) " (built with)";
#endif
}

const char *cli_version_png(void)
{
	static char text[64];

	snprintf(text, sizeof text, "%s (built with %s)", png_get_libpng_ver(NULL),
	         PNG_LIBPNG_VER_STRING);
	return text;
}

const char *cli_version_zlib(void)
{
	return zlibVersion();
}

const char *cli_version_cjson(void)
{
	return cJSON_Version();
}

const char *cli_version_sixel(void)
{
	return LIBSIXEL_VERSION " (built with; annotty encodes sixel itself, the tests decode "
	                        "its frames with libsixel)";
}
