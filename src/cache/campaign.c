/* Campaigns in the cache: storing a platform's campaign, steps, users and assignments from a
 * pull, starting a local campaign, and the campaign screen's queries (cache.h, "Campaigns"). */
#include "cache/cache.h"
#include "cache/internal.h"
#include "core/err.h"
#include "core/str.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char sql_dataset_place[] =
    "SELECT d.source_id, (SELECT v.id FROM dataset_version v WHERE v.dataset_id = d.id"
    " ORDER BY v.id LIMIT 1) FROM dataset d WHERE d.id = ?1";
static const char sql_user_find[] = "SELECT id FROM app_user WHERE source_id = ?1 AND ext_id = ?2";
static const char sql_user_insert[] =
    "INSERT INTO app_user (source_id, ext_id, username) VALUES (?1, ?2, ?3)";
static const char sql_user_name[] =
    "UPDATE app_user SET username = coalesce(?2, username) WHERE id = ?1";
static const char sql_user_not_me[] =
    "UPDATE app_user SET is_me = 0 WHERE source_id = ?1 AND id <> ?2 AND is_me = 1";
static const char sql_user_me[] = "UPDATE app_user SET is_me = 1 WHERE id = ?1";
static const char sql_campaign_find_ext[] =
    "SELECT id FROM campaign WHERE source_id = ?1 AND ext_id = ?2";
static const char sql_campaign_of[] =
    "SELECT id FROM campaign WHERE version_id IN (SELECT id FROM dataset_version"
    " WHERE dataset_id = ?1) ORDER BY id LIMIT 1";
static const char sql_campaign_insert[] =
    "INSERT INTO campaign (source_id, version_id, ext_id, name, instructions, origin)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char sql_campaign_update[] =
    "UPDATE campaign SET version_id = ?2, name = ?3, instructions = ?4 WHERE id = ?1";
static const char sql_step_find_ext[] =
    "SELECT id FROM step WHERE campaign_id = ?1 AND ext_id = ?2";
static const char sql_step_insert[] =
    "INSERT INTO step (campaign_id, ext_id, name, type, position) VALUES (?1, ?2, ?3, ?4, ?5)";
static const char sql_step_update[] =
    "UPDATE step SET name = ?2, type = ?3, position = ?4 WHERE id = ?1";
static const char sql_assignees_clear[] = "DELETE FROM step_assignee WHERE step_id = ?1";
static const char sql_assignee_add[] =
    "INSERT OR IGNORE INTO step_assignee (step_id, user_id) VALUES (?1, ?2)";
static const char sql_campaign_source[] =
    "SELECT c.source_id, d.id FROM campaign c JOIN dataset_version v ON v.id = c.version_id"
    " JOIN dataset d ON d.id = v.dataset_id WHERE c.id = ?1";

/* Where a dataset's campaign rows hang: its source and its (first) version. */
struct place {
	int64_t source_id;
	int64_t version_id;
};

static int place_of(struct cache *c, int64_t dataset_id, struct place *p, struct err *err)
{
	sqlite3_stmt *st = NULL;
	int rc = -1, step;

	if (cache_db_prepare(c, sql_dataset_place, &st, err) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, dataset_id);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW && sqlite3_column_type(st, 1) != SQLITE_NULL) {
		p->source_id = sqlite3_column_int64(st, 0);
		p->version_id = sqlite3_column_int64(st, 1);
		rc = 0;
	} else if (step == SQLITE_ROW || step == SQLITE_DONE) {
		err_setk(err, ERR_NOT_FOUND, "dataset %lld is not in the cache",
		         (long long)dataset_id);
	} else {
		cache_db_fail(c, err, "reading the dataset");
	}
	sqlite3_finalize(st);
	return rc;
}

/* ---- users ---------------------------------------------------------------------------- */

static int user_ensure(struct cache *c, int64_t source_id, const char *ext_id, const char *username,
                       int64_t *user_id, struct err *err)
{
	int r = CACHE_DB_DO(c, sql_user_find, user_id, err, "reading the users", DB_INT(source_id),
	                    DB_TEXT(ext_id));

	if (r < 0)
		return -1;
	if (r == 1)
		return CACHE_DB_DO(c, sql_user_name, NULL, err, "saving a user", DB_INT(*user_id),
		                   DB_TEXT(username)) < 0
		           ? -1
		           : 0;
	if (CACHE_DB_DO(c, sql_user_insert, NULL, err, "saving a user", DB_INT(source_id),
	                DB_TEXT(ext_id), DB_TEXT(username)) < 0)
		return -1;
	*user_id = sqlite3_last_insert_rowid(c->db);
	return 0;
}

static int user_make_me(struct cache *c, int64_t source_id, int64_t user_id, struct err *err)
{
	if (CACHE_DB_DO(c, sql_user_not_me, NULL, err, "saving the user", DB_INT(source_id),
	                DB_INT(user_id)) < 0)
		return -1;
	return CACHE_DB_DO(c, sql_user_me, NULL, err, "saving the user", DB_INT(user_id)) < 0 ? -1
	                                                                                      : 0;
}

int cache_user_put(struct cache *c, int64_t dataset_id, const char *ext_id, const char *username,
                   int is_me, int64_t *user_id, struct err *err)
{
	struct place p;
	int64_t id = 0;
	int rc = -1;

	if (ext_id == NULL || ext_id[0] == '\0')
		return err_setk(err, ERR_USAGE, "a user needs an id");
	if (cache_db_begin(c, err) < 0)
		return -1;
	if (place_of(c, dataset_id, &p, err) < 0 ||
	    user_ensure(c, p.source_id, ext_id, username, &id, err) < 0)
		goto out;
	if (is_me && user_make_me(c, p.source_id, id, err) < 0)
		goto out;
	if (user_id != NULL)
		*user_id = id;
	rc = 0;
out:
	return cache_db_end(c, rc, err);
}

/* ---- campaigns and steps -------------------------------------------------------------- */

static int campaign_store(struct cache *c, const struct place *p, const struct campaign *cp,
                          int local, int64_t *campaign_id, struct err *err)
{
	int r = 0;

	if (cp->ext_id != NULL)
		r = CACHE_DB_DO(c, sql_campaign_find_ext, campaign_id, err, "reading the campaigns",
		                DB_INT(p->source_id), DB_TEXT(cp->ext_id));
	if (r < 0)
		return -1;
	if (r == 1)
		return CACHE_DB_DO(c, sql_campaign_update, NULL, err, "saving the campaign",
		                   DB_INT(*campaign_id), DB_INT(p->version_id), DB_TEXT(cp->name),
		                   DB_TEXT(cp->instructions)) < 0
		           ? -1
		           : 0;
	if (CACHE_DB_DO(c, sql_campaign_insert, NULL, err, "saving the campaign",
	                DB_INT(p->source_id), DB_INT(p->version_id), DB_TEXT(cp->ext_id),
	                DB_TEXT(cp->name), DB_TEXT(cp->instructions),
	                DB_TEXT(local ? "local" : "source")) < 0)
		return -1;
	*campaign_id = sqlite3_last_insert_rowid(c->db);
	return 0;
}

int cache_campaign_put(struct cache *c, int64_t dataset_id, const struct campaign *cp,
                       int64_t *campaign_id, struct err *err)
{
	struct place p;
	int rc = -1;

	if (cp->ext_id == NULL || cp->ext_id[0] == '\0')
		return err_setk(err, ERR_USAGE, "a platform's campaign needs its id");
	if (cache_db_begin(c, err) < 0)
		return -1;
	if (place_of(c, dataset_id, &p, err) == 0 &&
	    campaign_store(c, &p, cp, 0, campaign_id, err) == 0)
		rc = 0;
	return cache_db_end(c, rc, err);
}

static int step_assignees_store(struct cache *c, int64_t source_id, int64_t step_id,
                                const struct campaign_step *s, struct err *err)
{
	int64_t user_id;

	if (CACHE_DB_DO(c, sql_assignees_clear, NULL, err, "saving the assignees",
	                DB_INT(step_id)) < 0)
		return -1;
	for (int i = 0; i < s->nassignees; i++)
		if (user_ensure(c, source_id, s->assignees[i], NULL, &user_id, err) < 0 ||
		    CACHE_DB_DO(c, sql_assignee_add, NULL, err, "saving the assignees",
		                DB_INT(step_id), DB_INT(user_id)) < 0)
			return -1;
	return 0;
}

/* Stores one step (matched by ext_id when it has one) with its assignees. */
static int step_store(struct cache *c, int64_t source_id, int64_t campaign_id,
                      const struct campaign_step *s, int64_t *step_id, struct err *err)
{
	const char *type = step_type_name(s->type);
	int r = 0;

	if (s->type != STEP_ANNOTATION && s->type != STEP_REVIEW)
		return err_setk(err, ERR_USAGE, "step %s: unknown step type", s->name);
	if (s->ext_id != NULL)
		r = CACHE_DB_DO(c, sql_step_find_ext, step_id, err, "reading the steps",
		                DB_INT(campaign_id), DB_TEXT(s->ext_id));
	if (r < 0)
		return -1;
	if (r == 1)
		r = CACHE_DB_DO(c, sql_step_update, NULL, err, "saving a step", DB_INT(*step_id),
		                DB_TEXT(s->name ? s->name : ""), DB_TEXT(type),
		                DB_INT(s->position));
	else if ((r = CACHE_DB_DO(c, sql_step_insert, NULL, err, "saving a step",
	                          DB_INT(campaign_id), DB_TEXT(s->ext_id),
	                          DB_TEXT(s->name ? s->name : ""), DB_TEXT(type),
	                          DB_INT(s->position))) >= 0)
		*step_id = sqlite3_last_insert_rowid(c->db);
	if (r < 0)
		return -1;
	return step_assignees_store(c, source_id, *step_id, s, err);
}

static int campaign_source(struct cache *c, int64_t campaign_id, int64_t *source_id,
                           struct err *err)
{
	int r = CACHE_DB_DO(c, sql_campaign_source, source_id, err, "reading the campaign",
	                    DB_INT(campaign_id));

	if (r == 0)
		return err_setk(err, ERR_NOT_FOUND, "campaign %lld is not in the cache",
		                (long long)campaign_id);
	return r < 0 ? -1 : 0;
}

int cache_steps_put(struct cache *c, int64_t campaign_id, const struct campaign_step *steps, int n,
                    struct err *err)
{
	int64_t source_id, step_id;
	int rc = -1;

	for (int i = 0; i < n; i++)
		if (steps[i].ext_id == NULL || steps[i].ext_id[0] == '\0')
			return err_setk(err, ERR_USAGE, "a platform's step needs its id");
	if (cache_db_begin(c, err) < 0)
		return -1;
	if (campaign_source(c, campaign_id, &source_id, err) < 0)
		goto out;
	for (int i = 0; i < n; i++)
		if (step_store(c, source_id, campaign_id, &steps[i], &step_id, err) < 0)
			goto out;
	rc = 0;
out:
	return cache_db_end(c, rc, err);
}

/* ---- assignments ---------------------------------------------------------------------- */

static const char sql_asset_by_ext[] =
    "SELECT id FROM asset WHERE version_id = (SELECT version_id FROM campaign WHERE id = ?1)"
    " AND ext_id = ?2 ORDER BY id LIMIT 1";
static const char sql_step_of_campaign[] =
    "SELECT id FROM step WHERE campaign_id = ?1 AND ext_id = ?2";
static const char sql_assignment_by_ext[] =
    "SELECT id FROM assignment WHERE ext_id = ?1 AND step_id = ?2";
static const char sql_assignment_by_place[] =
    "SELECT id FROM assignment WHERE step_id = ?1 AND asset_id = ?2";
static const char sql_assignment_update[] =
    "UPDATE assignment SET ext_id = ?2, user_id = ?3, status = ?4, rejected_count = ?5,"
    " comment = ?6, updated_at = " CACHE_NOW " WHERE id = ?1";
static const char sql_assignment_insert[] =
    "INSERT INTO assignment (step_id, asset_id, ext_id, user_id, status, rejected_count,"
    " comment, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, " CACHE_NOW ")";
static const char sql_current_clear[] =
    "UPDATE assignment SET current = 0 WHERE asset_id = ?1 AND current = 1 AND step_id IN"
    " (SELECT s.id FROM step s WHERE s.campaign_id = (SELECT campaign_id FROM step"
    " WHERE id = ?2))";
static const char sql_current_set[] = "UPDATE assignment SET current = 1 WHERE id = ?1";
/* a decision on one of the asset's tasks still on its way to the source */
static const char sql_decision_pending[] =
    "SELECT 1 FROM outbox o JOIN assignment t ON t.id = o.entity_id"
    " WHERE o.dataset_id = (SELECT d.id FROM dataset d JOIN dataset_version v"
    " ON v.dataset_id = d.id JOIN campaign c ON c.version_id = v.id WHERE c.id = ?1)"
    " AND o.state = 'pending' AND o.entity = 'assignment' AND t.asset_id = ?2 LIMIT 1";

int cache_assignment_store(struct cache *c, const struct cache_assignment *a, int64_t *id,
                           struct err *err)
{
	int r = 0;

	if (a->ext_id != NULL)
		r = CACHE_DB_DO(c, sql_assignment_by_ext, id, err, "reading the assignments",
		                DB_TEXT(a->ext_id), DB_INT(a->step_id));
	if (r == 0)
		r = CACHE_DB_DO(c, sql_assignment_by_place, id, err, "reading the assignments",
		                DB_INT(a->step_id), DB_INT(a->asset_id));
	if (r == 1)
		r = CACHE_DB_DO(c, sql_assignment_update, NULL, err, "saving an assignment",
		                DB_INT(*id), DB_TEXT(a->ext_id), DB_ID(a->user_id),
		                DB_TEXT(assignment_status_name(a->status)),
		                DB_INT(a->rejected_count), DB_TEXT(a->comment));
	else if (r == 0 &&
	         (r = CACHE_DB_DO(c, sql_assignment_insert, NULL, err, "saving an assignment",
	                          DB_INT(a->step_id), DB_INT(a->asset_id), DB_TEXT(a->ext_id),
	                          DB_ID(a->user_id), DB_TEXT(assignment_status_name(a->status)),
	                          DB_INT(a->rejected_count), DB_TEXT(a->comment))) >= 0)
		*id = sqlite3_last_insert_rowid(c->db);
	if (r < 0)
		return -1;
	if (!a->current)
		return 0;
	if (CACHE_DB_DO(c, sql_current_clear, NULL, err, "saving an assignment",
	                DB_INT(a->asset_id), DB_INT(a->step_id)) < 0)
		return -1;
	return CACHE_DB_DO(c, sql_current_set, NULL, err, "saving an assignment", DB_INT(*id)) < 0
	           ? -1
	           : 0;
}

/* One pulled assignment as a row: 0 stored or kept, 1 passed over (its asset is not here). */
static int assignment_pulled(struct cache *c, int64_t campaign_id, int64_t source_id,
                             const struct assignment *in, struct err *err)
{
	struct cache_assignment a = {.ext_id = in->ext_id,
	                             .status = in->status,
	                             .rejected_count = in->rejected_count,
	                             .comment = in->comment,
	                             .current = 1};
	int64_t id;
	int r = CACHE_DB_DO(c, sql_step_of_campaign, &a.step_id, err, "reading the steps",
	                    DB_INT(campaign_id), DB_TEXT(in->step_ext_id));

	if (r == 0)
		return err_setk(err, ERR_NOT_FOUND, "assignment %s: its step %s is not stored",
		                in->ext_id ? in->ext_id : "?",
		                in->step_ext_id ? in->step_ext_id : "?");
	if (r < 0 || (r = CACHE_DB_DO(c, sql_asset_by_ext, &a.asset_id, err, "reading the assets",
	                              DB_INT(campaign_id), DB_TEXT(in->asset_ext_id))) < 0)
		return -1;
	if (r == 0)
		return 1;
	if ((r = CACHE_DB_DO(c, sql_decision_pending, NULL, err, "reading the outbox",
	                     DB_INT(campaign_id), DB_INT(a.asset_id))) != 0)
		return r < 0 ? -1 : 0; /* the user's decision stands until it is pushed */
	if (in->user_ext_id != NULL &&
	    user_ensure(c, source_id, in->user_ext_id, NULL, &a.user_id, err) < 0)
		return -1;
	return cache_assignment_store(c, &a, &id, err);
}

int cache_assignments_put(struct cache *c, int64_t campaign_id, const struct assignment *a, int n,
                          int *skipped, struct err *err)
{
	int64_t source_id;
	int rc = -1, passed = 0, r;

	if (cache_db_begin(c, err) < 0)
		return -1;
	if (campaign_source(c, campaign_id, &source_id, err) < 0)
		goto out;
	for (int i = 0; i < n; i++) {
		if ((int)a[i].status < 0 || a[i].status >= ASSIGNMENT_STATUS_COUNT) {
			err_setk(err, ERR_USAGE, "assignment %s: unknown status",
			         a[i].ext_id ? a[i].ext_id : "?");
			goto out;
		}
		if ((r = assignment_pulled(c, campaign_id, source_id, &a[i], err)) < 0)
			goto out;
		passed += r;
	}
	if (skipped != NULL)
		*skipped = passed;
	rc = 0;
out:
	return cache_db_end(c, rc, err);
}

/* ---- a local campaign ----------------------------------------------------------------- */

static const char sql_assets_of[] =
    "SELECT id, filename FROM asset WHERE dataset_id = ?1 ORDER BY seq, id";

/* The dataset's assets in their order, and which of them the sample takes. */
struct sample {
	int64_t *ids;
	uint64_t *hash;
	unsigned char *take;
	size_t n;
};

static void sample_free(struct sample *s)
{
	free(s->ids);
	free(s->hash);
	free(s->take);
	memset(s, 0, sizeof *s);
}

static int sample_grow(struct sample *s, size_t *cap)
{
	size_t want = *cap ? *cap * 2 : 1024;
	int64_t *ids = realloc(s->ids, want * sizeof *ids);
	uint64_t *hash;

	if (ids == NULL)
		return -1;
	s->ids = ids;
	if ((hash = realloc(s->hash, want * sizeof *hash)) == NULL)
		return -1;
	s->hash = hash;
	*cap = want;
	return 0;
}

static int sample_read(struct cache *c, int64_t dataset_id, struct sample *s, struct err *err)
{
	sqlite3_stmt *st = NULL;
	size_t cap = 0;
	int rc = -1, step;

	if (cache_db_prepare(c, sql_assets_of, &st, err) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, dataset_id);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = cache_db_text(st, 1);
		if (s->n == cap && sample_grow(s, &cap) < 0) {
			err_set(err, "starting the campaign: out of memory");
			goto out;
		}
		s->ids[s->n] = sqlite3_column_int64(st, 0);
		/* by file name: the same sample of the same dataset in every cache */
		s->hash[s->n++] = str_hash64(name, strlen(name), 0);
	}
	if (step != SQLITE_DONE)
		cache_db_fail(c, err, "reading the assets");
	else
		rc = 0;
out:
	sqlite3_finalize(st);
	return rc;
}

static const struct sample *sort_sample; /* qsort has no context argument */

static int by_hash(const void *a, const void *b)
{
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	uint64_t x = sort_sample->hash[i], y = sort_sample->hash[j];

	if (x != y)
		return x < y ? -1 : 1;
	return sort_sample->ids[i] < sort_sample->ids[j]
	           ? -1
	           : sort_sample->ids[i] > sort_sample->ids[j];
}

/* Takes the k assets whose names hash lowest: a share that does not depend on the order. */
static int sample_choose(struct sample *s, double rate)
{
	size_t k = s->n, *order;

	s->take = calloc(s->n ? s->n : 1, 1);
	if (s->take == NULL)
		return -1;
	if (rate > 0 && rate < 1) {
		k = (size_t)llround(rate * (double)s->n);
		k = k < 1 ? 1 : k > s->n ? s->n : k;
	}
	if (k == s->n) {
		memset(s->take, 1, s->n);
		return 0;
	}
	if ((order = malloc(s->n * sizeof *order)) == NULL)
		return -1;
	for (size_t i = 0; i < s->n; i++)
		order[i] = i;
	sort_sample = s;
	qsort(order, s->n, sizeof *order, by_hash);
	for (size_t i = 0; i < k; i++)
		s->take[order[i]] = 1;
	free(order);
	return 0;
}

static int local_steps(struct cache *c, int64_t source_id, int64_t campaign_id, const char *user,
                       int64_t step_ids[2], struct err *err)
{
	char *who[1] = {(char *)user}; /* borrowed: the steps are not cleared */
	struct campaign_step steps[2] = {
	    {.name = "Annotate",
	     .type = STEP_ANNOTATION,
	     .position = 0,
	     .assignees = who,
	     .nassignees = 1},
	    {.name = "Review",
	     .type = STEP_REVIEW,
	     .position = 1,
	     .assignees = who,
	     .nassignees = 1},
	};

	for (int i = 0; i < 2; i++)
		if (step_store(c, source_id, campaign_id, &steps[i], &step_ids[i], err) < 0)
			return -1;
	return 0;
}

static int local_tasks(struct cache *c, int64_t dataset_id, double rate, int64_t step_id,
                       int64_t user_id, int *ntasks, struct err *err)
{
	struct sample s = {0};
	struct cache_assignment a = {.step_id = step_id, .user_id = user_id, .current = 1};
	int64_t id;
	int rc = -1;

	*ntasks = 0;
	if (sample_read(c, dataset_id, &s, err) < 0)
		goto out;
	if (sample_choose(&s, rate) < 0) {
		err_set(err, "starting the campaign: out of memory");
		goto out;
	}
	for (size_t i = 0; i < s.n; i++) {
		if (!s.take[i])
			continue;
		a.asset_id = s.ids[i];
		if (cache_assignment_store(c, &a, &id, err) < 0)
			goto out;
		(*ntasks)++;
	}
	rc = 0;
out:
	sample_free(&s);
	return rc;
}

static int local_check(const struct campaign_local_spec *spec, struct err *err)
{
	if (spec->user == NULL || spec->user[0] == '\0')
		return err_setk(err, ERR_USAGE, "a local campaign needs the local user's name");
	if (!(spec->sample_rate >= 0 && spec->sample_rate <= 1))
		return err_setk(err, ERR_USAGE, "the sample rate is a share from 0 to 1");
	return 0;
}

int cache_campaign_start_local(struct cache *c, int64_t dataset_id,
                               const struct campaign_local_spec *spec, int64_t *campaign_id,
                               int *ntasks, struct err *err)
{
	struct campaign cp = {.name = (char *)(spec->name ? spec->name : "Local campaign"),
	                      .instructions = (char *)spec->instructions};
	struct place p;
	int64_t user_id, steps[2], existing;
	int rc = -1, made = 0, r;

	if (local_check(spec, err) < 0 || cache_db_begin(c, err) < 0)
		return -1;
	if (place_of(c, dataset_id, &p, err) < 0 ||
	    (r = CACHE_DB_DO(c, sql_campaign_of, &existing, err, "reading the campaigns",
	                     DB_INT(dataset_id))) < 0)
		goto out;
	if (r == 1) {
		err_setk(err, ERR_CONFLICT, "this dataset has a campaign already");
		goto out;
	}
	if (user_ensure(c, p.source_id, spec->user, spec->user, &user_id, err) < 0 ||
	    user_make_me(c, p.source_id, user_id, err) < 0 ||
	    campaign_store(c, &p, &cp, 1, campaign_id, err) < 0 ||
	    local_steps(c, p.source_id, *campaign_id, spec->user, steps, err) < 0 ||
	    local_tasks(c, dataset_id, spec->sample_rate, steps[0], user_id, &made, err) < 0)
		goto out;
	if (ntasks != NULL)
		*ntasks = made;
	rc = 0;
out:
	return cache_db_end(c, rc, err);
}

/* ---- the campaign screen's queries ------------------------------------------------------ */

static const char sql_campaign_info[] =
    "SELECT c.id, coalesce(c.ext_id, ''), coalesce(c.name, ''), coalesce(c.instructions, ''),"
    " c.origin = 'local', coalesce(u.id, 0), coalesce(u.username, u.ext_id, ''),"
    " (SELECT count(*) FROM step s WHERE s.campaign_id = c.id) FROM campaign c"
    " LEFT JOIN app_user u ON u.source_id = c.source_id AND u.is_me = 1"
    " WHERE c.version_id IN (SELECT id FROM dataset_version WHERE dataset_id = ?1)"
    " ORDER BY c.id LIMIT 1";
static const char sql_step_rows[] =
    "SELECT s.id, s.campaign_id, coalesce(s.ext_id, ''), s.name, s.type, s.position,"
    " coalesce((SELECT group_concat(coalesce(u.username, u.ext_id), ', ') FROM step_assignee a"
    " JOIN app_user u ON u.id = a.user_id WHERE a.step_id = s.id), '') FROM step s"
    " WHERE (?1 <> 0 AND s.campaign_id = ?1) OR (?1 = 0 AND s.id = ?2)"
    " ORDER BY s.position, s.id LIMIT ?3";
/* one walk of the step's part of the queue index */
static const char sql_step_counts[] =
    "SELECT status, coalesce(user_id = (SELECT u.id FROM app_user u JOIN campaign c"
    " ON c.source_id = u.source_id JOIN step s ON s.campaign_id = c.id WHERE s.id = ?1"
    " AND u.is_me = 1), 0), count(*) FROM assignment WHERE step_id = ?1 GROUP BY 1, 2";
static const char sql_reasons[] =
    "SELECT comment FROM assignment WHERE step_id IN (SELECT id FROM step WHERE campaign_id = ?1)"
    " AND status = 'REJECTED' AND comment IS NOT NULL AND comment <> ''"
    " GROUP BY comment ORDER BY max(updated_at) DESC, max(id) DESC LIMIT ?2";

int cache_campaign_find(struct cache *c, int64_t dataset_id, struct campaign_info *out,
                        struct err *err)
{
	sqlite3_stmt *st = NULL;
	int rc = -1, step;

	memset(out, 0, sizeof *out);
	if (cache_db_prepare(c, sql_campaign_info, &st, err) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, dataset_id);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		out->id = sqlite3_column_int64(st, 0);
		str_copy(out->ext_id, cache_db_text(st, 1), sizeof out->ext_id);
		str_copy(out->name, cache_db_text(st, 2), sizeof out->name);
		str_copy(out->instructions, cache_db_text(st, 3), sizeof out->instructions);
		out->local = sqlite3_column_int(st, 4);
		out->me = sqlite3_column_int64(st, 5);
		str_copy(out->me_name, cache_db_text(st, 6), sizeof out->me_name);
		out->nsteps = sqlite3_column_int(st, 7);
		rc = 1;
	} else if (step == SQLITE_DONE) {
		rc = 0;
	} else {
		cache_db_fail(c, err, "reading the campaign");
	}
	sqlite3_finalize(st);
	return rc;
}

static void counts_add(struct step_row *r, const char *status, int mine, int n)
{
	enum assignment_status s;

	if (assignment_status_parse(status, &s) < 0)
		return;
	r->total += n;
	switch (s) {
	case ASSIGNMENT_PENDING:
		*(mine ? &r->counts.pending_mine : &r->counts.pending_others) += n;
		break;
	case ASSIGNMENT_SUBMITTED:
		r->counts.submitted += n;
		break;
	case ASSIGNMENT_ACCEPTED:
		r->counts.accepted += n;
		break;
	case ASSIGNMENT_REJECTED:
		r->counts.rejected += n;
		break;
	default:
		r->counts.skipped += n;
		break;
	}
}

static int step_counts(struct cache *c, sqlite3_stmt *st, struct step_row *r, struct err *err)
{
	int step;

	sqlite3_bind_int64(st, 1, r->id);
	while ((step = sqlite3_step(st)) == SQLITE_ROW)
		counts_add(r, cache_db_text(st, 0), sqlite3_column_int(st, 1),
		           sqlite3_column_int(st, 2));
	sqlite3_reset(st);
	return step == SQLITE_DONE ? 0 : cache_db_fail(c, err, "counting the tasks");
}

static void step_fill(sqlite3_stmt *st, struct step_row *r)
{
	memset(r, 0, sizeof *r);
	r->id = sqlite3_column_int64(st, 0);
	r->campaign_id = sqlite3_column_int64(st, 1);
	str_copy(r->ext_id, cache_db_text(st, 2), sizeof r->ext_id);
	str_copy(r->name, cache_db_text(st, 3), sizeof r->name);
	if (step_type_parse(cache_db_text(st, 4), &r->type) < 0)
		r->type = STEP_REVIEW; /* QUALITY_CONTROL reviews too */
	r->position = sqlite3_column_int(st, 5);
	str_copy(r->assignees, cache_db_text(st, 6), sizeof r->assignees);
}

static int steps_read(struct cache *c, int64_t campaign_id, int64_t step_id, struct step_row *rows,
                      int max, int *n, struct err *err)
{
	sqlite3_stmt *st = NULL, *counts = NULL;
	int rc = -1, step;

	*n = 0;
	if (cache_db_prepare(c, sql_step_rows, &st, err) < 0 ||
	    cache_db_prepare(c, sql_step_counts, &counts, err) < 0)
		goto out;
	sqlite3_bind_int64(st, 1, campaign_id);
	sqlite3_bind_int64(st, 2, step_id);
	sqlite3_bind_int(st, 3, max);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		step_fill(st, &rows[*n]);
		if (step_counts(c, counts, &rows[*n], err) < 0)
			goto out;
		(*n)++;
	}
	if (step != SQLITE_DONE) {
		cache_db_fail(c, err, "reading the steps");
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(st);
	sqlite3_finalize(counts);
	return rc;
}

int cache_steps_list(struct cache *c, int64_t campaign_id, struct step_row *rows, int max, int *n,
                     struct err *err)
{
	if (campaign_id == 0) {
		*n = 0;
		return 0;
	}
	return steps_read(c, campaign_id, 0, rows, max, n, err);
}

int cache_step_get(struct cache *c, int64_t step_id, struct step_row *out, struct err *err)
{
	int n = 0;

	if (steps_read(c, 0, step_id, out, 1, &n, err) < 0)
		return -1;
	return n;
}

int cache_task_reasons(struct cache *c, int64_t campaign_id, char (*out)[CACHE_COMMENT_MAX + 1],
                       int max, int *n, struct err *err)
{
	sqlite3_stmt *st = NULL;
	int step;

	*n = 0;
	if (cache_db_prepare(c, sql_reasons, &st, err) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, campaign_id);
	sqlite3_bind_int(st, 2, max);
	while ((step = sqlite3_step(st)) == SQLITE_ROW && *n < max)
		str_copy(out[(*n)++], cache_db_text(st, 0), sizeof out[0]);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		cache_db_fail(c, err, "reading the reasons");
	sqlite3_finalize(st);
	return step == SQLITE_ROW || step == SQLITE_DONE ? 0 : -1;
}
