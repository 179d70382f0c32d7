/* SPDX-License-Identifier: BSD-3-Clause */
/* ifc: the iFC model and its evaluator (TS 29.228 Annex B, C).  Evaluation
 * is pure: it reads a small request view and regexes compiled at load. */

#include <string.h>
#include <strings.h>
#include <re.h>
#include "hss.h"
#include "hssint.h"


static void ifc_destructor(void *arg)
{
	struct ifc *ifc = arg;
	size_t i;

	for (i = 0; i < ifc->sptc; i++) {
		struct spt *spt = &ifc->sptv[i];

		if (spt->re_ok)
			regfree(&spt->re);
		mem_deref(spt->groupv);
		mem_deref(spt->str);
		mem_deref(spt->content);
	}

	mem_deref(ifc->sptv);
	mem_deref(ifc->groupv);
	mem_deref(ifc->as);
	mem_deref(ifc->service_info);
}


/* sptc SPT slots, zeroed so that the destructor may run on a half-filled
 * iFC when the loader fails part way. */
int ifc_alloc(struct ifc **ifcp, size_t sptc)
{
	struct ifc *ifc;
	int err = 0;

	if (!ifcp)
		return EINVAL;

	ifc = mem_zalloc(sizeof(*ifc), ifc_destructor);
	if (!ifc)
		return ENOMEM;

	if (sptc) {
		ifc->sptv = mem_zalloc(sptc * sizeof(*ifc->sptv), NULL);
		if (!ifc->sptv) {
			err = ENOMEM;
			goto out;
		}
		ifc->sptc = sptc;
	}

 out:
	if (err)
		mem_deref(ifc);
	else
		*ifcp = ifc;

	return err;
}


static bool has_group(const uint32_t *v, size_t c, uint32_t g)
{
	size_t i;

	for (i = 0; i < c; i++) {
		if (v[i] == g)
			return true;
	}

	return false;
}


/* The distinct Group numbers, ascending, so that evaluation walks groups
 * without building anything per request. */
int ifc_index_groups(struct ifc *ifc)
{
	size_t i, j, n = 0, max = 0;

	if (!ifc)
		return EINVAL;

	for (i = 0; i < ifc->sptc; i++)
		max += ifc->sptv[i].groupc;

	ifc->groupv = mem_deref(ifc->groupv);
	ifc->groupc = 0;
	if (!max)
		return 0;

	ifc->groupv = mem_zalloc(max * sizeof(*ifc->groupv), NULL);
	if (!ifc->groupv)
		return ENOMEM;

	for (i = 0; i < ifc->sptc; i++) {
		const struct spt *spt = &ifc->sptv[i];

		for (j = 0; j < spt->groupc; j++) {
			uint32_t g = spt->groupv[j];
			size_t k = n;

			if (has_group(ifc->groupv, n, g))
				continue;

			/* insertion keeps the list ascending */
			while (k > 0 && ifc->groupv[k - 1] > g) {
				ifc->groupv[k] = ifc->groupv[k - 1];
				--k;
			}
			ifc->groupv[k] = g;
			++n;
		}
	}

	ifc->groupc = n;

	return 0;
}


static void profile_destructor(void *arg)
{
	struct ifc_profile *p = arg;
	size_t i;

	for (i = 0; i < p->ifcc; i++)
		mem_deref(p->ifcv[i]);

	mem_deref(p->ifcv);
	mem_deref(p->setv);
	mem_deref(p->name);
}


/* Room for cap iFCs; the loader appends to ifcv and counts in ifcc. */
int ifc_profile_alloc(struct ifc_profile **pp, const char *name, size_t cap)
{
	struct ifc_profile *p;
	int err;

	if (!pp || !name)
		return EINVAL;

	p = mem_zalloc(sizeof(*p), profile_destructor);
	if (!p)
		return ENOMEM;

	err = str_dup(&p->name, name);
	if (err)
		goto out;

	if (cap) {
		p->ifcv = mem_zalloc(cap * sizeof(*p->ifcv), NULL);
		if (!p->ifcv) {
			err = ENOMEM;
			goto out;
		}
		p->ifcn = cap;
	}

 out:
	if (err)
		mem_deref(p);
	else
		*pp = p;

	return err;
}


int ifc_profile_append(struct ifc_profile *p, struct ifc *ifc)
{
	if (!p || !ifc)
		return EINVAL;

	if (p->ifcc == p->ifcn) {
		size_t n = p->ifcn ? 2 * p->ifcn : 4;
		/* libre's mem_realloc takes no NULL */
		struct ifc **v = p->ifcv ?
			mem_realloc(p->ifcv, n * sizeof(*v)) :
			mem_alloc(n * sizeof(*v), NULL);

		if (!v)
			return ENOMEM;
		p->ifcv = v;
		p->ifcn = n;
	}

	p->ifcv[p->ifcc++] = mem_ref(ifc);

	return 0;
}


/* TS 29.228 B.2.2: a lower Priority value is checked first.  Insertion
 * sort is stable, so iFCs of equal priority keep the order written. */
void ifc_profile_sort(struct ifc_profile *p)
{
	size_t i, j;

	if (!p)
		return;

	for (i = 1; i < p->ifcc; i++) {
		struct ifc *ifc = p->ifcv[i];

		for (j = i; j > 0 && p->ifcv[j - 1]->priority > ifc->priority;
		     j--)
			p->ifcv[j] = p->ifcv[j - 1];

		p->ifcv[j] = ifc;
	}
}


const char *spt_type_name(enum spt_type t)
{
	switch (t) {

	case SPT_METHOD:       return "method";
	case SPT_REQUEST_URI:  return "request_uri";
	case SPT_HEADER:       return "header";
	case SPT_SESSION_CASE: return "session_case";
	case SPT_SDP:          return "sdp";
	default:               return "?";
	}
}


const char *ifc_case_name(enum ifc_case c)
{
	switch (c) {

	case IFC_ORIG:       return "originating";
	case IFC_TERM_REG:   return "terminating_registered";
	case IFC_TERM_UNREG: return "terminating_unregistered";
	case IFC_ORIG_UNREG: return "originating_unregistered";
	case IFC_ORIG_CDIV:  return "originating_cdiv";
	default:             return "?";
	}
}


const char *ifc_reg_name(enum ifc_reg r)
{
	switch (r) {

	case IFC_REG_INITIAL: return "initial";
	case IFC_REG_RE:      return "re-registration";
	case IFC_REG_DE:      return "de-registration";
	default:              return "?";
	}
}


const char *ifc_part_name(enum ifc_part part)
{
	switch (part) {

	case IFC_PART_REG:   return "registered";
	case IFC_PART_UNREG: return "unregistered";
	default:             return "?";
	}
}


static bool rx_match(const regex_t *re, const char *s)
{
	return regexec(re, s ? s : "", 0, NULL, 0) == 0;
}


/* A header SPT matches when any header of that name matches, so that a
 * request carrying the header twice is judged on each copy. */
static bool header_match(const struct spt *spt, const struct ifc_req *req)
{
	size_t i;

	for (i = 0; i < req->hdrc; i++) {
		const struct ifc_hdr *h = &req->hdrv[i];

		if (!h->name || strcasecmp(h->name, spt->str))
			continue;

		if (!spt->re_ok || rx_match(&spt->re, h->value))
			return true;
	}

	return false;
}


/* SessionDescription: any SDP line of type Line whose value matches.  The
 * regex runs on the value in place (REG_STARTEND) so that evaluation never
 * copies or allocates. */
static bool sdp_match(const struct spt *spt, const char *sdp)
{
	const char *p = sdp;

	while (p && *p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		size_t vlen;
		regmatch_t m;

		if (len > 0 && p[len - 1] == '\r')
			--len;

		if (len < 2 || p[1] != '=' || p[0] != spt->str[0])
			goto next;

		if (!spt->re_ok)
			return true;

		vlen = len - 2;
		m.rm_so = 0;
		m.rm_eo = (regoff_t)vlen;
		if (regexec(&spt->re, p + 2, 1, &m, REG_STARTEND) == 0)
			return true;

	next:
		p = nl ? nl + 1 : NULL;
	}

	return false;
}


static bool spt_match(const struct spt *spt, const struct ifc_req *req)
{
	bool r = false;

	switch (spt->type) {

	case SPT_METHOD:
		r = req->method && !strcmp(req->method, spt->str);
		/* B.2.2: RegistrationType narrows a REGISTER SPT to those
		 * kinds; a REGISTER of unknown kind matches as before */
		if (r && spt->regtypes && req->reg != IFC_REG_NONE)
			r = (spt->regtypes & (1u << req->reg)) != 0;
		break;

	case SPT_REQUEST_URI:
		r = req->ruri && rx_match(&spt->re, req->ruri);
		break;

	case SPT_HEADER:
		r = header_match(spt, req);
		break;

	case SPT_SESSION_CASE:
		r = req->scase == spt->scase;
		break;

	case SPT_SDP:
		r = sdp_match(spt, req->sdp);
		break;
	}

	return spt->negated ? !r : r;
}


/* B.2.2 ProfilePartIndicator against the session case, which says
 * whether the served user is registered. */
static bool part_match(enum ifc_part part, enum ifc_case scase)
{
	bool unreg = scase == IFC_TERM_UNREG || scase == IFC_ORIG_UNREG;

	switch (part) {

	case IFC_PART_REG:   return !unreg;
	case IFC_PART_UNREG: return unreg;
	default:             return true;
	}
}


/* TS 29.228 Annex C: CNF is an AND of groups, each an OR of its SPTs; DNF
 * is an OR of groups, each an AND.  An SPT in several groups counts in
 * each of them. */
bool ifc_match(const struct ifc *ifc, const struct ifc_req *req)
{
	size_t i, j;

	if (!ifc || !req)
		return false;

	if (!part_match(ifc->part, req->scase))
		return false;

	/* B.2.2: an iFC without a TriggerPoint always applies */
	if (!ifc->sptc)
		return true;

	for (i = 0; i < ifc->groupc; i++) {
		uint32_t g = ifc->groupv[i];
		bool r = !ifc->cnf;

		for (j = 0; j < ifc->sptc; j++) {
			const struct spt *spt = &ifc->sptv[j];

			if (!has_group(spt->groupv, spt->groupc, g))
				continue;

			if (spt_match(spt, req) == ifc->cnf) {
				r = ifc->cnf;
				break;
			}
		}

		if (r != ifc->cnf)
			return r;
	}

	return ifc->cnf;
}


const char *ifc_as(const struct ifc *ifc)
{
	return ifc ? ifc->as : NULL;
}


enum ifc_dh ifc_default_handling(const struct ifc *ifc)
{
	return ifc ? ifc->dh : IFC_DH_CONTINUE;
}


const char *ifc_service_info(const struct ifc *ifc)
{
	return ifc ? ifc->service_info : NULL;
}


int32_t ifc_priority(const struct ifc *ifc)
{
	return ifc ? ifc->priority : 0;
}


const struct ifc *ifc_profile_next(const struct ifc_profile *p,
				   const struct ifc_req *req, size_t *idx)
{
	size_t i;

	if (!p || !req || !idx)
		return NULL;

	for (i = *idx; i < p->ifcc; i++) {
		if (ifc_match(p->ifcv[i], req)) {
			*idx = i + 1;
			return p->ifcv[i];
		}
	}

	if (*idx < p->ifcc)
		*idx = p->ifcc;

	return NULL;
}


size_t ifc_profile_count(const struct ifc_profile *p)
{
	return p ? p->ifcc : 0;
}


const char *ifc_profile_name(const struct ifc_profile *p)
{
	return p ? p->name : NULL;
}


size_t ifc_profile_sets(const struct ifc_profile *p, const uint32_t **idv)
{
	if (idv)
		*idv = p ? p->setv : NULL;

	return p ? p->setc : 0;
}
