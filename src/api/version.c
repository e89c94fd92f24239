/* The libcurl version (see version.h). */
#include "api/version.h"

#include <curl/curl.h>

const char *api_curl_version(void)
{
	return curl_version();
}
