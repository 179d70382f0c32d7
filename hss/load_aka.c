/* SPDX-License-Identifier: BSD-3-Clause */
/* A subscriber's authentication as the topology gives it: the schemes
 * the HSS offers (digest, aka, aka-v2; the first is its choice when the
 * S-CSCF does not ask for one), and for AKA the key material of the
 * USIM (TS 33.102, TS 35.206): K, OP or OPc, AMF and the first SQN. */

#include <string.h>
#include <re.h>
#include "yml.h"
#include "aka.h"
#include "hss.h"
#include "hssint.h"
#include "loadint.h"


static int auth_scheme(struct subdef *d, const struct yml *y,
		       const yml_node *n, char *err, size_t sz)
{
	static const char *const names[] = {"digest", "aka", "aka-v2"};
	const char *v = yml_str(n);
	size_t i;

	for (i = 0; v && i < ARRAY_SIZE(names); i++) {
		if (!strcmp(v, names[i]))
			break;
	}
	if (!v || i == ARRAY_SIZE(names))
		return yml_err(y, n, err, sz, "%s.auth: '%s' is none of"
			       " digest, aka, aka-v2", d->what, v ? v : "");
	if (d->schemes & (1u << i))
		return yml_err(y, n, err, sz, "%s.auth: '%s' twice", d->what,
			       v);

	d->schemes |= 1u << i;
	(void)re_snprintf(d->auth + strlen(d->auth),
			  sizeof(d->auth) - strlen(d->auth), "%s%s",
			  d->auth[0] ? "," : "", v);
	d->aka |= i > 0;

	return 0;
}


/* auth (a scheme or a list, the HSS's preference first), and for AKA
 * k, exactly one of op and opc, amf and the starting sqn.  Without auth,
 * a subscriber with k uses aka, one without uses digest. */
int auth_load(struct subdef *d, const struct yml *y,
		     const yml_node *n, char *err, size_t sz)
{
	const yml_node *an = yml_get(y, n, "auth"), *sn;
	char path[PATH_LEN], why[160];
	struct aka_key key;
	size_t i;
	int e = 0;

	d->k_n = yml_get(y, n, "k");
	d->op_n = yml_get(y, n, "op");
	d->opc_n = yml_get(y, n, "opc");
	d->amf_n = yml_get(y, n, "amf");
	d->op = yml_str(d->op_n);
	d->opc = yml_str(d->opc_n);
	d->amf = yml_str(d->amf_n);

	for (i = 0; an && i < (yml_is_seq(an) ? yml_count(an) : 1) && !e;
	     i++)
		e = auth_scheme(d, y, yml_is_seq(an) ? yml_item(y, an, i) :
				an, err, sz);
	if (e)
		return e;
	if (!an) {
		/* the default: what the key material says */
		str_ncpy(d->auth, d->k_n ? "aka" : "digest", sizeof(d->auth));
		d->aka = d->k_n != NULL;
	}

	if (strstr(d->auth, "digest") && !d->pass_n)
		return yml_err(y, n, err, sz, "%s: missing 'password' (auth"
			       " %s)", d->what, d->auth);
	if (!d->aka) {
		if (d->k_n || d->op_n || d->opc_n)
			return yml_err(y, d->k_n ? d->k_n : d->op_n ?
				       d->op_n : d->opc_n, err, sz,
				       "%s: AKA keys for auth %s", d->what,
				       d->auth);
		return 0;
	}

	if (!d->k_n || !d->op == !d->opc)
		return yml_err(y, d->k_n ? (d->op_n ? d->op_n : d->k_n) : n,
			       err, sz, "%s: auth %s needs k and exactly one"
			       " of op and opc", d->what, d->auth);

	(void)re_snprintf(path, sizeof(path), "%s.k", d->what);
	e = tmpl_parse(&d->k, y, d->k_n, path, d->count, false, err, sz);
	if (e)
		return e;

	/* op, opc and amf are checked once here, k for each user */
	if (aka_key_parse(&key, "00000000000000000000000000000000", d->op,
			  d->opc, d->amf, why, sizeof(why)))
		return yml_err(y, d->op_n ? d->op_n : d->opc_n ? d->opc_n :
			       d->amf_n, err, sz, "%s: %s", d->what, why);

	sn = yml_get(y, n, "sqn");
	if (sn && aka_sqn_parse(&d->sqn, yml_str(sn)))
		return yml_err(y, sn, err, sz, "%s.sqn: '%s' is not a 48-bit"
			       " number (decimal, or hex after 0x)", d->what,
			       yml_str(sn) ? yml_str(sn) : "");

	return 0;
}


/* User idx's key material: K from its template, OPc from OP and K. */
int aka_store(struct hss_aka *aka, const struct subdef *d,
		     uint32_t idx, const struct yml *y, char *err, size_t sz)
{
	char kbuf[HSS_ID_MAX], path[PATH_LEN], why[160];
	int e;

	memset(aka, 0, sizeof(*aka));
	aka->auth = d->auth;
	aka->sqn = d->sqn;
	if (!d->aka)
		return 0;

	(void)re_snprintf(path, sizeof(path), "%s.k", d->what);
	e = tmpl_expand(kbuf, &d->k, idx, y, d->k_n, path, err, sz);
	if (e)
		return e;

	e = aka_key_parse(&aka->key, kbuf, d->op, d->opc, d->amf, why,
			  sizeof(why));
	if (e)
		return yml_err(y, d->k_n, err, sz, "%s: %s", d->what, why);
	aka->has_key = true;

	return 0;
}
