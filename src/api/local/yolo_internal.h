/* Shared by the YOLO reader's files: the source's description (names, keypoint shape, splits
 * and where their images are), from data.yaml or obj.data or the folders. */
#ifndef ANNOTTY_API_LOCAL_YOLO_INTERNAL_H
#define ANNOTTY_API_LOCAL_YOLO_INTERNAL_H

#include "api/local/local_format.h"

#include <limits.h>

#define YOLO_NAMES_MAX 100000

struct yolo_split {
	char *name;                 /* train, val, test; NULL: the only one, unnamed */
	char where[PATH_MAX];       /* a folder of images or a list file; "" for a listed set */
	struct local_files entries; /* absolute image paths, once resolved */
};

struct yolo_config {
	char root[PATH_MAX]; /* the folder of data.yaml or obj.data, or the folder opened */
	char **names;        /* class index -> name (NULL where none) */
	int nnames;
	int kpt_count; /* keypoints per pose line (kpt_shape), 0 for none */
	int kpt_dims;  /* 2 (x y) or 3 (x y visibility) */
	struct yolo_split splits[LOCAL_SPLITS_MAX];
	int nsplits;
};

/* Sets class index's name (the list grows); -1 when out of memory or index out of range. */
int yolo_config_name(struct yolo_config *c, int index, const char *name);
/* Adds a split (its images in the folder or list file `where`). */
int yolo_config_split(struct yolo_config *c, const char *name, const char *where, struct err *err);
/* Orders the splits train, val, test, then by name. */
void yolo_config_sort(struct yolo_config *c);
/* Lists each split's images from its folder or list file. */
int yolo_config_resolve(struct yolo_config *c, struct err *err);
/* Reads a data.yaml (libyaml) into c: names, kpt_shape, and the splits it names. */
int yolo_yaml_read(const char *path, struct yolo_config *c, struct err *err);

#endif
