/* SPDX-License-Identifier: MIT */
/*
 * The assignment's own grading script, Grader.sh, reproduced line for line
 * on the text of a dbg.log (docs/mp1.md, "The grader"): the same `grep`
 * substrings and basic regular expressions, `cut -d" "` fields, `sort -u`
 * on whole lines, and its loops with their early exits. Its quirks are
 * kept on purpose (issue 17, items 15-19): `grep $failednode` also matches
 * the logger's address, a single failure scores accuracy only with at
 * least one removal line, joins fall back to "9 others per logger", and
 * multifailure accuracy gives 2 points per failed member i whose count of
 * removal lines not naming i is exactly 20.
 */
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "mp1_internal.h"

struct lines {
	char **v;
	size_t n;
};

static void
lines_free(struct lines *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static int
lines_add(struct lines *l, const char *s, size_t len)
{
	char **p = realloc(l->v, (l->n + 1) * sizeof(*p));
	char *c = p ? malloc(len + 1) : NULL;

	if (p)
		l->v = p;
	if (!c)
		return RUMOR_ENOMEM;
	memcpy(c, s, len);
	c[len] = '\0';
	l->v[l->n++] = c;
	return 0;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* `sort -u` (C locale, whole lines). */
static void
sort_u(struct lines *l)
{
	size_t k = 0;

	if (l->n == 0) /* l->v is NULL then: qsort's argument must not be */
		return;
	qsort(l->v, l->n, sizeof(*l->v), cmp_str);
	for (size_t i = 0; i < l->n; i++) {
		if (k && strcmp(l->v[k - 1], l->v[i]) == 0) {
			free(l->v[i]);
			continue;
		}
		l->v[k++] = l->v[i];
	}
	l->n = k;
}

/* `grep PATTERN` as a basic regular expression: 1 match, 0 not, -1 when
 * the pattern does not compile (grep then prints nothing). */
static int
bre_match(const char *pattern, const char *line)
{
	regex_t re;
	int rc;

	if (regcomp(&re, pattern, REG_NOSUB) != 0)
		return -1;
	rc = regexec(&re, line, 0, NULL, 0) == 0;
	regfree(&re);
	return rc;
}

/* `cut -d" " -f<first>,<from>-<to>` (first 0: none): fields are 1-based
 * and split on every single space; a line without a space is printed
 * whole, as cut does. */
static int
cut(const char *line, int first, int from, int to, struct lines *out)
{
	char buf[1024];
	size_t len = 0;
	int field = 1, printed = 0;
	const char *start = line;

	if (!strchr(line, ' '))
		return lines_add(out, line, strlen(line));
	for (const char *p = line;; p++) {
		if (*p != ' ' && *p != '\0')
			continue;
		if (field == first || (field >= from && field <= to)) {
			size_t n = (size_t)(p - start);

			if (printed++ && len < sizeof(buf))
				buf[len++] = ' ';
			if (n > sizeof(buf) - len)
				n = sizeof(buf) - len;
			memcpy(buf + len, start, n);
			len += n;
		}
		if (*p == '\0')
			break;
		field++;
		start = p + 1;
	}
	return lines_add(out, buf, len);
}

/* The lines of text containing needle (`grep needle`, a fixed word). */
static int
grep_fixed(const struct lines *text, const char *needle, struct lines *out)
{
	for (size_t i = 0; i < text->n; i++)
		if (strstr(text->v[i], needle) &&
		    lines_add(out, text->v[i], strlen(text->v[i])))
			return RUMOR_ENOMEM;
	return 0;
}

/* `... | grep [-v] PATTERN | wc -l` */
static size_t
count_bre(const struct lines *l, const char *pattern, int invert)
{
	size_t n = 0;

	for (size_t i = 0; i < l->n; i++) {
		int m = bre_match(pattern, l->v[i]);

		if (m < 0)
			return 0;
		n += invert ? !m : m;
	}
	return n;
}

/* The join block: 1 when Grader.sh gives its points. */
static int
join_ok(const struct lines *text, int *ok)
{
	struct lines j = {0}, keys = {0}, from = {0};
	int rc = grep_fixed(text, "joined", &j), cnt = 0;

	for (size_t i = 0; !rc && i < j.n; i++)
		rc = cut(j.v[i], 2, 4, 7, &keys);
	sort_u(&keys);
	*ok = keys.n == 100;
	for (size_t i = 0; !rc && i < j.n; i++)
		rc = cut(j.v[i], 2, 0, -1, &from);
	sort_u(&from);
	for (size_t f = 0; !rc && !*ok && f < from.n; f++) {
		struct lines to = {0};
		char pat[600];
		const char *who = from.v[f];

		if (!*who || strchr(who, ' '))
			continue; /* word splitting drops it */
		snprintf(pat, sizeof(pat), "^ %s", who);
		for (size_t i = 0; !rc && i < j.n; i++)
			if (bre_match(pat, j.v[i]) == 1)
				rc = cut(j.v[i], 0, 4, 7, &to);
		for (size_t i = 0; !rc && i < to.n; i++)
			if (bre_match(who, to.v[i]) != 0) {
				free(to.v[i]);
				to.v[i] = to.v[--to.n];
				i--;
			}
		sort_u(&to);
		cnt += to.n == 9;
		lines_free(&to);
	}
	if (!*ok)
		*ok = cnt == 10;
	lines_free(&j);
	lines_free(&keys);
	lines_free(&from);
	return rc;
}

/* `grep "Node failed at time" | sort -u | awk '{print $1}'`, as words. */
static int
failed_words(const struct lines *text, struct lines *words)
{
	struct lines f = {0};
	int rc = grep_fixed(text, "Node failed at time", &f);

	sort_u(&f);
	for (size_t i = 0; !rc && i < f.n; i++) {
		const char *p = f.v[i] + strspn(f.v[i], " \t");
		size_t n = strcspn(p, " \t");

		if (n)
			rc = lines_add(words, p, n);
	}
	lines_free(&f);
	return rc;
}

static void
score(const struct lines *text, const struct lines *words,
      const struct lines *removed, enum rumor_mp1_scenario s, int pts[3])
{
	int drop = s == RUMOR_MP1_MSGDROP;

	if (s != RUMOR_MP1_MULTI) {
		/* an unquoted $failednode: no word is a grep usage error,
		 * several make the others file names: nothing counted */
		size_t fc =
		    words->n == 1 ? count_bre(removed, words->v[0], 0) : 0;
		size_t ac =
		    words->n == 1 ? count_bre(removed, words->v[0], 1) : 0;

		pts[1] = fc >= 9 ? (drop ? 15 : 10) : 0;
		pts[2] = !drop && words->n == 1 && ac == 0 && fc > 0 ? 10 : 0;
		return;
	}
	for (size_t i = 0, cnt = 0; i < words->n; i++) {
		if (count_bre(removed, words->v[i], 0) >= 5)
			pts[1] += 2;
		if (++cnt > 5)
			break;
	}
	for (size_t i = 0; i < words->n; i++) {
		if (count_bre(removed, words->v[i], 1) == 20)
			pts[2] += 2;
		if (pts[2] > 9)
			break;
	}
	(void)text;
}

int
rumor__mp1_script_grade(FILE *f, enum rumor_mp1_scenario s, int pts[3])
{
	struct lines text = {0}, words = {0}, removed = {0};
	char *buf = NULL;
	size_t cap = 0;
	ssize_t n;
	int rc = 0, join = 0;

	pts[0] = pts[1] = pts[2] = 0;
	while (!rc && (n = getline(&buf, &cap, f)) >= 0) {
		if (n > 0 && buf[n - 1] == '\n')
			n--;
		rc = lines_add(&text, buf, (size_t)n);
	}
	free(buf);
	if (!rc)
		rc = join_ok(&text, &join);
	if (!rc)
		rc = failed_words(&text, &words);
	if (!rc)
		rc = grep_fixed(&text, "removed", &removed);
	if (!rc) {
		sort_u(&removed);
		pts[0] = join ? (s == RUMOR_MP1_MSGDROP ? 15 : 10) : 0;
		score(&text, &words, &removed, s, pts);
	}
	lines_free(&text);
	lines_free(&words);
	lines_free(&removed);
	return rc;
}
