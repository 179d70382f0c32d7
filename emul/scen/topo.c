/* SPDX-License-Identifier: BSD-3-Clause */
/* The topology: home domain, nodes (each on its own loopback address
 * unless the YAML gives one), HSSs with their subscribers and iFCs, and
 * the UEs' credentials.  Every error names file:line:column. */

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <re.h>
#include "yml.h"
#include "hss.h"
#include "host.h"
#include "sipkit.h"
#include "report.h"
#include "scen.h"
#include "cscf.h"
#include "as.h"
#include "ue.h"

struct topo {
	struct list roles;      /* role objects, released before nodes */
	struct list nodes;
	struct list ues;
	struct list ases;
	struct appdb *appdb;    /* the cloud database every AS shares */
};

struct ent {
	struct le le;
	void *obj;
	char *name;
};


static void ent_destructor(void *arg)
{
	struct ent *e = arg;

	list_unlink(&e->le);
	mem_deref(e->obj);
	mem_deref(e->name);
}


static void topo_destructor(void *arg)
{
	struct topo *t = arg;

	list_flush(&t->ues);
	list_flush(&t->ases);
	list_flush(&t->roles);
	list_flush(&t->nodes);
	mem_deref(t->appdb);
	slf_flush();
	emul_peer_flush();
	emul_flush();
}


static int keep(struct list *l, void *obj, const char *name)
{
	struct ent *e = mem_zalloc(sizeof(*e), ent_destructor);

	if (!e) {
		mem_deref(obj);
		return ENOMEM;
	}

	e->obj = obj;
	list_append(l, &e->le, e);

	return name ? str_dup(&e->name, name) : 0;
}


struct as *topo_as(const struct topo *t, const char *name)
{
	struct le *le;

	for (le = t ? t->ases.head : NULL; le; le = le->next) {
		struct ent *e = le->data;

		if (!str_cmp(e->name, name))
			return e->obj;
	}

	return NULL;
}


struct ue *topo_ue(const struct topo *t, const char *name)
{
	struct le *le;

	for (le = t ? t->ues.head : NULL; le; le = le->next) {
		struct ent *e = le->data;

		if (!str_cmp(e->name, name))
			return e->obj;
	}

	return NULL;
}


/* A UE made by a program rather than the YAML: the benchmark's, on a
 * node the caller made (and owns). */
int topo_ue_add(struct topo *t, struct ue **uep, struct node *n,
		const char *impi, const char *impu, const char *password)
{
	struct node *p = emul_node_by_role(ROLE_PCSCF);
	struct ue *ue = NULL;
	int err;

	if (!t || !n || !p)
		return EINVAL;

	err = ue_alloc(&ue, n, p, impu, impi, password);
	if (err)
		return err;

	err = keep(&t->ues, ue, NULL);
	if (!err && uep)
		*uep = ue;

	return err;
}


/* "ip" or "ip:port" with port 1-65535: libre's sa_decode would keep only
 * the low 16 bits of 99999 (34463) without a word. */
static int addr_of(const struct yml *y, const yml_node *n, const char *what,
		   uint16_t dport, struct sa *sa, char *err, size_t sz)
{
	const char *s, *colon;
	char ip[64];
	unsigned long port = dport;
	char *end;

	if (yml_scalar(y, n, what, &s, err, sz))
		return EINVAL;

	colon = strrchr(s, ':');
	if (colon) {
		errno = 0;
		port = strtoul(colon + 1, &end, 10);
		if (!colon[1] || *end || colon[1] == '-' || colon[1] == '+')
			goto bad;
		if (errno || !port || port > 65535)
			return yml_err(y, n, err, sz, "%s '%s': the port must"
				       " be 1 to 65535", what, s);
	}
	str_ncpy(ip, s, MIN(sizeof(ip), colon ? (size_t)(colon - s) + 1 :
			    strlen(s) + 1));

	if (!sa_set_str(sa, ip, (uint16_t)port))
		return 0;
 bad:
	return yml_err(y, n, err, sz, "bad %s '%s' (want ip or ip:port)",
		       what, s);
}


/* A node's name is a host name's first label (name.domain): letters,
 * digits and inner hyphens (RFC 1123 2.1). */
static bool label_ok(const char *s)
{
	size_t i, n = strlen(s);

	if (!n || n > 63 || s[0] == '-' || s[n - 1] == '-')
		return false;

	for (i = 0; i < n; i++) {
		if (!isalnum((unsigned char)s[i]) && s[i] != '-')
			return false;
	}

	return true;
}


static int load_hss(struct topo *t, const struct yml *y,
		    const yml_node *root, const char *domain,
		    char *err, size_t sz)
{
	static const char *const keys[] = {"name", "db", NULL};
	yml_node *list = yml_get(y, root, "hss");
	size_t i, n = list ? yml_count(list) : 0;
	struct hss *hss = NULL;
	int e;

	if (list && !yml_is_seq(list))
		return yml_err(y, list, err, sz,
			       "hss must be a list of {name, db}");

	/* No hss section: one in-memory HSS holds every subscriber. */
	for (i = 0; i < (n ? n : 1); i++) {
		yml_node *h = yml_item(y, list, i);
		const char *name = "hss", *db = NULL;

		if (h) {
			if (yml_check_keys(y, h, keys, "hss entry", err, sz))
				return EINVAL;
			if (yml_get(y, h, "name") &&
			    yml_scalar(y, yml_get(y, h, "name"), "hss name",
				       &name, err, sz))
				return EINVAL;
			if (yml_get(y, h, "db") &&
			    yml_scalar(y, yml_get(y, h, "db"), "hss db", &db,
				       err, sz))
				return EINVAL;
		}

		e = hss_alloc(&hss, name, db, domain, err, sz);
		if (e) {
			char why[512];

			str_ncpy(why, err, sizeof(why));
			return yml_err(y, h && yml_get(y, h, "db") ?
				       yml_get(y, h, "db") : h ? h : root,
				       err, sz, "%s", why);
		}

		e = hss_load(hss, y, root, err, sz);
		if (!e)
			e = slf_add(hss);
		mem_deref(hss);
		if (e)
			return e;
	}

	(void)t;
	return 0;
}


static int load_appdb(struct topo *t, const struct yml *y,
		      const yml_node *ad, char *err, size_t sz)
{
	const char *db = NULL;
	int e;

	if (ad && yml_get(y, ad, "db") &&
	    yml_scalar(y, yml_get(y, ad, "db"), "appdata db", &db, err, sz))
		return EINVAL;

	e = appdb_alloc(&t->appdb, db, err, sz);
	if (e) {
		char why[512];

		str_ncpy(why, err, sizeof(why));
		return yml_err(y, ad && yml_get(y, ad, "db") ?
			       yml_get(y, ad, "db") : ad, err, sz, "%s", why);
	}

	return appdb_load(t->appdb, y, ad, err, sz);
}


/* A UE's credentials, as its SIM would carry them: from the subscriber
 * entry with its IMPI, unless the node gives them. */
static int ue_creds(const struct yml *y, const yml_node *root,
		    const char *impi, const char **impu, const char **pw)
{
	yml_node *subs = yml_get(y, root, "subscribers");
	size_t i;

	for (i = 0; i < yml_count(subs); i++) {
		yml_node *s = yml_item(y, subs, i);
		yml_node *u = yml_get(y, s, "impu");

		if (str_cmp(yml_str(yml_get(y, s, "impi")), impi))
			continue;

		if (!*pw)
			*pw = yml_str(yml_get(y, s, "password"));
		if (!*impu)
			*impu = yml_is_seq(u) ? yml_str(yml_item(y, u, 0)) :
				yml_str(u);
		return 0;
	}

	return ENOENT;
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

		if (addr_of(y, a, "module address", 0, &cfg->mods[i], err,
			    sz))
			return EINVAL;
		if (!sa_port(&cfg->mods[i]) ||
		    !netguard_allowed(&cfg->mods[i]))
			return yml_err(y, a, err, sz, "module %s: bad address"
				       " '%s' (want a loopback ip:port)",
				       names[i], yml_str(a));
	}

	return 0;
}


static int make_role(struct topo *t, struct node *n, const struct yml *y,
		     const yml_node *nn, const yml_node *root,
		     char *err, size_t sz)
{
	struct cscf_cfg cfg;
	void *obj = NULL;
	uint32_t v;
	int e = 0;

	memset(&cfg, 0, sizeof(cfg));
	if (yml_get(y, nn, "min_expires")) {
		if (yml_uint(y, yml_get(y, nn, "min_expires"), "min_expires",
			     &v, err, sz))
			return EINVAL;
		cfg.reg_min_expires = v;
	}
	if (yml_get(y, nn, "max_expires")) {
		if (yml_uint(y, yml_get(y, nn, "max_expires"), "max_expires",
			     &v, err, sz))
			return EINVAL;
		cfg.reg_max_expires = v;
	}
	if (cfg.reg_min_expires && cfg.reg_max_expires &&
	    cfg.reg_min_expires > cfg.reg_max_expires)
		return yml_err(y, yml_get(y, nn, "min_expires"), err, sz,
			       "min_expires %u is above max_expires %u",
			       cfg.reg_min_expires, cfg.reg_max_expires);

	switch (node_role(n)) {

	case ROLE_PCSCF:
		e = pcscf_alloc((struct pcscf **)&obj, n, &cfg);
		break;

	case ROLE_ICSCF:
		e = icscf_alloc((struct icscf **)&obj, n, &cfg);
		break;

	case ROLE_SCSCF:
		e = scscf_alloc((struct scscf **)&obj, n, &cfg);
		break;

	case ROLE_AS: {
		struct as_cfg acfg;

		e = as_modules(&acfg, t, n, y, nn, err, sz);
		if (e)
			return e;
		e = as_alloc((struct as **)&obj, n, &acfg);
		if (!e)
			return keep(&t->ases, obj, node_name(n));
		break;
	}

	case ROLE_UE: {
		const char *impi = NULL, *impu = NULL, *pw = NULL;
		const char *pname = NULL;
		struct node *p;

		if (yml_scalar(y, yml_get(y, nn, "impi"), "ue impi", &impi,
			       err, sz))
			return yml_err(y, nn, err, sz,
				       "ue '%s' needs impi: its subscriber",
				       node_name(n));
		if (yml_get(y, nn, "impu") &&
		    yml_scalar(y, yml_get(y, nn, "impu"), "impu", &impu, err,
			       sz))
			return EINVAL;
		if (yml_get(y, nn, "password") &&
		    yml_scalar(y, yml_get(y, nn, "password"), "password",
			       &pw, err, sz))
			return EINVAL;
		if (yml_get(y, nn, "pcscf") &&
		    yml_scalar(y, yml_get(y, nn, "pcscf"), "pcscf", &pname,
			       err, sz))
			return EINVAL;

		(void)ue_creds(y, root, impi, &impu, &pw);
		if (!impu || !pw)
			return yml_err(y, yml_get(y, nn, "impi"), err, sz,
				       "ue '%s': no subscriber with impi '%s'"
				       " (and no impu/password given)",
				       node_name(n), impi);

		p = pname ? emul_node(pname) : emul_node_by_role(ROLE_PCSCF);
		if (!p || node_role(p) != ROLE_PCSCF)
			return yml_err(y, nn, err, sz,
				       "ue '%s': unknown P-CSCF '%s'",
				       node_name(n), pname ? pname : "");

		e = ue_alloc((struct ue **)&obj, n, p, impu, impi, pw);
		if (!e)
			return keep(&t->ues, obj, node_name(n));
		break;
	}

	default:
		break;
	}

	if (e)
		return yml_err(y, nn, err, sz, "node '%s': cannot start: %m",
			       node_name(n), e);

	return obj ? keep(&t->roles, obj, NULL) : 0;
}


static int load_nodes(struct topo *t, const struct yml *y,
		      const yml_node *root, const char *domain,
		      char *err, size_t sz)
{
	static const char *const keys[] = {
		"name", "role", "addr", "transport", "impi", "impu",
		"password", "pcscf", "min_expires", "max_expires", "down",
		"modules", "ring_timeout", NULL
	};
	yml_node *nodes = yml_get(y, root, "nodes");
	size_t i, pass;
	int e;

	if (!yml_is_seq(nodes) || !yml_count(nodes))
		return yml_err(y, nodes ? nodes : root, err, sz,
			       "topology needs 'nodes:', a list of nodes");

	/* Two passes: the core first, so that a UE finds its P-CSCF
	 * whatever the order in the file. */
	for (pass = 0; pass < 2; pass++) {
	for (i = 0; i < yml_count(nodes); i++) {
		yml_node *nn = yml_item(y, nodes, i);
		const char *name, *rs, *as = NULL, *tps = NULL;
		enum node_role role;
		unsigned flags;
		struct node *n;
		struct sa addr;

		if (yml_check_keys(y, nn, keys, "node", err, sz))
			return EINVAL;
		if (yml_scalar(y, yml_get(y, nn, "name"), "node name",
			       &name, err, sz))
			return yml_err(y, nn, err, sz, "node needs a name");
		if (yml_scalar(y, yml_get(y, nn, "role"), "node role", &rs,
			       err, sz))
			return yml_err(y, nn, err, sz,
				       "node '%s' needs a role", name);
		if (node_role_decode(&role, rs) || role == ROLE_HSS)
			return yml_err(y, yml_get(y, nn, "role"), err, sz,
				       "unknown role '%s' (pcscf, icscf,"
				       " scscf, as or ue)", rs);

		if ((role == ROLE_UE) != (pass == 1))
			continue;

		n = emul_node(name);
		if (n && !strcmp(node_name(n), name))
			return yml_err(y, yml_get(y, nn, "name"), err, sz,
				       "duplicate node name '%s'", name);
		if (n)
			return yml_err(y, yml_get(y, nn, "name"), err, sz,
				       "node name '%s' is '%s' again: SIP host"
				       " names ignore case",
				       name, node_name(n));

		if (!label_ok(name))
			return yml_err(y, yml_get(y, nn, "name"), err, sz,
				       "node name '%s' must be a host label: "
				       "letters, digits and inner '-'", name);

		if (yml_get(y, nn, "addr")) {
			if (addr_of(y, yml_get(y, nn, "addr"), "address",
				    SIP_PORT, &addr, err, sz))
				return EINVAL;
			as = yml_str(yml_get(y, nn, "addr"));
			if (!netguard_allowed(&addr))
				return yml_err(y, yml_get(y, nn, "addr"), err,
					       sz, "address '%s' is not"
					       " loopback (127.0.0.0/8)", as);
		}
		else {
			/* 127.0.1.N in file order: a capture reads like a
			 * network, one host per node. */
			(void)sa_set_str(&addr, "127.0.1.0", SIP_PORT);
			addr.u.in.sin_addr.s_addr =
				htonl(ntohl(addr.u.in.sin_addr.s_addr) +
				      (uint32_t)i + 1);
		}

		if (emul_node_by_addr(&addr) &&
		    sa_cmp(node_addr(emul_node_by_addr(&addr)), &addr,
			   SA_ALL))
			return yml_err(y, yml_get(y, nn, "addr") ?
				       yml_get(y, nn, "addr") : nn, err, sz,
				       "node '%s': address %J is taken by"
				       " node '%s'", name, &addr,
				       node_name(emul_node_by_addr(&addr)));

		if (yml_get(y, nn, "transport")) {
			if (yml_scalar(y, yml_get(y, nn, "transport"),
				       "transport", &tps, err, sz))
				return EINVAL;
			if (strcmp(tps, "udp") && strcmp(tps, "tcp"))
				return yml_err(y, yml_get(y, nn, "transport"),
					       err, sz, "transport must be udp"
					       " or tcp, not '%s'", tps);
		}

		flags = tps && !strcmp(tps, "tcp") ? NODE_TCP : 0;
		if (yml_get(y, nn, "down")) {
			bool down;

			if (yml_bool(y, yml_get(y, nn, "down"), "down", &down,
				     err, sz))
				return EINVAL;
			if (down)
				flags |= NODE_DOWN;
		}

		e = node_alloc(&n, name, role, &addr, domain, flags);
		if (e)
			return yml_err(y, nn, err, sz,
				       "node '%s': cannot listen on %J: %m",
				       name, &addr, e);

		e = keep(&t->nodes, n, NULL);
		if (e)
			return e;

		e = make_role(t, n, y, nn, root, err, sz);
		if (e)
			return e;
	}
	}

	if (!emul_node_by_role(ROLE_PCSCF) || !emul_node_by_role(ROLE_ICSCF) ||
	    !emul_node_by_role(ROLE_SCSCF))
		return yml_err(y, nodes, err, sz, "topology needs a pcscf, an"
			       " icscf and an scscf node");

	return 0;
}


/* peers: senders outside the topology that the ladder names, and that
 * the trust domain takes in when 'trusted: true' (a real core's node
 * that imsbed works with).  A peer is known by its address; over TCP,
 * where it writes from an ephemeral port, by its IP alone. */
static int load_peers(const struct yml *y, const yml_node *n, char *err,
		      size_t sz)
{
	static const char *const keys[] = {"name", "addr", "trusted", NULL};
	size_t i;

	if (!n)
		return 0;

	if (!yml_is_seq(n))
		return yml_err(y, n, err, sz, "peers must be a list of "
			       "{name, addr, trusted}");

	for (i = 0; i < yml_count(n); i++) {
		const yml_node *pn = yml_item(y, n, i);
		const char *name, *as;
		bool trusted = false;
		struct sa addr;

		if (yml_check_keys(y, pn, keys, "peer", err, sz))
			return EINVAL;
		if (yml_scalar(y, yml_get(y, pn, "name"), "peer name", &name,
			       err, sz) ||
		    yml_scalar(y, yml_get(y, pn, "addr"), "peer addr", &as,
			       err, sz))
			return yml_err(y, pn, err, sz, "peer needs name and "
				       "addr");
		if (emul_node(name) || !strcmp(name, EMUL_EXT))
			return yml_err(y, yml_get(y, pn, "name"), err, sz,
				       "peer name '%s' is taken", name);
		if (addr_of(y, yml_get(y, pn, "addr"), "address", 0, &addr,
			    err, sz))
			return EINVAL;
		if (!netguard_allowed(&addr))
			return yml_err(y, yml_get(y, pn, "addr"), err, sz,
				       "address '%s' is not loopback "
				       "(127.0.0.0/8)", as);
		if (yml_get(y, pn, "trusted") &&
		    yml_bool(y, yml_get(y, pn, "trusted"), "trusted",
			     &trusted, err, sz))
			return EINVAL;
		if (emul_peer_add(name, &addr, trusted))
			return ENOMEM;
	}

	return 0;
}


/* Every iFC names an AS of the topology (or a declared peer): one that
 * names nobody would be tried at run time and fail on every request. */
static int check_ifc_ases(const struct yml *y, const yml_node *root,
			  char *err, size_t sz)
{
	const yml_node *profiles = yml_get(y, root, "profiles");
	size_t i, j;

	for (i = 0; i < yml_count(profiles); i++) {
		const yml_node *ifcs = yml_get(y, yml_val(y, profiles, i),
					       "ifc");

		for (j = 0; j < yml_count(ifcs); j++) {
			const yml_node *an = yml_get(y, yml_item(y, ifcs, j),
						     "as");
			const char *as = yml_str(an);
			struct node *n = NULL;
			struct uri uri;
			struct pl pl;
			struct sa sa;

			if (!as)
				continue;
			pl_set_str(&pl, as);
			if (!uri_decode(&uri, &pl) &&
			    !emul_resolve(&sa, &n, &uri) &&
			    ((n && node_role(n) == ROLE_AS) ||
			     (!n && strcmp(emul_outside_name(&sa), EMUL_EXT))))
				continue;

			return yml_err(y, an, err, sz, "profiles.%s.ifc[%zu]."
				       "as: '%s' is no AS node or peer of "
				       "the topology",
				       yml_str(yml_key(y, profiles, i)), j,
				       as);
		}
	}

	return 0;
}


int topo_load(struct topo **tp, const struct yml *y,
	      const struct yaml_node_s *root,
	      char *err, size_t sz)
{
	static const char *const keys[] = {
		"domain", "nodes", "hss", "profiles", "subscribers",
		"appdata", "peers", NULL
	};
	const char *domain;
	struct topo *t;
	int e;

	if (!tp || !y || !root)
		return EINVAL;

	if (emul_nodes()->head)
		return yml_err(y, root, err, sz,
			       "a topology is loaded already");

	if (yml_check_keys(y, root, keys, "topology", err, sz))
		return EINVAL;

	if (yml_scalar(y, yml_get(y, root, "domain"), "domain", &domain, err,
		       sz))
		return yml_err(y, root, err, sz,
			       "topology needs 'domain:', the home domain");

	t = mem_zalloc(sizeof(*t), topo_destructor);
	if (!t)
		return ENOMEM;

	emul_set_domain(domain);

	e = load_hss(t, y, root, domain, err, sz);
	if (e)
		goto out;

	e = load_appdb(t, y, yml_get(y, root, "appdata"), err, sz);
	if (e)
		goto out;

	e = load_nodes(t, y, root, domain, err, sz);
	if (e)
		goto out;

	e = load_peers(y, yml_get(y, root, "peers"), err, sz);
	if (e)
		goto out;

	e = check_ifc_ases(y, root, err, sz);

 out:
	if (e)
		mem_deref(t);
	else
		*tp = t;

	return e;
}
