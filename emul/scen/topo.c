/* SPDX-License-Identifier: BSD-3-Clause */
/* The topology: home domain, HSSs with their subscribers and iFCs, the
 * cloud database, the nodes (topo_node.c, topo_role.c) and the peers
 * outside it; and what it holds, found by name.  Every error names
 * file:line:column. */

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
#include "as.h"
#include "cscf.h"
#include "ue.h"
#include "engine.h"

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


/* obj, owned by the list from now on (released even on error). */
int topo_keep(struct list *l, void *obj, const char *name)
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


/* The S-CSCF serving impu (name NULL), or the one named so. */
struct scscf *topo_scscf(const struct topo *t, const char *name,
			 const char *impu)
{
	struct le *le;

	for (le = t ? t->roles.head : NULL; le; le = le->next) {
		struct ent *e = le->data;
		struct node *n = e->name ? emul_node(e->name) : NULL;

		if (!n || node_role(n) != ROLE_SCSCF)
			continue;
		if (name ? !str_cmp(e->name, name) :
		    scscf_serves(e->obj, impu))
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

	err = topo_keep(&t->ues, ue, NULL);
	if (!err && uep)
		*uep = ue;

	return err;
}


/* "ip" or "ip:port" with port 1-65535: libre's sa_decode would keep only
 * the low 16 bits of 99999 (34463) without a word. */
int topo_addr(const struct yml *y, const yml_node *n, const char *what,
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


/* The HSS as a Diameter node: where it listens (or, without the key,
 * where its Cx records say it is: 127.0.2.N:3868, N its place in the
 * list) and its Origin-Host. */
static int load_diameter(struct hss *hss, const struct yml *y,
			 const yml_node *h, size_t i, char *err, size_t sz)
{
	static const char *const keys[] = {"addr", "host", NULL};
	yml_node *d = h ? yml_get(y, h, "diameter") : NULL;
	const char *host = NULL;
	struct sa addr;
	char ip[32];
	int e;

	(void)re_snprintf(ip, sizeof(ip), "127.0.2.%zu", i + 1);
	(void)sa_set_str(&addr, ip, 3868);
	if (!d)
		return hss_set_diameter(hss, NULL, &addr);

	if (!yml_is_map(d))
		return yml_err(y, d, err, sz, "diameter must be a map of "
			       "addr and host");
	if (yml_check_keys(y, d, keys, "diameter", err, sz))
		return EINVAL;
	if (yml_get(y, d, "addr") &&
	    topo_addr(y, yml_get(y, d, "addr"), "diameter addr", 3868, &addr,
		      err, sz))
		return EINVAL;
	if (!netguard_allowed(&addr))
		return yml_err(y, yml_get(y, d, "addr"), err, sz,
			       "diameter addr %J is outside 127.0.0.0/8",
			       &addr);
	if (yml_get(y, d, "host") &&
	    yml_scalar(y, yml_get(y, d, "host"), "diameter host", &host, err,
		       sz))
		return EINVAL;

	e = hss_set_diameter(hss, host, &addr);
	if (!e)
		e = hss_diameter_listen(hss);
	if (e)
		return yml_err(y, d, err, sz, "hss %s: cannot listen on %J: "
			       "%m", hss_name(hss), &addr, e);

	return 0;
}


static int load_hss(struct topo *t, const struct yml *y,
		    const yml_node *root, const char *domain,
		    char *err, size_t sz)
{
	static const char *const keys[] = {"name", "db", "diameter", NULL};
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

		e = load_diameter(hss, y, h, i, err, sz);
		if (!e)
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
		if (topo_addr(y, yml_get(y, pn, "addr"), "address", 0, &addr,
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
 * names nobody would be tried at run time and fail on every request.
 * what is 'profiles' or 'shared_ifc_sets', whose entries hold 'ifc'. */
static int check_ifc_ases(const struct yml *y, const yml_node *root,
			  const char *what, char *err, size_t sz)
{
	const yml_node *profiles = yml_get(y, root, what);
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

			return yml_err(y, an, err, sz, "%s.%s.ifc[%zu].as: "
				       "'%s' is no AS node or peer of the "
				       "topology", what,
				       yml_str(yml_key(y, profiles, i)), j,
				       as);
		}
	}

	return 0;
}


/* A subscriber's capabilities.servers name S-CSCF nodes: the HSS, which
 * knows no nodes, could not check them. */
static int check_caps_servers(const struct yml *y, const yml_node *root,
			      char *err, size_t sz)
{
	const yml_node *subs = yml_get(y, root, "subscribers");
	size_t i, j;

	for (i = 0; i < yml_count(subs); i++) {
		const yml_node *cn = yml_get(y, yml_item(y, subs, i),
					     "capabilities");
		const yml_node *sn = yml_get(y, cn, "servers");

		for (j = 0; j < yml_count(sn); j++) {
			const yml_node *x = yml_item(y, sn, j);
			struct node *n = emul_node(yml_str(x));

			if (n && node_role(n) == ROLE_SCSCF)
				continue;

			return yml_err(y, x, err, sz, "subscribers[%zu]."
				       "capabilities.servers[%zu]: '%s' is "
				       "no scscf node", i, j, yml_str(x));
		}
	}

	return 0;
}


int topo_load(struct topo **tp, const struct yml *y,
	      const struct yaml_node_s *root,
	      char *err, size_t sz)
{
	static const char *const keys[] = {
		"domain", "nodes", "hss", "profiles", "shared_ifc_sets",
		"subscribers", "appdata", "peers", NULL
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

	e = topo_load_nodes(t, y, root, domain, err, sz);
	if (e)
		goto out;

	e = load_peers(y, yml_get(y, root, "peers"), err, sz);
	if (e)
		goto out;

	e = check_ifc_ases(y, root, "profiles", err, sz);
	if (!e)
		e = check_ifc_ases(y, root, "shared_ifc_sets", err, sz);
	if (!e)
		e = check_caps_servers(y, root, err, sz);

 out:
	if (e)
		mem_deref(t);
	else
		*tp = t;

	return e;
}
