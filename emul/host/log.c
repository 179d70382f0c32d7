/* SPDX-License-Identifier: BSD-3-Clause */
/* Logging by node and category ("pcscf/route: ..."), so that one node's or
 * one layer's messages can be picked out of a run with grep or -v. */

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <re.h>
#include "host.h"

static enum log_level level = LOG_WARN;
static struct mbuf *capture;

/* The categories a node logs under, as libosmocore's logging.h keeps
 * them: each can be turned up alone (-v CATEGORY=debug). */
static const struct {
	const char *name;
	const char *what;
} cats[] = {
	{"sip",        "requests checked, what libre could not parse"},
	{"route",      "next hops, drops outside the topology"},
	{"txn",        "transactions that got no answer"},
	{"trust",      "requests from outside the trust domain"},
	{"reg",        "registrations, at the UE, P-CSCF and S-CSCF"},
	{"auth",       "digest challenges and their answers"},
	{"cx",         "UAR, MAR, SAR, LIR and their results"},
	{"isc",        "iFC evaluation, third-party REGISTER, ASs"},
	{"sysinfo",    "the sysinfo subscriptions, at the UE and the AS"},
	{"sub",        "the UE's SUBSCRIBE"},
	{"c2d",        "click-to-dial at the AS"},
	{"call",       "the phones' calls"},
	{"media",      "SRTP between the phones"},
	{"dialog",     "dialogs and their requests"},
	{"http",       "the HTTP client and the modules"},
	{"book",       "the cloud address book"},
	{"netguard",   "what the loopback guard refused"},
	{"fsm",        "requests a protocol state refused"},
	{"ue-reg",     "the UE's registration machine"},
	{"ue-sub",     "the UE's subscription machine"},
	{"as-sysinfo", "the AS's sysinfo notifier machine"},
	{"as-c2d",     "the click-to-dial machine"},
};

static int8_t cat_level[ARRAY_SIZE(cats)];     /* 0: the global level */
static enum log_level max_level = LOG_WARN;
static char node_only[64];


static int cat_find(const char *cat)
{
	size_t i;

	for (i = 0; cat && i < ARRAY_SIZE(cats); i++) {
		if (!strcmp(cats[i].name, cat))
			return (int)i;
	}

	return -1;
}


static void max_update(void)
{
	size_t i;

	max_level = level;
	for (i = 0; i < ARRAY_SIZE(cats); i++) {
		if (cat_level[i] && (enum log_level)(cat_level[i] - 1) >
		    max_level)
			max_level = (enum log_level)(cat_level[i] - 1);
	}
}


/* "CATEGORY=LEVEL", LEVEL one of error, warn, info, debug. */
int log_set_category(const char *spec)
{
	static const char *const lvls[] = {"error", "warn", "info", "debug"};
	char name[32];
	const char *eq = spec ? strchr(spec, '=') : NULL;
	size_t i;
	int c;

	if (!eq || (size_t)(eq - spec) >= sizeof(name))
		return EINVAL;

	str_ncpy(name, spec, (size_t)(eq - spec) + 1);
	c = cat_find(name);
	if (c < 0)
		return ENOENT;

	for (i = 0; i < ARRAY_SIZE(lvls); i++) {
		if (!strcmp(eq + 1, lvls[i])) {
			cat_level[c] = (int8_t)(i + 1);
			max_update();
			return 0;
		}
	}

	return EINVAL;
}


int log_categories(struct re_printf *pf)
{
	size_t i;
	int err = 0;

	for (i = 0; i < ARRAY_SIZE(cats); i++)
		err |= re_hprintf(pf, "  %-11s %s\n", cats[i].name,
				  cats[i].what);

	return err;
}


/* Only this node's lines (errors always show); NULL for every node. */
void log_set_node(const char *node)
{
	str_ncpy(node_only, node ? node : "", sizeof(node_only));
}


/* Lines go to mb instead of stderr while it is set (a test's golden log). */
void log_capture(struct mbuf *mb)
{
	capture = mb;
}


void log_set_level(enum log_level lvl)
{
	level = lvl;
	max_update();
}


enum log_level log_level(void)
{
	return level;
}


void elog(enum log_level lvl, const char *node, const char *cat,
	  const char *fmt, ...)
{
	static const char *const names[] = {"error", "warn", "info",
					    "debug"};
	char msg[512];
	va_list ap;

	int c;

	if (lvl > max_level)
		return;

	c = cat_find(cat);
	if (lvl > (c >= 0 && cat_level[c] ?
		   (enum log_level)(cat_level[c] - 1) : level))
		return;

	if (node_only[0] && lvl > LOG_ERR && str_cmp(node, node_only))
		return;

	va_start(ap, fmt);
	(void)re_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);

	if (capture)
		(void)mbuf_printf(capture, "%s: %s/%s: %s\n", names[lvl],
				  node ? node : "-", cat ? cat : "-", msg);
	else
		(void)re_fprintf(stderr, "imsbed: %s: %s/%s: %s\n",
				 names[lvl], node ? node : "-",
				 cat ? cat : "-", msg);
}
