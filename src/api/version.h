/* The version of the HTTP library the remote backends use, for diagnostics. */
#ifndef ANNOTTY_API_VERSION_H
#define ANNOTTY_API_VERSION_H

/* A static string owned by libcurl, e.g. "libcurl/7.88.1 OpenSSL/3.0.11 ...". */
const char *api_curl_version(void);

#endif
