/* SPDX-License-Identifier: BSD-3-Clause */
/* The configure action: an AS changed while the scenario runs (a module
 * moved or taken down, NOTIFYs corrupted, click-to-dial's ring timeout),
 * to show how the UEs and the AS cope. */

#include <string.h>
#include <re.h>
#include "yml.h"
#include "host.h"
#include "report.h"
#include "scen.h"
#include "as.h"
#include "engine.h"

/* module: which of the AS's HTTP modules moves. */
static const struct act_opt modules[] = {
	{"gm", ASMOD_GM, NULL},
	{"im", ASMOD_IM, NULL},
	{"ps", ASMOD_PS, NULL},
	{NULL, 0,        NULL},
};


static int check_flags(const struct yml *y, const yml_node *v, char *err,
		       size_t sz)
{
	static const char *const bools[] = {"down", "corrupt_notify"};
	const yml_node *rt = yml_get(y, v, "ring_timeout");
	size_t i;
	double d;
	bool b;

	for (i = 0; i < ARRAY_SIZE(bools); i++) {
		const yml_node *n = yml_get(y, v, bools[i]);

		if (n && yml_bool(y, n, bools[i], &b, err, sz))
			return EINVAL;
	}

	if (!rt)
		return 0;

	if (yml_double(y, rt, "ring_timeout", &d, err, sz))
		return EINVAL;

	/* held in milliseconds of 32 bits */
	if (d > RING_MAX_S)
		return yml_err(y, rt, err, sz, "ring_timeout must be at most"
			       " %u seconds", RING_MAX_S);

	return 0;
}


int act_check_configure(struct engine *e, const struct action *a,
			const yml_node *v, char *err, size_t sz)
{
	const struct yml *y = e->y;
	const char *node = yml_str(yml_get(y, v, "node"));
	const char *mod = yml_str(yml_get(y, v, "module"));
	const char *addr = yml_str(yml_get(y, v, "addr"));
	struct sa sa;

	if (yml_check_keys(y, v, a->keys, a->name, err, sz))
		return EINVAL;

	if (!node || !topo_as(e->topo, node))
		return yml_err(y, v, err, sz, "configure: node must name an"
			       " AS of the topology");

	if (check_flags(y, v, err, sz))
		return EINVAL;

	if (!mod)
		return 0;

	if (!act_opt_find(modules, mod))
		return yml_err(y, yml_get(y, v, "module"), err, sz,
			       "configure: module must be %H", act_opt_print,
			       modules);

	if (!addr || sa_decode(&sa, addr, strlen(addr)) ||
	    !netguard_allowed(&sa))
		return yml_err(y, v, err, sz, "configure: addr must be a"
			       " loopback ip:port");

	return 0;
}


int act_configure(struct engine *e, const yml_node *v)
{
	const struct yml *y = e->y;
	struct as *as = topo_as(e->topo, yml_str(yml_get(y, v, "node")));
	const struct act_opt *mod = act_opt_find(modules,
					yml_str(yml_get(y, v, "module")));
	const char *addr = yml_str(yml_get(y, v, "addr"));
	struct sa sa;
	int err;

	if (yml_get(y, v, "ring_timeout")) {
		double secs = 0;

		(void)yml_double(y, yml_get(y, v, "ring_timeout"), "", &secs,
				 NULL, 0);
		as_ring_timeout(as, (uint32_t)(secs * 1000));
	}

	if (yml_get(y, v, "corrupt_notify"))
		as_corrupt_notify(as, act_bool(y, v, "corrupt_notify",
					       false));

	if (mod) {
		if (sa_decode(&sa, addr, strlen(addr)))
			return EINVAL;

		err = as_module_set(as, mod->val, &sa,
				    act_bool(y, v, "down", false));
		if (err)
			return err;
	}

	/* Nothing to answer: the step settles as after any message. */
	engine_settle(e);

	return 0;
}
