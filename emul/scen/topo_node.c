/* SPDX-License-Identifier: BSD-3-Clause */
/* The topology's nodes: each one's name (a host label, unique whatever
 * the case), role, address (127.0.1.N in file order unless given) and
 * transport, and then what runs on it (topo_role.c). */

#include <ctype.h>
#include <string.h>
#include <re.h>
#include "yml.h"
#include "host.h"
#include "sipkit.h"
#include "tsx.h"
#include "report.h"
#include "scen.h"
#include "engine.h"


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


/* A new node's name: unique, whatever the case, and a host label. */
static int check_name(const struct yml *y, const yml_node *nn,
		      const char *name, char *err, size_t sz)
{
	struct node *n = emul_node(name);

	if (n && !strcmp(node_name(n), name))
		return yml_err(y, yml_get(y, nn, "name"), err, sz,
			       "duplicate node name '%s'", name);
	if (n)
		return yml_err(y, yml_get(y, nn, "name"), err, sz,
			       "node name '%s' is '%s' again: SIP host"
			       " names ignore case", name, node_name(n));

	if (!label_ok(name))
		return yml_err(y, yml_get(y, nn, "name"), err, sz,
			       "node name '%s' must be a host label: "
			       "letters, digits and inner '-'", name);

	return 0;
}


/* addr, or the i-th node's default; no two nodes on one address. */
static int node_address(struct sa *addr, const struct yml *y,
			const yml_node *nn, size_t i, const char *name,
			char *err, size_t sz)
{
	const yml_node *an = yml_get(y, nn, "addr");
	struct node *other;

	if (an) {
		if (topo_addr(y, an, "address", SIP_PORT, addr, err, sz))
			return EINVAL;
		if (!netguard_allowed(addr))
			return yml_err(y, an, err, sz, "address '%s' is not"
				       " loopback (127.0.0.0/8)",
				       yml_str(an));
	}
	else {
		/* 127.0.1.N in file order: a capture reads like a
		 * network, one host per node. */
		(void)sa_set_str(addr, "127.0.1.0", SIP_PORT);
		addr->u.in.sin_addr.s_addr =
			htonl(ntohl(addr->u.in.sin_addr.s_addr) +
			      (uint32_t)i + 1);
	}

	other = emul_node_by_addr(addr);
	if (other && sa_cmp(node_addr(other), addr, SA_ALL))
		return yml_err(y, an ? an : nn, err, sz,
			       "node '%s': address %J is taken by node '%s'",
			       name, addr, node_name(other));

	return 0;
}


/* transport: udp (the default) or tcp; down: listed, not listening. */
static int node_flags(unsigned *flagsp, const struct yml *y,
		      const yml_node *nn, char *err, size_t sz)
{
	const yml_node *tn = yml_get(y, nn, "transport");
	const char *tps = NULL;
	unsigned flags;

	if (tn) {
		if (yml_scalar(y, tn, "transport", &tps, err, sz))
			return EINVAL;
		if (strcmp(tps, "udp") && strcmp(tps, "tcp"))
			return yml_err(y, tn, err, sz, "transport must be udp"
				       " or tcp, not '%s'", tps);
	}

	flags = tps && !strcmp(tps, "tcp") ? NODE_TCP : 0;
	if (yml_get(y, nn, "down")) {
		bool down;

		if (yml_bool(y, yml_get(y, nn, "down"), "down", &down, err,
			     sz))
			return EINVAL;
		if (down)
			flags |= NODE_DOWN;
	}

	*flagsp = flags;
	return 0;
}


/* The i-th entry of nodes:, made in the pass for its role (the core in
 * the first, UEs in the second) and checked in each. */
/* timers: {t1, t2, t4} in ms, RFC 3261's table 4 for this node's
 * transactions (500, 4000 and 5000 by default). */
static int node_timers(struct node *n, const struct yml *y,
		       const yml_node *nn, char *err, size_t sz)
{
	static const char *const keys[] = {"t1", "t2", "t4", NULL};
	const yml_node *v = yml_get(y, nn, "timers");
	struct tsx_cfg cfg = {500, 4000, 5000};
	uint32_t *f[] = {&cfg.t1, &cfg.t2, &cfg.t4};
	size_t i;

	if (!v)
		return 0;

	if (!yml_is_map(v))
		return yml_err(y, v, err, sz, "timers is {t1, t2, t4}, in ms");
	if (yml_check_keys(y, v, keys, "timers", err, sz))
		return EINVAL;

	for (i = 0; i < ARRAY_SIZE(f); i++) {
		const yml_node *x = yml_get(y, v, keys[i]);

		if (x && (yml_uint(y, x, keys[i], f[i], err, sz) || !*f[i] ||
			  *f[i] > 600000))
			return yml_err(y, x, err, sz, "%s must be 1 to 600000"
				       " ms", keys[i]);
	}

	if (cfg.t2 < cfg.t1)
		return yml_err(y, v, err, sz, "t2 must be at least t1");

	tsxl_set_cfg(tsx_of(n), &cfg);

	return 0;
}


/* external: ADDR[:PORT]: a node someone else runs (a real core's
 * P-, I- or S-CSCF, an AS); nothing of the node's own keys applies. */
static int load_external(struct topo *t, const struct yml *y,
			 const yml_node *nn, const char *name,
			 enum node_role role, const char *domain, char *err,
			 size_t sz)
{
	static const char *const keys[] = {
		"name", "role", "external", "transport", NULL
	};
	const yml_node *en = yml_get(y, nn, "external");
	unsigned flags = 0;
	struct node *n, *other;
	struct sa addr;
	int e;

	if (role == ROLE_UE)
		return yml_err(y, en, err, sz, "node '%s': a UE cannot be "
			       "external (a real UE registers by itself)",
			       name);
	if (yml_check_keys(y, nn, keys, "external node", err, sz) ||
	    check_name(y, nn, name, err, sz) ||
	    topo_addr(y, en, "external", SIP_PORT, &addr, err, sz) ||
	    node_flags(&flags, y, nn, err, sz))
		return EINVAL;
	if (!netguard_allowed(&addr))
		return yml_err(y, en, err, sz, "external '%s' is not loopback"
			       " (127.0.0.0/8)", yml_str(en));

	other = emul_node_by_addr(&addr);
	if (other && sa_cmp(node_addr(other), &addr, SA_ALL))
		return yml_err(y, en, err, sz, "node '%s': address %J is "
			       "taken by node '%s'", name, &addr,
			       node_name(other));

	e = node_alloc(&n, name, role, &addr, domain, flags | NODE_EXTERNAL);
	if (e)
		return yml_err(y, nn, err, sz, "node '%s': %m", name, e);

	return topo_keep(&t->nodes, n, NULL);
}


static int load_node(struct topo *t, const struct yml *y,
		     const yml_node *root, size_t i, size_t pass,
		     const char *domain, char *err, size_t sz)
{
	static const char *const keys[] = {
		"name", "role", "addr", "transport", "impi", "impu",
		"password", "pcscf", "min_expires", "max_expires", "down",
		"modules", "ring_timeout", "timers", "k", "op", "opc", "amf",
		"sqn", "aka_answer", "sec_agree", "vectors", "instance",
		"reg_id", "q", "gruu", "reg_event", "capabilities",
		"diversion", "external", NULL
	};
	yml_node *nn = yml_item(y, yml_get(y, root, "nodes"), i);
	const char *name, *rs;
	enum node_role role;
	unsigned flags = 0;
	struct node *n;
	struct sa addr;
	int e;

	if (yml_check_keys(y, nn, keys, "node", err, sz))
		return EINVAL;
	if (yml_scalar(y, yml_get(y, nn, "name"), "node name", &name, err,
		       sz))
		return yml_err(y, nn, err, sz, "node needs a name");
	if (yml_scalar(y, yml_get(y, nn, "role"), "node role", &rs, err, sz))
		return yml_err(y, nn, err, sz, "node '%s' needs a role",
			       name);
	if (node_role_decode(&role, rs) || role == ROLE_HSS)
		return yml_err(y, yml_get(y, nn, "role"), err, sz,
			       "unknown role '%s' (pcscf, icscf, scscf, as"
			       " or ue)", rs);

	if ((role == ROLE_UE) != (pass == 1))
		return 0;

	if (yml_get(y, nn, "external"))
		return load_external(t, y, nn, name, role, domain, err, sz);

	if (check_name(y, nn, name, err, sz) ||
	    node_address(&addr, y, nn, i, name, err, sz) ||
	    node_flags(&flags, y, nn, err, sz))
		return EINVAL;

	e = node_alloc(&n, name, role, &addr, domain, flags);
	if (e)
		return yml_err(y, nn, err, sz, "node '%s': cannot listen on"
			       " %J: %m", name, &addr, e);

	e = topo_keep(&t->nodes, n, NULL);
	if (e)
		return e;

	if (node_timers(n, y, nn, err, sz))
		return EINVAL;

	return topo_make_role(t, n, y, nn, root, err, sz);
}


int topo_load_nodes(struct topo *t, const struct yml *y,
		    const yml_node *root, const char *domain, char *err,
		    size_t sz)
{
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
			e = load_node(t, y, root, i, pass, domain, err, sz);
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
