/* SPDX-License-Identifier: BSD-3-Clause */
/* How reginfo says things: the names of its states and events as the XML
 * writes them (RFC 3680), a qvalue, and the one line per contact that
 * scenario checks compare. */

#include <string.h>
#include <re.h>
#include "reginfo.h"
#include "reginfoint.h"

static const char *const doc_states[] = {"full", "partial"};
static const char *const reg_states[] = {"init", "active", "terminated"};
static const char *const ct_states[] = {"active", "terminated"};
static const char *const events[] = {
	"registered", "created", "refreshed", "shortened", "expired",
	"deactivated", "probation", "unregistered", "rejected",
};


static const char *name_of(const char *const *tab, size_t n, unsigned i)
{
	return i < n ? tab[i] : "?";
}


static int name_parse(unsigned *ix, const char *const *tab, size_t n,
		      const char *s)
{
	size_t i;

	if (!s)
		return EINVAL;

	for (i = 0; i < n; i++) {
		if (!strcmp(tab[i], s)) {
			*ix = (unsigned)i;
			return 0;
		}
	}

	return ENOENT;
}


const char *reginfo_doc_state_name(enum reginfo_doc_state st)
{
	return name_of(doc_states, ARRAY_SIZE(doc_states), st);
}


const char *reginfo_reg_state_name(enum reginfo_reg_state st)
{
	return name_of(reg_states, ARRAY_SIZE(reg_states), st);
}


const char *reginfo_ct_state_name(enum reginfo_ct_state st)
{
	return name_of(ct_states, ARRAY_SIZE(ct_states), st);
}


const char *reginfo_event_name(enum reginfo_event ev)
{
	return name_of(events, ARRAY_SIZE(events), ev);
}


/* The enums count from 0 as their tables do. */
int reginfo_doc_state_parse(enum reginfo_doc_state *st, const char *s)
{
	unsigned ix = 0;
	int err = name_parse(&ix, doc_states, ARRAY_SIZE(doc_states), s);

	if (!err && st)
		*st = ix;

	return err;
}


int reginfo_reg_state_parse(enum reginfo_reg_state *st, const char *s)
{
	unsigned ix = 0;
	int err = name_parse(&ix, reg_states, ARRAY_SIZE(reg_states), s);

	if (!err && st)
		*st = ix;

	return err;
}


int reginfo_ct_state_parse(enum reginfo_ct_state *st, const char *s)
{
	unsigned ix = 0;
	int err = name_parse(&ix, ct_states, ARRAY_SIZE(ct_states), s);

	if (!err && st)
		*st = ix;

	return err;
}


int reginfo_event_parse(enum reginfo_event *ev, const char *s)
{
	unsigned ix = 0;
	int err = name_parse(&ix, events, ARRAY_SIZE(events), s);

	if (!err && ev)
		*ev = ix;

	return err;
}


void reginfo_q_str(char *buf, size_t sz, uint16_t q)
{
	char frac[4];
	int i;

	if (q >= 1000 || q == 0) {
		(void)re_snprintf(buf, sz, "%u", q >= 1000 ? 1 : 0);
		return;
	}

	(void)re_snprintf(frac, sizeof(frac), "%03u", q);
	for (i = 2; i > 0 && frac[i] == '0'; i--)
		frac[i] = '\0';
	(void)re_snprintf(buf, sz, "0.%s", frac);
}


static int contact_print(struct re_printf *pf, const struct reginfo_reg *reg,
			 const struct reginfo_contact *ct)
{
	const char *inst = reginfo_contact_param(ct, "+sip.instance");
	char q[8];
	int err;

	err = re_hprintf(pf, "%s %s: %s %s %s", reg->aor,
			 reginfo_reg_state_name(reg->state), ct->uri,
			 reginfo_ct_state_name(ct->state),
			 reginfo_event_name(ct->event));
	if (!err && ct->has_expires)
		err = re_hprintf(pf, " expires=%u", ct->expires);
	if (!err && ct->has_q) {
		reginfo_q_str(q, sizeof(q), ct->q);
		err = re_hprintf(pf, " q=%s", q);
	}
	if (!err && ct->has_retry_after)
		err = re_hprintf(pf, " retry-after=%u", ct->retry_after);
	if (!err && ct->has_duration)
		err = re_hprintf(pf, " duration=%u", ct->duration);
	if (!err && inst)
		err = re_hprintf(pf, " instance=%s", inst);
	if (!err && ct->pub_gruu)
		err = re_hprintf(pf, " pub-gruu=%s", ct->pub_gruu);
	if (!err && ct->temp_gruu)
		err = re_hprintf(pf, " temp-gruu=%s", ct->temp_gruu);

	return err ? err : re_hprintf(pf, "\n");
}


int reginfo_print(struct re_printf *pf, const struct reginfo *ri)
{
	struct le *le, *cle;
	int err = 0;

	if (!ri)
		return 0;

	LIST_FOREACH(&ri->regl, le) {
		const struct reginfo_reg *reg = le->data;

		if (!list_head(&reg->ctl))
			err = re_hprintf(pf, "%s %s: no contact\n", reg->aor,
					 reginfo_reg_state_name(reg->state));

		LIST_FOREACH(&reg->ctl, cle) {
			if (err)
				break;
			err = contact_print(pf, reg, cle->data);
		}
		if (err)
			break;
	}

	return err;
}
