/* The platform credentials of the command line: the file annotty login writes under
 * $XDG_CONFIG_HOME/annotty/, the PICSELLIA_* environment that overrides it, and the choice of
 * the organization a command works on. Tokens are held in fixed buffers that are wiped after
 * use; they are never logged, printed or put in a message. */
#ifndef ANNOTTY_CLI_CONFIG_H
#define ANNOTTY_CLI_CONFIG_H

#include <stddef.h>

struct cli_call;
struct err;

#define CLI_HOST_MAX    1024
#define CLI_ORG_MAX     256
#define CLI_TOKEN_MAX   4096
#define CLI_CREDS_MAX   64
#define CLI_CREDS_BYTES (512 * 1024) /* a credentials file larger than this is refused */

#define CLI_DEFAULT_HOST "https://app.picsellia.com"

/* One organization on one host, with the token that reaches it. */
struct cli_remote {
	char host[CLI_HOST_MAX];        /* "https://app.picsellia.com", no trailing slash */
	char organization[CLI_ORG_MAX]; /* "" when the platform's default is meant */
	char token[CLI_TOKEN_MAX];
	int from_env; /* PICSELLIA_TOKEN gave it */
};

/* The credentials file as read: the default (the latest login) first. */
struct cli_creds {
	struct cli_remote items[CLI_CREDS_MAX];
	int n;
};

/* Overwrites n bytes in a way the compiler keeps. */
void cli_wipe(void *p, size_t n);

/* $XDG_CONFIG_HOME/annotty/credentials (or ~/.config/annotty/credentials). */
int cli_creds_path(char *out, size_t n, struct err *err);
/* Reads the credentials file (none yet: an empty list) into a new *out, which the caller
 * releases with cli_creds_free (that wipes the tokens). A file that others can read or write,
 * or that another user owns, is refused (ERR_FORBIDDEN) with the chmod that fixes it. */
int cli_creds_load(struct cli_creds **out, struct err *err);
void cli_creds_free(struct cli_creds **c);
/* Writes the list through a temporary file created 0600 and renamed over the old one. */
int cli_creds_save(const struct cli_creds *c, struct err *err);
/* Puts host/organization first with that token (replacing an older entry of the pair). */
int cli_creds_put(struct cli_creds *c, const char *host, const char *organization,
                  const char *token, struct err *err);
/* Removes the entries of host (NULL: any) and organization (NULL: any); with both NULL the
 * default one. Returns how many. */
int cli_creds_remove(struct cli_creds *c, const char *host, const char *organization);

/* The host as stored: the default when NULL or empty, without trailing slashes; refused
 * unless it is an http:// or https:// URL. */
int cli_host_normalize(const char *in, char *out, size_t n, struct err *err);

/* The organization a command works on: PICSELLIA_TOKEN (with PICSELLIA_HOST and
 * PICSELLIA_ORGANIZATION, or --host and --organization) when it is set; else the stored entry
 * that --host and --organization (or PICSELLIA_HOST and PICSELLIA_ORGANIZATION) choose, the
 * default when several match. ERR_NOT_FOUND, saying to log in, when there is none. The caller
 * wipes *out (cli_wipe) when done. */
int cli_remote_resolve(const struct cli_call *call, struct cli_remote *out, struct err *err);

/* Reads a token: without echo from the terminal when standard input is one (the prompt on
 * standard error), else the first line of standard input. Surrounding white space is dropped;
 * an empty token is refused. */
int cli_token_read(const char *prompt, char *out, size_t n, struct err *err);

#endif
