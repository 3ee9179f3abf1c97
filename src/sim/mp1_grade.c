/* SPDX-License-Identifier: MIT */
/*
 * The MP1 scoring rules (docs/mp1.md), 30 points per log:
 *
 *   join (10; 15 in the drop scenario): every member logs a join of each
 *     of the 9 others (or of all 10, itself included): the distinct
 *     (logger, joined member) pairs are exactly 90 or exactly 100.
 *   single failure: at least 9 distinct removal lines mention the failed
 *     member (completeness, 10); no removal line is about any other member
 *     in the whole run (accuracy, 10).
 *   multi failure: each failed member is mentioned by at least 5 distinct
 *     removal lines (completeness, 2 each); exactly 25 distinct removal
 *     lines in all, one per (survivor, failed member) (accuracy, 2 per
 *     failed member, all lost together).
 *   drop: the join block and at least 9 removal lines mentioning the
 *     failed member (15); accuracy is reported but not scored.
 *
 * A distinct removal line is a distinct (logger, member, time); the same
 * removal logged twice at one time counts once, at two times twice. The
 * failed members are the addresses of the injector's lines.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "mp1_internal.h"

/* Reasons listed one by one before "... and N more". */
#define MAX_LISTED 12

struct grader {
	struct rumor_mp1_grade *g;
	const struct mp1_log *log;
	const struct mp1_line **removals; /* distinct, in file order */
	size_t n_removals;
	struct mp1_addr failed[RUMOR_MP1_MULTI_FAILED];
	size_t n_failed;
	bool failed_known;
	int nomem;
};

static void add_text(struct grader *gr, char ***list, size_t *n,
                     const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
add_text(struct grader *gr, char ***list, size_t *n, const char *fmt, ...)
{
	char buf[512], *s, **p;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (!(s = strdup(buf)) ||
	    !(p = realloc(*list, (*n + 1) * sizeof(*p)))) {
		free(s);
		gr->nomem = 1;
		return;
	}
	p[(*n)++] = s;
	*list = p;
}

#define REASON(gr, ...)                                                        \
	add_text((gr), &(gr)->g->reasons, &(gr)->g->n_reasons, __VA_ARGS__)
#define NOTE(gr, ...)                                                          \
	add_text((gr), &(gr)->g->notes, &(gr)->g->n_notes, __VA_ARGS__)

static struct rumor_mp1_block *
block(struct grader *gr, const char *name, int max, int scored)
{
	struct rumor_mp1_block *b = &gr->g->blocks[gr->g->n_blocks++];

	*b = (struct rumor_mp1_block){name, max, max, scored};
	return b;
}

/* ---- which member failed ---- */

static void
find_failed(struct grader *gr)
{
	enum mp1_line_kind want = gr->g->scenario == RUMOR_MP1_MULTI
	                              ? MP1_L_FAIL_MULTI
	                              : MP1_L_FAIL_SINGLE;
	size_t need =
	    gr->g->scenario == RUMOR_MP1_MULTI ? RUMOR_MP1_MULTI_FAILED : 1;
	size_t wrong = 0, bad = 0;

	for (size_t i = 0; i < gr->log->n; i++) {
		const struct mp1_line *l = &gr->log->lines[i];
		size_t k = 0;

		if (l->kind == MP1_L_BAD_FAIL)
			bad++;
		if (l->kind == MP1_L_FAIL_SINGLE || l->kind == MP1_L_FAIL_MULTI)
			gr->g->fail_time = (int)l->time;
		if (l->kind != want) {
			wrong += l->kind == MP1_L_FAIL_SINGLE ||
			         l->kind == MP1_L_FAIL_MULTI;
			continue;
		}
		while (k < gr->n_failed && gr->failed[k].key != l->logger.key)
			k++;
		if (k == gr->n_failed && k < RUMOR_MP1_MULTI_FAILED)
			gr->failed[gr->n_failed++] = l->logger;
		else if (k == gr->n_failed)
			wrong++;
	}
	gr->failed_known = gr->n_failed == need && !wrong && !bad;
	for (size_t k = 0; k < gr->n_failed; k++)
		strcpy(gr->g->failed[k], gr->failed[k].text);
	gr->g->n_failed = gr->n_failed;
	if (!gr->failed_known)
		REASON(gr,
		       "failure: expected %zu member%s failed by lines "
		       "'Node failed at time%s' (%s), found %zu (and %zu "
		       "lines in another form): cannot score completeness "
		       "and accuracy",
		       need, need > 1 ? "s" : "", need > 1 ? " = T" : "=T",
		       rumor_mp1_scenario_name(gr->g->scenario), gr->n_failed,
		       wrong + bad);
}

static bool
is_failed(const struct grader *gr, const struct mp1_addr *a)
{
	for (size_t k = 0; k < gr->n_failed; k++)
		if (gr->failed[k].key == a->key)
			return true;
	return false;
}

/* ---- join ---- */

static void
join_missing(struct grader *gr, bool pair[][RUMOR_MP1_MEMBERS])
{
	char addr[RUMOR_MP1_ADDR_STRLEN], list[256];

	for (uint32_t o = 0; o < RUMOR_MP1_MEMBERS; o++) {
		size_t len = 0, n = 0;

		list[0] = '\0';
		for (uint32_t m = 0; m < RUMOR_MP1_MEMBERS; m++) {
			if (m == o || pair[o][m])
				continue;
			rumor__mp1_addr_text(m, addr, sizeof(addr));
			len += (size_t)snprintf(list + len, sizeof(list) - len,
			                        "%s%s", n++ ? ", " : "", addr);
		}
		rumor__mp1_addr_text(o, addr, sizeof(addr));
		if (n)
			REASON(gr, "join: %s logged no join of %s", addr, list);
	}
}

static void
score_join(struct grader *gr, int max)
{
	struct rumor_mp1_block *b = block(gr, "join", max, 1);
	bool pair[RUMOR_MP1_MEMBERS][RUMOR_MP1_MEMBERS] = {{0}};
	size_t self = 0, listed = 0, lost = gr->g->n_reasons;

	for (size_t i = 0; i < gr->log->n; i++) {
		const struct mp1_line *l = &gr->log->lines[i];

		if (l->kind == MP1_L_BAD_JOIN && listed++ < MAX_LISTED)
			REASON(gr,
			       "join: line %llu says 'joined' but is not "
			       "' ADDR [TICK] Node ADDR joined at time T'",
			       (unsigned long long)l->line_no);
		if (l->kind != MP1_L_JOIN)
			continue;
		if (l->logger.index < 0 || l->member.index < 0) {
			if (listed++ < MAX_LISTED)
				REASON(gr,
				       "join: line %llu: %s logged a join of "
				       "%s: not both MP1 members",
				       (unsigned long long)l->line_no,
				       l->logger.text, l->member.text);
			continue;
		}
		pair[l->logger.index][l->member.index] = true;
	}
	if (listed > MAX_LISTED)
		REASON(gr, "join: ... and %zu more such lines",
		       listed - MAX_LISTED);
	for (int o = 0; o < RUMOR_MP1_MEMBERS; o++)
		self += pair[o][o];
	if (self != 0 && self != RUMOR_MP1_MEMBERS)
		REASON(gr,
		       "join: %zu members logged their own join and %zu did "
		       "not (all or none)",
		       self, RUMOR_MP1_MEMBERS - self);
	join_missing(gr, pair);
	if (gr->g->n_reasons > lost)
		b->points = 0;
}

/* ---- removals ---- */

static int
cmp_removal(const void *pa, const void *pb)
{
	const struct mp1_line *a = *(const struct mp1_line *const *)pa;
	const struct mp1_line *b = *(const struct mp1_line *const *)pb;

	if (a->logger.key != b->logger.key)
		return a->logger.key < b->logger.key ? -1 : 1;
	if (a->member.key != b->member.key)
		return a->member.key < b->member.key ? -1 : 1;
	if (a->time != b->time)
		return a->time < b->time ? -1 : 1;
	return a->line_no < b->line_no ? -1 : a->line_no > b->line_no;
}

/* Distinct removal lines, (logger, member, time), sorted so; each is its
 * first occurrence in the file. */
static int
collect_removals(struct grader *gr)
{
	const struct mp1_log *log = gr->log;
	size_t n = 0;

	gr->removals = malloc((log->n + 1) * sizeof(*gr->removals));
	if (!gr->removals)
		return RUMOR_ENOMEM;
	for (size_t i = 0; i < log->n; i++)
		if (log->lines[i].kind == MP1_L_REMOVE)
			gr->removals[n++] = &log->lines[i];
	qsort(gr->removals, n, sizeof(*gr->removals), cmp_removal);
	for (size_t i = 0; i < n; i++) {
		const struct mp1_line *l = gr->removals[i], *prev;

		prev = gr->n_removals ? gr->removals[gr->n_removals - 1] : NULL;
		if (!prev || prev->logger.key != l->logger.key ||
		    prev->member.key != l->member.key || prev->time != l->time)
			gr->removals[gr->n_removals++] = l;
	}
	return 0;
}

static size_t
count_removals_of(const struct grader *gr, const struct mp1_addr *m)
{
	size_t n = 0;

	for (size_t k = 0; k < gr->n_removals; k++)
		n += gr->removals[k]->member.key == m->key;
	return n;
}

/* The key of MP1 member o's address, (o+1).0.0.0:0. */
static uint64_t
member_key(uint32_t o)
{
	return (uint64_t)(o + 1) << 40;
}

static bool
removed_by(const struct grader *gr, const struct mp1_addr *m, uint32_t o)
{
	for (size_t k = 0; k < gr->n_removals; k++)
		if (gr->removals[k]->member.key == m->key &&
		    gr->removals[k]->logger.key == member_key(o))
			return true;
	return false;
}

/* The survivors that never logged a removal of m (for reasons). */
static void
who_missed(const struct grader *gr, const struct mp1_addr *m, char *buf,
           size_t cap)
{
	char addr[RUMOR_MP1_ADDR_STRLEN];
	size_t len = 0;

	buf[0] = '\0';
	for (uint32_t o = 0; o < RUMOR_MP1_MEMBERS && len < cap; o++) {
		struct mp1_addr a = {.key = member_key(o)};

		if (is_failed(gr, &a) || removed_by(gr, m, o))
			continue;
		rumor__mp1_addr_text(o, addr, sizeof(addr));
		len += (size_t)snprintf(buf + len, cap - len, "%s%s",
		                        len ? ", " : "", addr);
	}
}

static void
score_completeness(struct grader *gr, int max_each, size_t need)
{
	int n_failed =
	    gr->g->scenario == RUMOR_MP1_MULTI ? RUMOR_MP1_MULTI_FAILED : 1;
	struct rumor_mp1_block *b =
	    block(gr, "completeness", max_each * n_failed, 1);
	char missed[256];

	if (!gr->failed_known) {
		b->points = 0;
		return;
	}
	for (size_t k = 0; k < gr->n_failed; k++) {
		size_t n = count_removals_of(gr, &gr->failed[k]);

		if (n >= need)
			continue;
		b->points -= max_each;
		who_missed(gr, &gr->failed[k], missed, sizeof(missed));
		REASON(gr,
		       "completeness: %zu distinct removal line%s mention%s "
		       "the failed member %s, %zu needed%s%s",
		       n, n == 1 ? "" : "s", n == 1 ? "s" : "",
		       gr->failed[k].text, need,
		       *missed ? "; no removal of it by " : "", missed);
	}
}

/* ---- accuracy ---- */

/* A reason, or a note when accuracy is not scored (drop scenario). */
#define SAY(gr, as_note, ...)                                                  \
	add_text((gr), (as_note) ? &(gr)->g->notes : &(gr)->g->reasons,        \
	         (as_note) ? &(gr)->g->n_notes : &(gr)->g->n_reasons,          \
	         __VA_ARGS__)

/* Removal lines about members that did not fail, or by failed members. */
static size_t
false_removals(struct grader *gr, bool as_note, bool by_failed_too)
{
	size_t n = 0;

	for (size_t i = 0; i < gr->log->n; i++) {
		const struct mp1_line *l = &gr->log->lines[i];

		if (l->kind == MP1_L_BAD_REMOVE && n++ < MAX_LISTED)
			SAY(gr, as_note,
			    "accuracy: line %llu says 'removed' but is not "
			    "' ADDR [TICK] Node ADDR removed at time T'",
			    (unsigned long long)l->line_no);
	}
	for (size_t k = 0; k < gr->n_removals; k++) {
		const struct mp1_line *l = gr->removals[k];

		if (!is_failed(gr, &l->member)) {
			if (n++ < MAX_LISTED)
				SAY(gr, as_note,
				    "accuracy: line %llu: %s removed %s at "
				    "time %ld, but %s did not fail",
				    (unsigned long long)l->line_no,
				    l->logger.text, l->member.text, l->time,
				    l->member.text);
		} else if (by_failed_too &&
		           (is_failed(gr, &l->logger) || l->logger.index < 0)) {
			if (n++ < MAX_LISTED)
				SAY(gr, as_note,
				    "accuracy: line %llu: %s removed %s, but "
				    "%s is not a survivor",
				    (unsigned long long)l->line_no,
				    l->logger.text, l->member.text,
				    l->logger.text);
		}
	}
	if (n > MAX_LISTED)
		SAY(gr, as_note, "accuracy: ... and %zu more false removals",
		    n - MAX_LISTED);
	return n;
}

/* Multi: a survivor that removed a failed member at two or more times
 * (the distinct removals are sorted by logger, member, time). */
static size_t
duplicate_removals(struct grader *gr)
{
	const struct mp1_line *first = NULL;
	size_t n = 0;

	for (size_t k = 0; k < gr->n_removals; k++) {
		const struct mp1_line *a = gr->removals[k];

		if (!first || first->logger.key != a->logger.key ||
		    first->member.key != a->member.key) {
			first = a;
			continue;
		}
		if (!is_failed(gr, &a->member) || n++ >= MAX_LISTED)
			continue;
		REASON(gr,
		       "accuracy: line %llu: %s removed %s again at time %ld "
		       "(first at time %ld, line %llu)",
		       (unsigned long long)a->line_no, a->logger.text,
		       a->member.text, a->time, first->time,
		       (unsigned long long)first->line_no);
	}
	if (n > MAX_LISTED)
		REASON(gr, "accuracy: ... and %zu more repeated removals",
		       n - MAX_LISTED);
	return n;
}

static void
score_accuracy(struct grader *gr)
{
	enum rumor_mp1_scenario s = gr->g->scenario;
	bool multi = s == RUMOR_MP1_MULTI, drop = s == RUMOR_MP1_MSGDROP;
	struct rumor_mp1_block *b = block(gr, "accuracy", drop ? 0 : 10, !drop);
	size_t bad, want = (RUMOR_MP1_MEMBERS - RUMOR_MP1_MULTI_FAILED) *
	                   RUMOR_MP1_MULTI_FAILED;

	if (!gr->failed_known) {
		b->points = 0;
		return;
	}
	bad = false_removals(gr, drop, multi);
	if (multi)
		bad += duplicate_removals(gr);
	if (multi && gr->n_removals != want) {
		REASON(gr,
		       "accuracy: %zu distinct removal lines, exactly %zu "
		       "expected (one per survivor and failed member)",
		       gr->n_removals, want);
		bad++;
	}
	if (bad)
		b->points = 0;
	if (drop && !bad)
		NOTE(gr, "accuracy (not scored): no false removal");
}

/* Costs nothing under the rules, but worth saying. */
static void
note_early_removals(struct grader *gr)
{
	for (size_t k = 0; k < gr->n_removals; k++) {
		const struct mp1_line *l = gr->removals[k];

		if (is_failed(gr, &l->member) && l->time < gr->g->fail_time)
			NOTE(gr,
			     "line %llu: %s removed %s at time %ld, before it "
			     "failed (time %d)",
			     (unsigned long long)l->line_no, l->logger.text,
			     l->member.text, l->time, gr->g->fail_time);
	}
}

/* ---- the whole grade ---- */

static void
choose_scenario(struct rumor_mp1_grade *g, const struct mp1_log *log,
                enum rumor_mp1_scenario given)
{
	g->source = RUMOR_MP1_FROM_CALLER;
	g->scenario = given;
	if ((unsigned)given < RUMOR_MP1_SCENARIO_MAX)
		return;
	g->source = RUMOR_MP1_FROM_HEADER;
	g->scenario = (enum rumor_mp1_scenario)log->header_scenario;
	if (log->header_scenario >= 0)
		return;
	g->source = RUMOR_MP1_FROM_FORMAT;
	g->scenario = RUMOR_MP1_SINGLE;
	for (size_t i = 0; i < log->n; i++)
		if (log->lines[i].kind == MP1_L_FAIL_MULTI)
			g->scenario = RUMOR_MP1_MULTI;
}

static int
grade(struct rumor_mp1_grade *g, const struct mp1_log *log,
      enum rumor_mp1_scenario given)
{
	struct grader gr = {.g = g, .log = log};
	bool drop;

	memset(g, 0, sizeof(*g));
	g->fail_time = -1;
	choose_scenario(g, log, given);
	drop = g->scenario == RUMOR_MP1_MSGDROP;
	if (collect_removals(&gr))
		return RUMOR_ENOMEM;
	find_failed(&gr);
	score_join(&gr, drop ? 15 : 10);
	if (g->scenario == RUMOR_MP1_MULTI)
		score_completeness(&gr, 2, RUMOR_MP1_MULTI_FAILED);
	else
		score_completeness(&gr, drop ? 15 : 10, RUMOR_MP1_MEMBERS - 1);
	score_accuracy(&gr);
	if (gr.failed_known)
		note_early_removals(&gr);
	for (size_t i = 0; i < g->n_blocks; i++)
		if (g->blocks[i].scored) {
			g->points += g->blocks[i].points;
			g->max += g->blocks[i].max;
		}
	free(gr.removals);
	if (gr.nomem) {
		rumor_mp1_grade_free(g);
		return RUMOR_ENOMEM;
	}
	return 0;
}

int
rumor_mp1_grade_file(const char *path, enum rumor_mp1_scenario scenario,
                     struct rumor_mp1_grade *g, char *err, size_t err_cap)
{
	char why[160] = "";
	struct mp1_log log;
	FILE *f;
	int rc;

	memset(g, 0, sizeof(*g));
	if (!(f = fopen(path, "r"))) {
		if (err)
			snprintf(err, err_cap, "%s", strerror(errno));
		return RUMOR_EINVAL;
	}
	rc = rumor__mp1_log_read(f, &log, why, sizeof(why));
	fclose(f);
	if (rc) {
		if (err)
			snprintf(err, err_cap, "%s", why);
		return rc;
	}
	rc = grade(g, &log, scenario);
	rumor__mp1_log_free(&log);
	return rc;
}

void
rumor_mp1_grade_free(struct rumor_mp1_grade *g)
{
	if (!g)
		return;
	for (size_t i = 0; i < g->n_reasons; i++)
		free(g->reasons[i]);
	for (size_t i = 0; i < g->n_notes; i++)
		free(g->notes[i]);
	free(g->reasons);
	free(g->notes);
	g->reasons = g->notes = NULL;
	g->n_reasons = g->n_notes = 0;
}

static const char *const source_names[] = {
    [RUMOR_MP1_FROM_CALLER] = "as given",
    [RUMOR_MP1_FROM_HEADER] = "from the log's header",
    [RUMOR_MP1_FROM_FORMAT] = "from the failure lines' format",
};

/* The reasons that start with "name:" (the block's own). */
static void
print_reasons(const struct rumor_mp1_grade *g, const char *name, FILE *out)
{
	size_t n = strlen(name);

	for (size_t i = 0; i < g->n_reasons; i++)
		if (!strncmp(g->reasons[i], name, n) && g->reasons[i][n] == ':')
			fprintf(out, "      - %s\n", g->reasons[i] + n + 2);
}

void
rumor_mp1_grade_print(const struct rumor_mp1_grade *g, const char *name,
                      FILE *out)
{
	fprintf(out, "%s: %s (%s)", name, rumor_mp1_scenario_name(g->scenario),
	        source_names[g->source]);
	for (size_t k = 0; k < g->n_failed; k++)
		fprintf(out, "%s%s", k ? ", " : "; failed: ", g->failed[k]);
	if (g->fail_time >= 0)
		fprintf(out, " at time %d", g->fail_time);
	fputc('\n', out);
	print_reasons(g, "failure", out);
	for (size_t i = 0; i < g->n_blocks; i++) {
		const struct rumor_mp1_block *b = &g->blocks[i];

		if (b->scored)
			fprintf(out, "  %-13s %2d/%d\n", b->name, b->points,
			        b->max);
		else
			fprintf(out, "  %-13s not scored in this scenario\n",
			        b->name);
		print_reasons(g, b->name, out);
	}
	for (size_t i = 0; i < g->n_notes; i++)
		fprintf(out, "  note: %s\n", g->notes[i]);
	fprintf(out, "  %-13s %2d/%d\n", "total", g->points, g->max);
}
