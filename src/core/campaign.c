/* The campaign domain's names and destructors (core/campaign.h). */
#include "core/campaign.h"

#include <stdlib.h>
#include <string.h>

static const char *const step_type_names[STEP_TYPE_COUNT] = {
    [STEP_ANNOTATION] = "ANNOTATION",
    [STEP_REVIEW] = "REVIEW",
};

static const char *const assignment_status_names[ASSIGNMENT_STATUS_COUNT] = {
    [ASSIGNMENT_PENDING] = "PENDING",   [ASSIGNMENT_SUBMITTED] = "SUBMITTED",
    [ASSIGNMENT_ACCEPTED] = "ACCEPTED", [ASSIGNMENT_REJECTED] = "REJECTED",
    [ASSIGNMENT_SKIPPED] = "SKIPPED",
};

const char *step_type_name(enum step_type t)
{
	return (int)t >= 0 && t < STEP_TYPE_COUNT ? step_type_names[t] : "?";
}

int step_type_parse(const char *name, enum step_type *out)
{
	for (int i = 0; name != NULL && i < STEP_TYPE_COUNT; i++)
		if (strcmp(name, step_type_names[i]) == 0) {
			*out = (enum step_type)i;
			return 0;
		}
	return -1;
}

const char *assignment_status_name(enum assignment_status s)
{
	return (int)s >= 0 && s < ASSIGNMENT_STATUS_COUNT ? assignment_status_names[s] : "?";
}

int assignment_status_parse(const char *name, enum assignment_status *out)
{
	for (int i = 0; name != NULL && i < ASSIGNMENT_STATUS_COUNT; i++)
		if (strcmp(name, assignment_status_names[i]) == 0) {
			*out = (enum assignment_status)i;
			return 0;
		}
	return -1;
}

int campaign_step_add_assignee(struct campaign_step *s, const char *ext_id)
{
	char **grown = realloc(s->assignees, (size_t)(s->nassignees + 1) * sizeof *grown);
	char *copy = ext_id != NULL ? strdup(ext_id) : NULL;

	if (grown != NULL)
		s->assignees = grown;
	if (grown == NULL || copy == NULL) {
		free(copy);
		return -1;
	}
	s->assignees[s->nassignees++] = copy;
	return 0;
}

void campaign_clear(struct campaign *c)
{
	free(c->ext_id);
	free(c->name);
	free(c->version_ext_id);
	free(c->instructions);
	memset(c, 0, sizeof *c);
}

void campaign_step_clear(struct campaign_step *s)
{
	for (int i = 0; i < s->nassignees; i++)
		free(s->assignees[i]);
	free(s->assignees);
	free(s->ext_id);
	free(s->name);
	memset(s, 0, sizeof *s);
}

void assignment_clear(struct assignment *a)
{
	free(a->ext_id);
	free(a->asset_ext_id);
	free(a->step_ext_id);
	free(a->user_ext_id);
	free(a->comment);
	memset(a, 0, sizeof *a);
}

void asset_task_free(struct asset_task **t)
{
	if (*t == NULL)
		return;
	free((*t)->step);
	free((*t)->comment);
	free(*t);
	*t = NULL;
}
