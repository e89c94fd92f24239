/* The configuration file (see ui/config.h): read line by line into struct ui_config, each wrong
 * line reported with its number and passed over, then applied to the app before curses
 * starts, and printed whole by annotty config. */
#include "ui/config.h"
#include "ui/app.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/log.h"
#include "core/paths.h"
#include "core/str.h"

#include <curses.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define LINE_MAX_BYTES 1024

/* Trims spaces and tabs from both ends, in place. */
static void str_trim(char *s)
{
	size_t n = strlen(s), start = strspn(s, " \t\r");

	while (n > start && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	memmove(s, s + start, n - start);
	s[n - start] = '\0';
}

static __attribute__((format(printf, 3, 4))) void config_error(struct ui_config *cfg, int line,
                                                               const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	if (cfg->nerrors == CONFIG_ERRORS_MAX) {
		cfg->errors_more++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (line > 0)
		snprintf(cfg->errors[cfg->nerrors++], sizeof cfg->errors[0], "line %d: %s", line,
		         msg);
	else
		str_copy(cfg->errors[cfg->nerrors++], msg, sizeof cfg->errors[0]);
}

void config_defaults(struct ui_config *cfg)
{
	char path[sizeof cfg->path];

	str_copy(path, cfg->path, sizeof path);
	memset(cfg, 0, sizeof *cfg);
	str_copy(cfg->path, path, sizeof cfg->path);
	cfg->graphics = GRAPHICS_AUTO;
	cfg->auto_advance = 1;
	cfg->confirm_new_labels = 1;
	cfg->ascii = -1;
	str_copy(cfg->theme, "auto", sizeof cfg->theme);
}

/* ---- values ------------------------------------------------------------------------------ */

static int bool_parse(const char *v, int *out)
{
	static const char *const yes[] = {"yes", "on", "true", "1"}, *const no[] = {"no", "off",
	                                                                            "false", "0"};

	for (int i = 0; i < 4; i++) {
		if (strcasecmp(v, yes[i]) == 0)
			return *out = 1, 0;
		if (strcasecmp(v, no[i]) == 0)
			return *out = 0, 0;
	}
	return -1;
}

/* One key's name as curses reads it. */
static int key_one(const char *name)
{
	static const struct {
		const char *name;
		int key;
	} named[] = {{"Space", ' '},
	             {"Enter", '\n'},
	             {"Tab", '\t'},
	             {"S-Tab", KEY_BTAB},
	             {"Esc", 27},
	             {"Backspace", KEY_BACKSPACE},
	             {"Delete", KEY_DC},
	             {"Up", KEY_UP},
	             {"Down", KEY_DOWN},
	             {"Left", KEY_LEFT},
	             {"Right", KEY_RIGHT},
	             {"Home", KEY_HOME},
	             {"End", KEY_END},
	             {"PgUp", KEY_PPAGE},
	             {"PgDn", KEY_NPAGE},
	             {"S-Left", KEY_SLEFT},
	             {"S-Right", KEY_SRIGHT},
	             {"S-Up", KEY_SR},
	             {"S-Down", KEY_SF}};
	size_t len = strlen(name);

	if (len == 1 && (unsigned char)name[0] > ' ' && (unsigned char)name[0] < 0x7f)
		return name[0];
	if (len == 3 && name[0] == 'C' && name[1] == '-' && name[2] >= 'a' && name[2] <= 'z')
		return name[2] & 0x1f;
	if (len >= 2 && len <= 3 && name[0] == 'F' && atoi(name + 1) >= 1 && atoi(name + 1) <= 12)
		return KEY_F(atoi(name + 1));
	for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
		if (strcasecmp(named[i].name, name) == 0)
			return named[i].key;
	return -1;
}

int config_key_parse(const char *name)
{
	char first[32];
	const char *space = strchr(name, ' ');
	int a, b;

	if (space == NULL)
		return key_one(name);
	if ((size_t)(space - name) >= sizeof first)
		return -1;
	memcpy(first, name, (size_t)(space - name));
	first[space - name] = '\0';
	while (*space == ' ')
		space++;
	a = key_one(first);
	b = key_one(space);
	/* a sequence starts with a plain character; its second key may be any of them */
	if (a <= ' ' || a >= 0x7f || b <= 0 || b >= 0x400)
		return -1;
	return ACTION_SEQ(a, b);
}

/* "key.ACTION = K1, K2": the keys of that action (they replace its own). */
static void bind_parse(struct ui_config *cfg, int line, const char *action, const char *value)
{
	struct config_bind *b;
	char item[64];

	if (actions_find(action) == NULL)
		return config_error(cfg, line, "no action is called %s (annotty --list-actions)",
		                    action);
	if (cfg->nbinds == CONFIG_BINDS_MAX)
		return config_error(cfg, line, "more than %d bindings", CONFIG_BINDS_MAX);
	b = &cfg->binds[cfg->nbinds];
	memset(b, 0, sizeof *b);
	str_copy(b->action, action, sizeof b->action);
	str_copy(b->shown, value, sizeof b->shown);
	for (const char *p = value; *p != '\0';) {
		size_t n = strcspn(p, ",");
		size_t k = n < sizeof item - 1 ? n : sizeof item - 1;
		int key;
		memcpy(item, p, k);
		item[k] = '\0';
		str_trim(item);
		if (item[0] != '\0' && (key = config_key_parse(item)) < 0)
			return config_error(cfg, line, "%s: \"%s\" is no key annotty knows", action,
			                    item);
		if (item[0] != '\0' && b->nkeys < ACTION_MAX_KEYS)
			b->key[b->nkeys++] = config_key_parse(item);
		p += n;
		p += *p == ',';
	}
	cfg->nbinds++;
}

static void colour_parse(struct ui_config *cfg, int line, const char *role, const char *value)
{
	char fg[32] = "", bg[32] = "default";
	int pair = theme_role_find(role), f, g;
	const char *comma = strchr(value, ',');

	if (pair < 0)
		return config_error(cfg, line,
		                    "no colour role %s (title, status, selected, dim, "
		                    "error, accepted, rejected, pending, header, mark)",
		                    role);
	str_copy(fg, value,
	         comma && (size_t)(comma - value) < sizeof fg ? (size_t)(comma - value) + 1
	                                                      : sizeof fg);
	if (comma != NULL)
		str_copy(bg, comma + 1, sizeof bg);
	str_trim(fg);
	str_trim(bg);
	f = theme_colour_parse(fg);
	g = theme_colour_parse(bg);
	if (f < -1 || g < -1)
		return config_error(cfg, line,
		                    "%s: colours are black, red, green, yellow, blue, "
		                    "magenta, cyan, white (bright...), default or 0-255",
		                    role);
	cfg->colour_set[pair - PAIR_TITLE] = 1;
	cfg->fg[pair - PAIR_TITLE] = f;
	cfg->bg[pair - PAIR_TITLE] = g;
}

static void setting_parse(struct ui_config *cfg, int line, const char *key, const char *value)
{
	int *flag = strcmp(key, "low-bandwidth") == 0        ? &cfg->low_bandwidth
	            : strcmp(key, "auto-advance") == 0       ? &cfg->auto_advance
	            : strcmp(key, "confirm-new-labels") == 0 ? &cfg->confirm_new_labels
	                                                     : NULL;

	if (flag != NULL) {
		if (bool_parse(value, flag) < 0)
			config_error(cfg, line, "%s takes yes or no, not \"%s\"", key, value);
	} else if (strcmp(key, "graphics") == 0) {
		if (graphics_mode_parse(value, &cfg->graphics) < 0)
			config_error(cfg, line,
			             "graphics: sixel, kitty, kitty-tmux, iterm2, blocks, "
			             "none or auto, not \"%s\"",
			             value);
		else
			cfg->graphics_set = 1;
	} else if (strcmp(key, "ascii") == 0) {
		if (strcmp(value, "auto") == 0)
			cfg->ascii = -1;
		else if (bool_parse(value, &cfg->ascii) < 0)
			config_error(cfg, line, "ascii takes yes, no or auto");
	} else if (strcmp(key, "theme") == 0) {
		if (strcmp(value, "auto") && strcmp(value, "mono") && strcmp(value, "color"))
			config_error(cfg, line, "theme is auto, mono or color, not \"%s\"", value);
		else
			str_copy(cfg->theme, value, sizeof cfg->theme);
	} else if (strncmp(key, "key.", 4) == 0) {
		bind_parse(cfg, line, key + 4, value);
	} else if (strncmp(key, "color.", 6) == 0 || strncmp(key, "colour.", 7) == 0) {
		colour_parse(cfg, line, strchr(key, '.') + 1, value);
	} else if (strncmp(key, "label.", 6) == 0 && key[6] >= '1' && key[6] <= '9' && !key[7]) {
		str_copy(cfg->label_keys[key[6] - '1'], value, sizeof cfg->label_keys[0]);
	} else {
		config_error(cfg, line, "unknown setting %s", key);
	}
}

/* "[keys]" makes "accept = a" mean "key.accept = a" (and so for [colors] and [labels]). */
static const char *section_prefix(const char *section)
{
	if (strcmp(section, "keys") == 0)
		return "key.";
	if (strcmp(section, "colors") == 0 || strcmp(section, "colours") == 0)
		return "color.";
	if (strcmp(section, "labels") == 0)
		return "label.";
	return section[0] == '\0' || strcmp(section, "annotty") == 0 ? "" : NULL;
}

static void line_parse(struct ui_config *cfg, int n, char *line, char *section, size_t secsz)
{
	char key[128];
	const char *prefix = section_prefix(section);
	char *eq;

	str_trim(line);
	if (line[0] == '\0' || line[0] == '#' || line[0] == ';')
		return;
	if (line[0] == '[') {
		char *end = strchr(line, ']');
		if (end == NULL || end[1] != '\0')
			return config_error(cfg, n, "a section is written [name]");
		*end = '\0';
		str_copy(section, line + 1, secsz);
		if (section_prefix(section) == NULL)
			config_error(cfg, n, "unknown section [%s] (keys, colors, labels)",
			             section);
		return;
	}
	if ((eq = strchr(line, '=')) == NULL)
		return config_error(cfg, n, "expected key = value");
	*eq = '\0';
	str_trim(line);
	str_trim(eq + 1);
	if (prefix == NULL) /* the section was reported */
		return;
	snprintf(key, sizeof key, "%s%s", prefix, line);
	setting_parse(cfg, n, key, eq + 1);
}

void config_parse(struct ui_config *cfg, const char *text, size_t len)
{
	char line[LINE_MAX_BYTES], section[64] = "";
	size_t at = 0;

	for (int n = 1; at < len; n++) {
		const char *end = memchr(text + at, '\n', len - at);
		size_t l = end ? (size_t)(end - (text + at)) : len - at;
		if (memchr(text + at, '\0', l) != NULL || l >= sizeof line) {
			config_error(cfg, n, l >= sizeof line ? "line too long" : "a NUL byte");
		} else {
			memcpy(line, text + at, l);
			line[l] = '\0';
			line_parse(cfg, n, line, section, sizeof section);
		}
		at += l + 1;
	}
}

void config_load(struct ui_config *cfg)
{
	struct err err;
	struct buf b;

	cfg->path[0] = '\0';
	config_defaults(cfg);
	if (paths_config_file(cfg->path, sizeof cfg->path, &err) < 0) {
		config_error(cfg, 0, "%s", err.msg);
		return;
	}
	buf_init(&b, CONFIG_BYTES);
	if (buf_read_file(&b, cfg->path, &err) == 0) {
		cfg->found = 1;
		config_parse(cfg, (const char *)b.data, b.len);
	} else if (err_kind_of(&err) != ERR_NOT_FOUND) {
		config_error(cfg, 0, "%s", err.msg);
	}
	buf_free(&b);
}

/* ---- applying and printing --------------------------------------------------------------- */

void config_apply(struct app *app, const struct ui_config *cfg)
{
	for (int i = 0; i < cfg->nbinds; i++)
		actions_bind(actions_find(cfg->binds[i].action), cfg->binds[i].key,
		             cfg->binds[i].nkeys, cfg->binds[i].shown);
	theme_set_mode(cfg->theme);
	for (int i = 0; i < THEME_ROLES; i++)
		if (cfg->colour_set[i])
			theme_set_colour(PAIR_TITLE + i, cfg->fg[i], cfg->bg[i]);
	if (cfg->ascii >= 0)
		theme_set_ascii(cfg->ascii);
	app->auto_advance = cfg->auto_advance;
	app->confirm_new_labels = cfg->confirm_new_labels;
	for (int i = 0; i < 9; i++)
		str_copy(app->label_keys[i], cfg->label_keys[i], sizeof app->label_keys[i]);
	for (int i = 0; i < cfg->nerrors; i++)
		log_msg(LOG_WARN, "configuration %s: %s", cfg->path, cfg->errors[i]);
	if (cfg->nerrors > 0)
		app_error(app, "config %s%s", cfg->errors[0],
		          cfg->nerrors > 1 ? " (and more: annotty config lists them)" : "");
}

static const char *yes_no(int v)
{
	return v ? "yes" : "no";
}

static void print_keys(FILE *out)
{
	int n;
	const struct action *t = actions_table(&n);
	char clean[256];

	fprintf(out, "\n[keys]\n");
	for (int i = 0; i < n; i++)
		fprintf(out, "%s = %s\n", t[i].name,
		        str_sanitize(actions_keys_shown(&t[i]), clean, sizeof clean));
}

void config_print(FILE *out, const struct ui_config *cfg)
{
	char clean[1024];

	fprintf(out, "# %s%s\n", str_sanitize(cfg->path, clean, sizeof clean),
	        cfg->found ? "" : " (not there: the defaults)");
	fprintf(out, "graphics = %s\n", graphics_mode_name(cfg->graphics));
	fprintf(out, "low-bandwidth = %s\n", yes_no(cfg->low_bandwidth));
	fprintf(out, "auto-advance = %s\n", yes_no(cfg->auto_advance));
	fprintf(out, "confirm-new-labels = %s\n", yes_no(cfg->confirm_new_labels));
	fprintf(out, "ascii = %s\n", cfg->ascii < 0 ? "auto" : yes_no(cfg->ascii));
	fprintf(out, "theme = %s\n", cfg->theme);
	fprintf(out, "\n[colors]\n");
	for (int i = 0; i < THEME_ROLES; i++)
		if (cfg->colour_set[i])
			fprintf(out, "%s = %d,%d\n", theme_role_name(PAIR_TITLE + i), cfg->fg[i],
			        cfg->bg[i]);
		else
			fprintf(out, "# %s = (the theme's)\n", theme_role_name(PAIR_TITLE + i));
	fprintf(out, "\n[labels]\n");
	for (int i = 0; i < 9; i++)
		fprintf(out, "%s%d = %s\n", cfg->label_keys[i][0] ? "" : "# ", i + 1,
		        cfg->label_keys[i][0]
		            ? str_sanitize(cfg->label_keys[i], clean, sizeof clean)
		            : "(the label with the most shapes)");
	print_keys(out);
}
