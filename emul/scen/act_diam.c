/* SPDX-License-Identifier: BSD-3-Clause */
/* diameter_peers: {hss, count, within}: the step waits until that many
 * Diameter peers (a real core's I- and S-CSCF) have connected to the
 * HSS's server and exchanged capabilities, so that a scenario run
 * against an external core starts once Cx can flow, however late the
 * core dials (Kamailio's cdp retries every Tc, 10 s by default). */

#include <string.h>
#include <re.h>
#include "yml.h"
#include "hss.h"
#include "host.h"
#include "report.h"
#include "scen.h"
#include "engine.h"

enum { POLL_MS = 50, WITHIN_S = 30 };


static struct hss *hss_of(const struct yml *y, const yml_node *v)
{
	const char *name = yml_str(yml_get(y, v, "hss"));

	return name ? slf_by_name(name) : slf_nth(0);
}


int act_check_peers(struct engine *e, const struct action *a,
		    const yml_node *v, char *err, size_t sz)
{
	const struct yml *y = e->y;
	struct hss *hss;
	uint32_t n = 1;
	double within = WITHIN_S;

	if (!yml_is_map(v))
		return yml_err(y, v, err, sz, "%s is {hss, count, within}",
			       a->name);
	if (yml_check_keys(y, v, a->keys, a->name, err, sz))
		return EINVAL;

	hss = hss_of(y, v);
	if (!hss)
		return yml_err(y, yml_get(y, v, "hss") ? yml_get(y, v, "hss") :
			       v, err, sz, "%s: no HSS '%s'", a->name,
			       yml_str(yml_get(y, v, "hss")));
	if (!hss_diameter_listening(hss))
		return yml_err(y, v, err, sz, "%s: HSS %s has no Diameter "
			       "server (hss: [{..., diameter: {addr: ...}}])",
			       a->name, hss_name(hss));
	if (yml_get(y, v, "count") &&
	    (yml_uint(y, yml_get(y, v, "count"), "count", &n, err, sz) ||
	     !n))
		return yml_err(y, yml_get(y, v, "count"), err, sz, "%s: count"
			       " must be 1 or more", a->name);
	if (yml_get(y, v, "within") &&
	    (yml_double(y, yml_get(y, v, "within"), "within", &within, err,
			sz) || within <= 0))
		return yml_err(y, yml_get(y, v, "within"), err, sz, "%s: "
			       "within must be a number of seconds", a->name);

	return 0;
}


static void await_poll(void *arg)
{
	struct engine *e = arg;
	const struct yml *y = e->y;
	const yml_node *v = e->await;
	struct hss *hss = hss_of(y, v);
	uint32_t want = act_uint(y, v, "count", 1);
	struct mbuf *mb;
	unsigned n;

	if (hss_diameter_peers(hss, NULL) >= want) {
		e->await = NULL;
		engine_settle(e);
		return;
	}

	if (tmr_jiffies() < e->await_until) {
		wtmr_start(&e->tmr_await, POLL_MS, await_poll, e);
		return;
	}

	e->await = NULL;
	mb = mbuf_alloc(128);
	n = hss_diameter_peers(hss, mb);
	/* libre's %f has no precision 0: whole seconds as a number */
	engine_fail(e, "diameter_peers: %u of %u Diameter peers open at HSS "
		    "%s after %u s%s%b", n, want, hss_name(hss),
		    (unsigned)((e->await_until - e->await_from + 500) / 1000),
		    n ? ": " : "", mb ? mb->buf : NULL, mb ? mb->end : 0);
	mem_deref(mb);
}


int act_peers(struct engine *e, const yml_node *v)
{
	double within = WITHIN_S;

	if (yml_get(e->y, v, "within"))
		(void)yml_double(e->y, yml_get(e->y, v, "within"), "within",
				 &within, NULL, 0);

	e->await = v;
	e->await_from = tmr_jiffies();
	e->await_until = e->await_from + (uint64_t)(within * 1000);
	engine_extend_timeout(e, (uint64_t)(within * 1000) + 1000);
	await_poll(e);

	return 0;
}
