/* SPDX-License-Identifier: BSD-3-Clause */
/* libre's re_regex(), compiled once per pattern.  libre's parser (SIP
 * messages, URIs, Via, parameters) is built on re_regex, which reads its
 * pattern again at every position it tries and calls tolower() for every
 * byte of pattern and input: on a registration it was 40 % of imsbed's
 * instructions.  This is the same matcher, first match, greedy classes,
 * no backtracking, a retry from the next position on failure, the same
 * pl's written, with the pattern turned once into a list of items (a
 * byte, or a class as a 256-bit set with its counts) kept in a small
 * cache by its text.  A pattern it does not model (malformed, a
 * class of over 64 ranges, over ITEMS items) goes to libre's own, and so
 * is asked to match again while regex_selfcheck() compares the two. */

#include <dlfcn.h>
#include <string.h>
#include <re.h>
#include "host.h"

enum { ITEMS = 24, EXPR_MAX = 160, SLOTS = 509, RANGES = 64, LITS = 8 };

struct item {
	uint64_t set[4];        /* a class: the bytes it takes */
	uint32_t nmin, nmax;
	uint8_t lit;            /* a literal: the lowered byte */
	bool cls;
	bool qesc;              /* [~...]: quoted text and escapes pass */
};

struct prog {
	char expr[EXPR_MAX];
	bool used;
	uint32_t n;
	uint32_t ncls;
	uint32_t nlit;
	uint8_t litv[LITS];     /* the literals' lowered bytes, each once */
	bool fallback;
	struct item itemv[ITEMS];
};

typedef int (re_regex_f)(const char *ptr, size_t len, const char *expr,
			 ...);

static struct prog cache[SLOTS];
static bool selfcheck;
static uint32_t mismatches;


static inline uint8_t lower(uint8_t c)
{
	return c >= 'A' && c <= 'Z' ? (uint8_t)(c + 32) : c;
}


static inline bool in_set(const struct item *it, uint8_t c)
{
	return (it->set[c >> 6] >> (c & 63)) & 1;
}


static void set_class(struct item *it, const uint8_t (*r)[2], uint32_t n,
		      bool neg)
{
	unsigned c;
	uint32_t i;

	memset(it->set, 0, sizeof(it->set));
	for (c = 0; c < 256; c++) {
		bool hit = false;

		for (i = 0; i < n && !hit; i++)
			hit = c >= r[i][0] && c <= r[i][1];
		if (hit != neg)
			it->set[c >> 6] |= 1ULL << (c & 63);
	}

	/* Folded in, so that the input needs no lowering byte by byte. */
	for (c = 'A'; c <= 'Z'; c++) {
		uint8_t lc = lower((uint8_t)c);

		it->set[c >> 6] &= ~(1ULL << (c & 63));
		it->set[c >> 6] |= ((it->set[lc >> 6] >> (lc & 63)) & 1) <<
			(c & 63);
	}
}


/* The first LITS distinct literals: enough to refuse most inputs. */
static void lit_add(struct prog *pg, uint8_t c)
{
	uint32_t i;

	for (i = 0; i < pg->nlit; i++) {
		if (pg->litv[i] == c)
			return;
	}
	if (pg->nlit < LITS)
		pg->litv[pg->nlit++] = c;
}


/* The next item, or spare (and !*okp) once the pattern has too many. */
static struct item *item_new(struct prog *pg, struct item *spare,
			     bool *okp)
{
	if (pg->n < ITEMS)
		return &pg->itemv[pg->n++];

	*okp = false;
	return spare;
}


/* What follows a class: *, + or a count of 1 to 9. */
static bool count(struct item *it, uint8_t c)
{
	if (c == '*' || c == '+') {
		it->nmin = c == '+';
		it->nmax = UINT32_MAX;
		return true;
	}
	if (c >= '1' && c <= '9') {
		it->nmin = it->nmax = c - '0';
		return true;
	}

	return false;
}


/* The walk of libre's matcher over its pattern, without the input: the
 * flags move the same way, so the items are what it would match.  It
 * counts the classes libre would take a pl for even where it gives up,
 * so that a fallback passes libre no more arguments than it reads. */
static bool compile(struct prog *pg, const char *expr)
{
	uint8_t r[RANGES][2];
	bool fm = false, ec = false, neg = false, range = false;
	bool qesc = false, eesc = false, ok = true;
	uint32_t n = 0;
	const char *ep;

	pg->n = pg->ncls = pg->nlit = 0;

	for (ep = expr; *ep; ep++) {
		uint8_t c = (uint8_t)*ep;
		struct item *it, spare;

		if (c == '\\' && !eesc) {
			eesc = true;
			continue;
		}

		if (!fm) {
			if (c == '[' && !eesc) {
				n = 0;
				fm = true;
				ec = neg = range = qesc = false;
				continue;
			}
			it = item_new(pg, &spare, &ok);
			it->cls = false;
			it->lit = lower(c);
			lit_add(pg, it->lit);
			eesc = false;
			continue;
		}

		if (ec) {
			++pg->ncls;
			it = item_new(pg, &spare, &ok);
			if (!count(it, c))
				return false;
			it->cls = true;
			it->qesc = qesc;
			set_class(it, (const uint8_t (*)[2])r, n, neg);
			fm = false;
			eesc = false;
			continue;
		}

		if (eesc) {
			eesc = false;
		}
		else if (c == ']') {
			ec = true;
			continue;
		}
		else if (c == '~' && !n) {
			qesc = neg = true;
			continue;
		}
		else if (c == '^' && !n) {
			neg = true;
			continue;
		}
		else if (c == '-' && n && !range) {
			range = true;
			--n;
			continue;
		}

		if (n >= RANGES)
			return false;
		r[n][1] = lower(c);
		if (range)
			range = false;
		else
			r[n][0] = lower(c);
		++n;
	}

	/* A class left open: libre answers EINVAL, or ENOENT if the input
	 * fails before it; its own matcher says which. */
	return ok && !fm && pg->ncls <= ITEMS;
}


static uint64_t load8(const char *p, size_t n)
{
	uint64_t v = 0;

	memcpy(&v, p, MIN(n, sizeof(v)));
	return v;
}


/* By text, not by address: libre builds some patterns in a buffer on its
 * stack (msg_param_decode, one per parameter name).  The slot comes from
 * the length and three words of the text, which is then compared whole:
 * a collision costs a compile, never a wrong match. */
static struct prog *prog_get(const char *expr)
{
	size_t n = strlen(expr);
	uint64_t h;
	struct prog *pg;

	if (n >= EXPR_MAX)
		return NULL;

	h = n ^ load8(expr, n) ^ (load8(expr + n / 2, n - n / 2) << 1) ^
		(n > 8 ? load8(expr + n - 8, 8) << 2 : 0);
	h *= 0x9e3779b97f4a7c15ULL;
	pg = &cache[(h >> 32) % SLOTS];
	if (pg->used && !strcmp(pg->expr, expr))
		return pg;

	pg->used = true;
	memcpy(pg->expr, expr, n + 1);
	pg->fallback = !compile(pg, expr);

	return pg;
}


/* One class at p: how many bytes it takes, quotes stripped as libre
 * strips them; false when the count is out of bounds. */
static bool take(const struct item *it, const char **pp, size_t *lp,
		 struct pl *out)
{
	const char *p = *pp;
	size_t l = *lp;
	bool quote = false, esc = false;
	uint32_t nm = 0;

	out->p = p;
	out->l = 0;

	for (; l && nm < it->nmax; nm++, p++, l--, out->l++) {
		if (it->qesc) {
			if (esc) {
				esc = false;
				continue;
			}
			if (*p == '\\') {
				esc = true;
				continue;
			}
			if (*p == '"') {
				quote = !quote;
				continue;
			}
			if (quote)
				continue;
		}
		if (!in_set(it, (uint8_t)*p))
			break;
	}

	if (it->qesc && out->l > 1 && out->p[0] == '"' &&
	    out->p[out->l - 1] == '"') {
		out->p += 1;
		out->l -= 2;
		nm -= 2;
	}

	*pp = p;
	*lp = l;

	return nm >= it->nmin && nm <= it->nmax;
}


/* Every literal of the pattern must be somewhere in the input, or no
 * position can match: libre would try them all (a URI without '@'
 * against uri_decode's first pattern costs it a walk per byte). */
static bool literals_present(const struct prog *pg, const char *p,
			     size_t len)
{
	uint32_t i;

	for (i = 0; i < pg->nlit; i++) {
		uint8_t c = pg->litv[i];

		if (memchr(p, c, len))
			continue;
		if (c >= 'a' && c <= 'z' && memchr(p, c - 32, len))
			continue;
		return false;
	}

	return true;
}


static int match(const struct prog *pg, const char *ptr, size_t len,
		 struct pl **plv)
{
	const struct item *first = pg->n ? &pg->itemv[0] : NULL;

	if (len && !literals_present(pg, ptr, len))
		return ENOENT;

	for (;;) {
		size_t l = len;
		const char *p = ptr;
		uint32_t i, k = 0;

		/* Out of input before the pattern began: only an empty
		 * pattern matches (a lone backslash is not empty). */
		if (!l)
			return pg->expr[0] ? ENOENT : 0;

		/* A leading byte that does not match sends libre on to the
		 * next position: go there at once. */
		if (first && !first->cls) {
			while (l && lower((uint8_t)*p) != first->lit) {
				++p;
				--l;
			}
			if (!l)
				return ENOENT;
			len -= (size_t)(p - ptr);
			ptr = p;
		}

		++ptr;
		--len;

		for (i = 0; i < pg->n; i++) {
			const struct item *it = &pg->itemv[i];
			struct pl v;

			if (!it->cls) {
				if (!l)
					return ENOENT;
				if (lower((uint8_t)*p) != it->lit)
					break;
				++p;
				--l;
				continue;
			}

			if (!take(it, &p, &l, &v))
				break;
			if (plv[k])
				*plv[k] = v;
			++k;
		}

		if (i == pg->n)
			return 0;
	}
}


static re_regex_f *libre_regex(void)
{
	static re_regex_f *real;

	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "re_regex");

	return real;
}


/* libre's re_regex with the same arguments: its variadic list cannot be
 * passed on, but a pattern holds at most ITEMS classes. */
static int libre_call(const char *ptr, size_t len, const char *expr,
		      struct pl **v)
{
	return libre_regex()(ptr, len, expr, v[0], v[1], v[2], v[3], v[4],
			     v[5], v[6], v[7], v[8], v[9], v[10], v[11],
			     v[12], v[13], v[14], v[15], v[16], v[17], v[18],
			     v[19], v[20], v[21], v[22], v[23]);
}


static void compare(const char *ptr, size_t len, const char *expr,
		    const struct prog *pg, struct pl **plv, int err)
{
	struct pl mine[ITEMS], ref[ITEMS], *refv[ITEMS] = {0};
	uint32_t i;
	int rerr;

	for (i = 0; i < pg->ncls; i++) {
		mine[i] = plv[i] ? *plv[i] : pl_null;
		ref[i] = pl_null;
		refv[i] = plv[i] ? &ref[i] : NULL;
	}

	rerr = libre_call(ptr, len, expr, refv);
	if (rerr != err)
		goto differ;
	for (i = 0; !err && i < pg->ncls; i++) {
		if (refv[i] && (mine[i].p != ref[i].p ||
				mine[i].l != ref[i].l))
			goto differ;
	}
	return;

 differ:
	if (!mismatches++)
		(void)re_fprintf(stderr, "regex: '%s' on '%b': imsbed %d,"
				 " libre %d\n", expr, ptr, len, err, rerr);
}


void regex_selfcheck(bool on)
{
	selfcheck = on;
	mismatches = 0;
}


uint32_t regex_mismatches(void)
{
	return mismatches;
}


bool regex_modelled(const char *expr)
{
	const struct prog *pg = expr ? prog_get(expr) : NULL;

	return pg && !pg->fallback;
}


int re_regex(const char *ptr, size_t len, const char *expr, ...)
{
	struct pl *plv[ITEMS];
	const struct prog *pg;
	struct prog tmp;
	va_list ap;
	uint32_t i;
	int err;

	if (!ptr || !expr)
		return EINVAL;

	pg = prog_get(expr);
	if (!pg) {
		tmp.expr[0] = *expr;
		tmp.fallback = !compile(&tmp, expr);
		pg = &tmp;
	}
	if (pg->fallback) {
		/* libre reads a pl per class it reaches: never more than
		 * the pattern has, at most ITEMS in any pattern there is. */
		uint32_t n = MIN(pg->ncls, (uint32_t)ITEMS);

		va_start(ap, expr);
		for (i = 0; i < ITEMS; i++)
			plv[i] = i < n ? va_arg(ap, struct pl *) : NULL;
		va_end(ap);
		return libre_call(ptr, len, expr, plv);
	}

	va_start(ap, expr);
	for (i = 0; i < pg->ncls; i++)
		plv[i] = va_arg(ap, struct pl *);
	va_end(ap);

	err = match(pg, ptr, len, plv);
	if (selfcheck)
		compare(ptr, len, expr, pg, plv, err);

	return err;
}
