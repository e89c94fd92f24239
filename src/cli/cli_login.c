/* `annotty login` and `annotty logout`: a Picsellia API token checked with the ping and kept
 * in the credentials file (config.c), or forgotten. The token is read, never an argument. */
#include "cli/cli.h"
#include "cli/config.h"
#include "api/picsellia/picsellia.h"
#include "core/err.h"
#include "core/log.h"
#include "core/str.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An organization name fits a section header: no '@', no ']', no control character. */
static int org_check(const char *org, struct err *err)
{
	if (strlen(org) >= CLI_ORG_MAX)
		return err_setk(err, ERR_USAGE, "the organization name is too long");
	for (const unsigned char *p = (const unsigned char *)org; *p; p++)
		if (*p < 0x20 || *p == 0x7f || *p == '@' || *p == ']')
			return err_setk(err, ERR_USAGE,
			                "an organization name holds no @, ] or control character");
	return 0;
}

/* The ping with the token; *org_out gets the organization's name as the platform spells it,
 * *user_out the user's. */
static int login_check(const char *host, const char *org, const char *token, char *org_out,
                       size_t org_n, char *user_out, size_t user_n, struct err *err)
{
	struct picsellia_config cfg = {.host = host, .token = token, .org_name = org};
	struct picsellia *p = NULL;
	const struct picsellia_session *s;
	int rc = -1;

	if (picsellia_new(&cfg, &p, err) < 0)
		goto out;
	if (picsellia_connect(p, err) < 0) {
		if (err_kind_of(err) == ERR_AUTH)
			err_setk(err, ERR_AUTH, "%s refused the token: nothing was stored", host);
		else
			err_wrap(err, "checking the token with %s (nothing was stored)", host);
		goto out;
	}
	s = picsellia_session(p);
	snprintf(org_out, org_n, "%s", s->org_name != NULL ? s->org_name : (org ? org : ""));
	snprintf(user_out, user_n, "%s", s->username != NULL ? s->username : "?");
	rc = 0;
out:
	picsellia_free(&p);
	return rc;
}

static const char *option_or_env(const struct cli_call *call, int opt, const char *env)
{
	const char *v = call->value[opt] != NULL ? call->value[opt] : getenv(env);

	return v != NULL && v[0] != '\0' ? v : NULL;
}

static int login_store(struct cli_creds *c, const char *host, const char *org, const char *token,
                       const char *user, struct err *err)
{
	char path[PATH_MAX], o[CLI_ORG_MAX * 2], h[CLI_HOST_MAX * 2], u[512];

	if (cli_creds_put(c, host, org, token, err) < 0 || cli_creds_save(c, err) < 0 ||
	    cli_creds_path(path, sizeof path, err) < 0)
		return -1;
	log_msg(LOG_INFO, "login: %s at %s as %s stored", org, host, user);
	printf("logged in to %s at %s as %s; the token is in %s (mode 600)\n",
	       str_sanitize(org, o, sizeof o), str_sanitize(host, h, sizeof h),
	       str_sanitize(user, u, sizeof u), path);
	return cli_flush_stdout(err);
}

int cli_run_login(const struct cli_call *call, struct err *err)
{
	const char *org_in = option_or_env(call, OPT_ORGANIZATION, "PICSELLIA_ORGANIZATION");
	char host[CLI_HOST_MAX], org[CLI_ORG_MAX], user[256], prompt[CLI_HOST_MAX + 64];
	char token[CLI_TOKEN_MAX];
	struct cli_creds *c = NULL;
	int rc = -1;

	token[0] = '\0';
	if (cli_host_normalize(option_or_env(call, OPT_HOST, "PICSELLIA_HOST"), host, sizeof host,
	                       err) < 0 ||
	    (org_in != NULL && org_check(org_in, err) < 0))
		return -1;
	/* a file that cannot be used is said before the token is asked for */
	if (cli_creds_load(&c, err) < 0)
		return -1;
	snprintf(prompt, sizeof prompt, "Picsellia API token for %s: ", host);
	if (cli_token_read(prompt, token, sizeof token, err) < 0 ||
	    login_check(host, org_in, token, org, sizeof org, user, sizeof user, err) < 0 ||
	    org_check(org, err) < 0 || login_store(c, host, org, token, user, err) < 0)
		goto out;
	rc = EXIT_OK;
out:
	cli_wipe(token, sizeof token);
	cli_creds_free(&c);
	return rc;
}

int cli_run_logout(const struct cli_call *call, struct err *err)
{
	const char *org = call->value[OPT_ORGANIZATION], *host_in = call->value[OPT_HOST];
	char host[CLI_HOST_MAX];
	struct cli_creds *c = NULL;
	int removed, rc = -1;

	if (host_in != NULL && cli_host_normalize(host_in, host, sizeof host, err) < 0)
		return -1;
	if (cli_creds_load(&c, err) < 0)
		return -1;
	removed = cli_creds_remove(c, host_in != NULL ? host : NULL, org);
	if (removed == 0) {
		err_setk(err, ERR_NOT_FOUND, "no stored login %s",
		         c->n == 0 ? "at all" : "matches");
		goto out;
	}
	if (cli_creds_save(c, err) < 0)
		goto out;
	printf("logged out: %d %s forgotten\n", removed, cli_plural(removed, "token", "tokens"));
	rc = cli_flush_stdout(err) < 0 ? -1 : EXIT_OK;
out:
	cli_creds_free(&c);
	return rc;
}
