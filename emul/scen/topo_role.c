/* SPDX-License-Identifier: BSD-3-Clause */
/* What runs on each node of the topology: a P-, I- or S-CSCF with its
 * registration limits, an AS with its GM, IM and PS modules, or a UE
 * with its subscriber's credentials. */

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <re.h>
#include "yml.h"
#include "host.h"
#include "sipkit.h"
#include "report.h"
#include "scen.h"
#include "hss.h"
#include "cscf.h"
#include "as.h"
#include "aka.h"
#include "ue.h"
#include "engine.h"


/* The subscriber entry with this IMPI (templates are not matched). */
static yml_node *subscriber(const struct yml *y, const yml_node *root,
			    const char *impi)
{
	yml_node *subs = yml_get(y, root, "subscribers");
	size_t i;

	for (i = 0; i < yml_count(subs); i++) {
		yml_node *s = yml_item(y, subs, i);

		if (!str_cmp(yml_str(yml_get(y, s, "impi")), impi))
			return s;
	}

	return NULL;
}


/* A UE's credentials, as its SIM would carry them: from the subscriber
 * entry with its IMPI, unless the node gives them. */
static int ue_creds(const struct yml *y, const yml_node *root,
		    const char *impi, const char **impu, const char **pw)
{
	yml_node *s = subscriber(y, root, impi);
	yml_node *u = yml_get(y, s, "impu");

	if (!s)
		return ENOENT;

	if (!*pw)
		*pw = yml_str(yml_get(y, s, "password"));
	if (!*impu)
		*impu = yml_is_seq(u) ? yml_str(yml_item(y, u, 0)) :
			yml_str(u);

	return 0;
}


/* The USIM's K, OP or OPc and AMF: the subscriber's (the same entry the
 * HSS loads), each replaced by the UE node's where it gives one, so
 * that a topology can make a USIM that does not match its HSS.  The
 * node's sqn is the SQN the USIM last accepted (0). */
static int ue_usim(struct ue *ue, const struct yml *y, const yml_node *nn,
		   const yml_node *root, const char *impi, char *err,
		   size_t sz)
{
	static const char *const keys[] = {"k", "op", "opc", "amf"};
	const yml_node *s = subscriber(y, root, impi);
	const char *v[ARRAY_SIZE(keys)];
	const yml_node *sn = yml_get(y, nn, "sqn");
	struct aka_key key;
	uint64_t sqn = 0;
	char why[160];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(keys); i++) {
		const yml_node *kn = yml_get(y, nn, keys[i]);

		v[i] = yml_str(kn ? kn : yml_get(y, s, keys[i]));
	}
	/* the node's op stands in for the subscriber's opc, and back */
	if (yml_get(y, nn, "op") && !yml_get(y, nn, "opc"))
		v[2] = NULL;
	if (yml_get(y, nn, "opc") && !yml_get(y, nn, "op"))
		v[1] = NULL;

	if (!v[0])
		return sn ? yml_err(y, sn, err, sz, "ue: sqn without a USIM"
				    " key (k)") : 0;

	if (aka_key_parse(&key, v[0], v[1], v[2], v[3], why, sizeof(why)))
		return yml_err(y, nn, err, sz, "ue %s: %s", impi, why);
	if (sn && aka_sqn_parse(&sqn, yml_str(sn)))
		return yml_err(y, sn, err, sz, "ue: sqn '%s' is not a 48-bit"
			       " number (decimal, or hex after 0x)",
			       yml_str(sn) ? yml_str(sn) : "");

	return ue_set_usim(ue, &key, sqn);
}


/* An AS's GM, IM and PS modules: on the AS's own address, ports 8081 to
 * 8083, unless 'modules:' says otherwise ({gm: "ip:port", ...}, or
 * {gm: {addr: "ip:port", down: true}} for one that does not listen). */
static int as_modules(struct as_cfg *cfg, struct topo *t, struct node *n,
		      const struct yml *y, const yml_node *nn, char *err,
		      size_t sz)
{
	static const char *const names[] = {"gm", "im", "ps", NULL};
	static const char *const mkeys[] = {"addr", "down", NULL};
	yml_node *mods = yml_get(y, nn, "modules");
	size_t i;

	memset(cfg, 0, sizeof(*cfg));
	cfg->db = t->appdb;

	if (yml_get(y, nn, "ring_timeout")) {
		double secs;

		if (yml_double(y, yml_get(y, nn, "ring_timeout"),
			       "ring_timeout", &secs, err, sz))
			return EINVAL;
		/* held in milliseconds of 32 bits */
		if (secs > RING_MAX_S)
			return yml_err(y, yml_get(y, nn, "ring_timeout"), err,
				       sz, "ring_timeout must be at most %u "
				       "seconds", RING_MAX_S);
		cfg->ring_ms = (uint32_t)(secs * 1000);
	}

	if (mods && yml_check_keys(y, mods, names, "modules", err, sz))
		return EINVAL;

	for (i = 0; i < 3; i++) {
		yml_node *m = yml_get(y, mods, names[i]);
		yml_node *a = yml_is_map(m) ? yml_get(y, m, "addr") : m;

		cfg->mods[i] = *node_addr(n);
		sa_set_port(&cfg->mods[i], (uint16_t)(8081 + i));

		if (yml_is_map(m)) {
			if (yml_check_keys(y, m, mkeys, "module", err, sz))
				return EINVAL;
			if (yml_get(y, m, "down") &&
			    yml_bool(y, yml_get(y, m, "down"), "down",
				     &cfg->mod_down[i], err, sz))
				return EINVAL;
		}

		if (!a)
			continue;

		if (topo_addr(y, a, "module address", 0, &cfg->mods[i],
			      err, sz))
			return EINVAL;
		if (!sa_port(&cfg->mods[i]) ||
		    !netguard_allowed(&cfg->mods[i]))
			return yml_err(y, a, err, sz, "module %s: bad address"
				       " '%s' (want a loopback ip:port)",
				       names[i], yml_str(a));
	}

	return 0;
}


/* min_expires and max_expires: the registrar's limits (S-CSCF), also
 * read by the other CSCFs. */
static int cscf_cfg_load(struct cscf_cfg *cfg, const struct yml *y,
			 const yml_node *nn, char *err, size_t sz)
{
	uint32_t v;

	memset(cfg, 0, sizeof(*cfg));
	if (yml_get(y, nn, "min_expires")) {
		if (yml_uint(y, yml_get(y, nn, "min_expires"), "min_expires",
			     &v, err, sz))
			return EINVAL;
		cfg->reg_min_expires = v;
	}
	if (yml_get(y, nn, "max_expires")) {
		if (yml_uint(y, yml_get(y, nn, "max_expires"), "max_expires",
			     &v, err, sz))
			return EINVAL;
		cfg->reg_max_expires = v;
	}
	if (yml_get(y, nn, "vectors")) {
		if (yml_uint(y, yml_get(y, nn, "vectors"), "vectors", &v, err,
			     sz))
			return EINVAL;
		if (v < 1 || v > CX_VECTORS)
			return yml_err(y, yml_get(y, nn, "vectors"), err, sz,
				       "vectors must be 1 to %u", CX_VECTORS);
		cfg->vectors = v;
	}
	if (yml_get(y, nn, "reg_event") &&
	    yml_bool(y, yml_get(y, nn, "reg_event"), "reg_event",
		     &cfg->reg_event, err, sz))
		return EINVAL;
	if (cfg->reg_min_expires && cfg->reg_max_expires &&
	    cfg->reg_min_expires > cfg->reg_max_expires)
		return yml_err(y, yml_get(y, nn, "min_expires"), err, sz,
			       "min_expires %u is above max_expires %u",
			       cfg->reg_min_expires, cfg->reg_max_expires);

	return 0;
}


/* q as RFC 3261 25.1 writes it, 0 to 1 with three decimals at most. */
static int q_thousandths(const char *s, int *q)
{
	char *end = NULL;
	double v;
	const char *dot = strchr(s, '.');

	v = strtod(s, &end);
	if (!*s || *end || v < 0 || v > 1 || (dot && strlen(dot + 1) > 3))
		return EINVAL;

	*q = (int)(v * 1000 + 0.5);
	return 0;
}


/* The Contact's instance, reg_id, q and gruu (RFC 5626, 5627). */
static int ue_contact_load(struct ue *ue, const struct yml *y,
			   const yml_node *nn, char *err, size_t sz)
{
	struct ue_contact_cfg cfg = {NULL, 0, -1, false};
	const yml_node *v;

	if (!yml_get(y, nn, "instance") && !yml_get(y, nn, "reg_id") &&
	    !yml_get(y, nn, "q") && !yml_get(y, nn, "gruu"))
		return 0;

	v = yml_get(y, nn, "instance");
	if (v && yml_scalar(y, v, "instance", &cfg.instance, err, sz))
		return EINVAL;
	if (cfg.instance && strcmp(cfg.instance, "auto") &&
	    strncasecmp(cfg.instance, "urn:", 4))
		return yml_err(y, v, err, sz, "ue: instance is a URN"
			       " (urn:uuid:...) or auto");
	v = yml_get(y, nn, "reg_id");
	if (v && (yml_uint(y, v, "reg_id", &cfg.reg_id, err, sz) ||
		  !cfg.reg_id))
		return yml_err(y, v, err, sz, "ue: reg_id is 1 or more");
	v = yml_get(y, nn, "q");
	if (v && q_thousandths(yml_str(v) ? yml_str(v) : "", &cfg.q))
		return yml_err(y, v, err, sz, "ue: q is 0 to 1, three"
			       " decimals at most");
	v = yml_get(y, nn, "gruu");
	if (v && yml_bool(y, v, "gruu", &cfg.gruu, err, sz))
		return EINVAL;

	if ((cfg.reg_id || cfg.gruu) && !cfg.instance)
		return yml_err(y, nn, err, sz, "ue: reg_id and gruu need an"
			       " instance");

	return ue_set_contact(ue, &cfg);
}


/* A UE: impi names its subscriber; impu, password and pcscf may be
 * given, else they come from the subscriber and the first P-CSCF. */
static int make_ue(struct topo *t, struct node *n, const struct yml *y,
		   const yml_node *nn, const yml_node *root, char *err,
		   size_t sz)
{
	const char *impi = NULL, *impu = NULL, *pw = NULL;
	const char *pname = NULL;
	struct ue *ue = NULL;
	struct node *p;
	int e;

	if (yml_scalar(y, yml_get(y, nn, "impi"), "ue impi", &impi, err, sz))
		return yml_err(y, nn, err, sz,
			       "ue '%s' needs impi: its subscriber",
			       node_name(n));
	if (yml_get(y, nn, "impu") &&
	    yml_scalar(y, yml_get(y, nn, "impu"), "impu", &impu, err, sz))
		return EINVAL;
	if (yml_get(y, nn, "password") &&
	    yml_scalar(y, yml_get(y, nn, "password"), "password", &pw, err,
		       sz))
		return EINVAL;
	if (yml_get(y, nn, "pcscf") &&
	    yml_scalar(y, yml_get(y, nn, "pcscf"), "pcscf", &pname, err, sz))
		return EINVAL;

	(void)ue_creds(y, root, impi, &impu, &pw);
	/* an AKA-only subscriber has no password to give */
	if (impu && !pw && (yml_get(y, nn, "k") ||
			    yml_get(y, subscriber(y, root, impi), "k")))
		pw = "";
	if (!impu || !pw)
		return yml_err(y, yml_get(y, nn, "impi"), err, sz,
			       "ue '%s': no subscriber with impi '%s'"
			       " (and no impu/password given)",
			       node_name(n), impi);

	p = pname ? emul_node(pname) : emul_node_by_role(ROLE_PCSCF);
	if (!p || node_role(p) != ROLE_PCSCF)
		return yml_err(y, nn, err, sz, "ue '%s': unknown P-CSCF '%s'",
			       node_name(n), pname ? pname : "");

	e = ue_alloc(&ue, n, p, impu, impi, pw);
	if (e)
		return yml_err(y, nn, err, sz, "node '%s': cannot start: %m",
			       node_name(n), e);

	e = ue_usim(ue, y, nn, root, impi, err, sz);
	if (!e)
		e = ue_contact_load(ue, y, nn, err, sz);
	if (!e && yml_get(y, nn, "sec_agree")) {
		bool on = false;

		e = yml_bool(y, yml_get(y, nn, "sec_agree"), "sec_agree", &on,
			     err, sz);
		if (!e)
			e = ue_set_sec_agree(ue, on);
	}
	if (!e && yml_get(y, nn, "reg_event")) {
		bool on = false;

		e = yml_bool(y, yml_get(y, nn, "reg_event"), "reg_event", &on,
			     err, sz);
		if (!e)
			e = ue_set_reg_event(ue, on);
	}
	if (!e && yml_get(y, nn, "aka_answer") &&
	    ue_set_aka_answer(ue, yml_str(yml_get(y, nn, "aka_answer"))))
		e = yml_err(y, yml_get(y, nn, "aka_answer"), err, sz,
			    "ue: aka_answer is AKAv1-MD5 or AKAv2-MD5");
	if (e) {
		mem_deref(ue);
		return e;
	}

	return topo_keep(&t->ues, ue, node_name(n));
}


static int make_as(struct topo *t, struct node *n, const struct yml *y,
		   const yml_node *nn, char *err, size_t sz)
{
	struct as_cfg acfg;
	struct as *as = NULL;
	int e;

	e = as_modules(&acfg, t, n, y, nn, err, sz);
	if (e)
		return e;

	e = as_alloc(&as, n, &acfg);
	if (e)
		return yml_err(y, nn, err, sz, "node '%s': cannot start: %m",
			       node_name(n), e);
	e = topo_diversion(as, y, nn, node_name(n), err, sz);
	if (e) {
		mem_deref(as);
		return e;
	}

	return topo_keep(&t->ases, as, node_name(n));
}


/* capabilities: [1, 2], an S-CSCF's numbers in the I-CSCF's table (TS
 * 29.228 6.1.1.1: the operator gives each capability its value); no
 * other role has them. */
static int scscf_caps(struct cscf_scscf *s, const struct yml *y,
		      const yml_node *nn, char *err, size_t sz)
{
	const yml_node *cn = yml_get(y, nn, "capabilities");
	enum node_role role;
	char what[96];

	memset(s, 0, sizeof(*s));
	str_ncpy(s->name, yml_str(yml_get(y, nn, "name")), sizeof(s->name));
	if (!cn)
		return 0;

	if (node_role_decode(&role, yml_str(yml_get(y, nn, "role"))) ||
	    role != ROLE_SCSCF)
		return yml_err(y, cn, err, sz, "node '%s': capabilities: only"
			       " an scscf node has them", s->name);

	(void)re_snprintf(what, sizeof(what), "node '%s': capabilities",
			  s->name);

	return yml_uints(y, cn, what, s->capv, CX_CAPS_MAX, &s->capc, err,
			 sz);
}


/* The I-CSCF's table: every scscf node of the file in its order, read
 * from the YAML since the I-CSCF may come before them. */
static int scscf_table(struct cscf_cfg *cfg, const struct yml *y,
		       const yml_node *root, char *err, size_t sz)
{
	const yml_node *nodes = yml_get(y, root, "nodes");
	size_t i;
	int e;

	cfg->scscfv = mem_zalloc(yml_count(nodes) * sizeof(*cfg->scscfv),
				 NULL);
	if (!cfg->scscfv)
		return ENOMEM;

	for (i = 0; i < yml_count(nodes); i++) {
		const yml_node *nn = yml_item(y, nodes, i);
		enum node_role role;

		if (node_role_decode(&role, yml_str(yml_get(y, nn, "role")))
		    || role != ROLE_SCSCF)
			continue;

		e = scscf_caps(&cfg->scscfv[cfg->scscfc++], y, nn, err, sz);
		if (e)
			return e;
	}

	return 0;
}


int topo_make_role(struct topo *t, struct node *n, const struct yml *y,
		   const yml_node *nn, const yml_node *root, char *err,
		   size_t sz)
{
	struct cscf_scscf own;
	struct cscf_cfg cfg;
	void *obj = NULL;
	int e = 0;

	/* An AS reads its own diversion rules; no other role has any. */
	if (node_role(n) != ROLE_AS &&
	    topo_diversion(NULL, y, nn, node_name(n), err, sz))
		return EINVAL;

	/* Read for every role, as the limits always were. */
	e = cscf_cfg_load(&cfg, y, nn, err, sz);
	if (!e)
		e = scscf_caps(&own, y, nn, err, sz);
	if (!e && node_role(n) == ROLE_ICSCF)
		e = scscf_table(&cfg, y, root, err, sz);
	if (e) {
		mem_deref(cfg.scscfv);
		return e;
	}

	switch (node_role(n)) {

	case ROLE_PCSCF:
		e = pcscf_alloc((struct pcscf **)&obj, n, &cfg);
		break;

	case ROLE_ICSCF:
		e = icscf_alloc((struct icscf **)&obj, n, &cfg);
		mem_deref(cfg.scscfv);
		break;

	case ROLE_SCSCF:
		e = scscf_alloc((struct scscf **)&obj, n, &cfg);
		break;

	case ROLE_AS:
		return make_as(t, n, y, nn, err, sz);

	case ROLE_UE:
		return make_ue(t, n, y, nn, root, err, sz);

	default:
		break;
	}

	if (e)
		return yml_err(y, nn, err, sz, "node '%s': cannot start: %m",
			       node_name(n), e);

	/* an S-CSCF by its name, for the steps that act on one */
	return obj ? topo_keep(&t->roles, obj, node_role(n) == ROLE_SCSCF ?
			       node_name(n) : NULL) : 0;
}
