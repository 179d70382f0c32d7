/* SPDX-License-Identifier: BSD-3-Clause */
/* icscf_select: the I-CSCF's choice of S-CSCF for a user that has none
 * (TS 29.228 6.1.1.1, TS 29.229 6.3.4), pure so that a table of cases
 * tests it without a network. */

#include <strings.h>
#include <re.h>
#include "cscf.h"


static bool has_cap(const struct cscf_scscf *s, uint32_t cap)
{
	size_t i;

	for (i = 0; i < s->capc; i++) {
		if (s->capv[i] == cap)
			return true;
	}

	return false;
}


static bool named(const struct cx_caps *want, const struct cscf_scscf *s)
{
	size_t i;

	if (!want->serverc)
		return true;

	/* node names are host labels: case does not count */
	for (i = 0; i < want->serverc; i++) {
		if (!strcasecmp(want->serverv[i], s->name))
			return true;
	}

	return false;
}


/* How well s fits: -1 when a mandatory capability is missing, else the
 * number of optional ones it has. */
static int fit(const struct cx_caps *want, const struct cscf_scscf *s)
{
	size_t i;
	int score = 0;

	if (!named(want, s))
		return -1;

	for (i = 0; i < want->mandc; i++) {
		if (!has_cap(s, want->mandv[i]))
			return -1;
	}

	for (i = 0; i < want->optc; i++)
		score += has_cap(s, want->optv[i]);

	return score;
}


int icscf_select(size_t *idxp, const struct cx_caps *want,
		 const struct cscf_scscf *v, size_t n)
{
	static const struct cx_caps none;
	int best = -1;
	size_t i;

	if (!idxp || (!v && n))
		return EINVAL;

	if (!want)
		want = &none;

	/* strictly better only: the earlier of equals stays */
	for (i = 0; i < n; i++) {
		int score = fit(want, &v[i]);

		if (score > best) {
			best = score;
			*idxp = i;
		}
	}

	return best < 0 ? ENOENT : 0;
}
