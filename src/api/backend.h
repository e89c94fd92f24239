/* One interface for every source of datasets: a table of functions, one implementation per
 * platform or local format. Backends turn a source into domain values (core/model.h) and back;
 * they never touch SQLite or the screen. */
#ifndef ANNOTTY_API_BACKEND_H
#define ANNOTTY_API_BACKEND_H

#include <stdint.h>

struct err;
struct dataset_doc;
struct backend;

struct backend_ops {
	const char *kind; /* "coco", later "picsellia", ... */
	/* Reads the whole dataset. The caller owns *out (dataset_doc_free). */
	int (*load)(struct backend *b, struct dataset_doc **out, struct err *err);
	/* Writes a dataset in the backend's format to out_path (local formats). */
	int (*save)(struct backend *b, const struct dataset_doc *doc, const char *out_path,
	            struct err *err);
	void (*close)(struct backend *b);
};

struct backend {
	const struct backend_ops *ops;
	char *locator;     /* what identifies the source: an absolute file path, a URL */
	char *images_dir;  /* --images override for local sources, or NULL */
	char *fingerprint; /* changes when the source's content changes (size+mtime for files) */
	void *priv;
};

/* Opens a local dataset: a COCO JSON file, or a folder holding one. images_dir may be NULL.
 * The caller owns *out (backend_close). */
int backend_open_local(const char *path, const char *images_dir, struct backend **out,
                       struct err *err);
int backend_load(struct backend *b, struct dataset_doc **out, struct err *err);
int backend_save(struct backend *b, const struct dataset_doc *doc, const char *out_path,
                 struct err *err);
void backend_close(struct backend **b);

#endif
