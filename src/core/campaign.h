/* Annotation campaigns as plain values: a campaign on a dataset version, its ordered steps
 * (annotate, review) with their assignees, and the assignments that put each asset in a step
 * for a user. The api layer produces them from a platform; the cache stores them and keeps the
 * local queue. The assignment statuses are this project's assumption (spec section 12). */
#ifndef ANNOTTY_CORE_CAMPAIGN_H
#define ANNOTTY_CORE_CAMPAIGN_H

/* The names are those of the platform and of the cache's columns. */
enum step_type { STEP_ANNOTATION = 0, STEP_REVIEW, STEP_TYPE_COUNT };

enum assignment_status {
	ASSIGNMENT_PENDING = 0, /* waiting for its assignee */
	ASSIGNMENT_SUBMITTED,   /* work done, moved on to the next step */
	ASSIGNMENT_ACCEPTED,    /* a review step accepted it */
	ASSIGNMENT_REJECTED,    /* a review step sent it back */
	ASSIGNMENT_SKIPPED,     /* left in the step, assigned to nobody */
	ASSIGNMENT_STATUS_COUNT
};

struct campaign {
	char *ext_id;         /* the platform's id; NULL for a local campaign */
	char *name;           /* may be NULL */
	char *version_ext_id; /* the dataset version it works on; may be NULL */
	char *instructions;   /* the instructions text shown in task mode; may be NULL */
};

struct campaign_step {
	char *ext_id; /* NULL for a local campaign */
	char *name;
	enum step_type type;
	int position;     /* 0-based order in the campaign */
	char **assignees; /* the users' ext ids */
	int nassignees;
};

struct assignment {
	char *ext_id;       /* NULL for a local campaign */
	char *asset_ext_id; /* the asset in the dataset version */
	char *step_ext_id;
	char *user_ext_id; /* NULL: assigned to nobody */
	enum assignment_status status;
	int rejected_count; /* how often a review sent the asset back */
	char *comment;      /* the reviewer's reason for the last rejection; may be NULL */
};

/* Where an asset is in its campaign, as an export writes it: its current assignment. */
struct asset_task {
	char *step; /* the step's name */
	enum step_type step_type;
	enum assignment_status status;
	int rejected_count;
	char *comment; /* may be NULL */
};

const char *step_type_name(enum step_type t);
/* 0 with *out set, -1 for a name that is no step type. */
int step_type_parse(const char *name, enum step_type *out);
const char *assignment_status_name(enum assignment_status s);
int assignment_status_parse(const char *name, enum assignment_status *out);

/* Appends a copy of ext_id to the step's assignees; -1 when out of memory. */
int campaign_step_add_assignee(struct campaign_step *s, const char *ext_id);

void campaign_clear(struct campaign *c);
void campaign_step_clear(struct campaign_step *s);
void assignment_clear(struct assignment *a);
void asset_task_free(struct asset_task **t);

#endif
