/* SPDX-License-Identifier: BSD-3-Clause */
/* imsbed chaos FILE...: each scenario once cleanly, then once for each
 * SIP message of that clean run with the network losing it, and once
 * with the network repeating it.  Under a fault the scenario passes when
 * its checks hold and its ladder appears, retransmissions allowed: RFC
 * 3261 recovers any request and any final response lost over UDP,
 * including the 2xx of an INVITE, which its UAS resends until the ACK.
 * Two kinds of message are not tried, and each says why: one over TCP
 * (reliable: the network does not lose it), and a provisional response
 * lost (sent once, never resent, without 100rel), whose arrow a ladder
 * expecting it cannot find. */

#include <stdio.h>
#include <string.h>
#include <re.h>
#include "host.h"
#include "sipkit.h"
#include "report.h"
#include "scen.h"
#include "cmd.h"

struct arrow {
	struct le le;
	struct scen_fault f;
	char line[256];
	bool tcp;
	bool provisional;
};

struct chaos {
	struct list arrows;
	uint32_t passed, failed, skipped;
};


static void arrow_destructor(void *arg)
{
	struct arrow *a = arg;

	list_unlink(&a->le);
}


static bool same_arrow(const struct scen_fault *x, const struct scen_fault *y)
{
	return !strcmp(x->from, y->from) && !strcmp(x->to, y->to) &&
		!strcmp(x->method, y->method) && x->status == y->status &&
		!strcmp(x->cseq, y->cseq);
}


/* The clean run's SIP messages, each named as a fault names it. */
static void collect(const struct lrec *r, void *arg)
{
	struct chaos *c = arg;
	struct arrow *a;
	struct le *le;

	if (!r->msg || r->flags)
		return;

	a = mem_zalloc(sizeof(*a), arrow_destructor);
	if (!a)
		return;

	str_ncpy(a->f.from, r->src, sizeof(a->f.from));
	str_ncpy(a->f.to, r->dst, sizeof(a->f.to));
	if (r->msg->req)
		(void)pl_strcpy(&r->msg->met, a->f.method,
				sizeof(a->f.method));
	else
		a->f.status = r->msg->scode;
	(void)pl_strcpy(&r->msg->cseq.met, a->f.cseq, sizeof(a->f.cseq));
	a->tcp = r->tp != SIP_TRANSP_UDP;
	a->provisional = !r->msg->req && r->msg->scode < 200;
	(void)re_snprintf(a->line, sizeof(a->line), "%s", r->line + 9);

	a->f.nth = 1;
	for (le = c->arrows.head; le; le = le->next) {
		const struct arrow *b = le->data;

		if (same_arrow(&a->f, &b->f))
			++a->f.nth;
	}

	list_append(&c->arrows, &a->le, a);
}


static void one(struct chaos *c, const char *file, struct arrow *a,
		unsigned verdict, const struct cli_opts *o)
{
	struct scen_opts so = {.quiet = true, .settle = o->settle,
			       .virtual_clock = !o->real_clock, .loose = true};
	const char *what = verdict == MSGREC_LOST ? "lost" : "duplicated";
	enum scen_result r;
	char msg[2048], kind[48];

	if (a->tcp || (verdict == MSGREC_LOST && a->provisional)) {
		++c->skipped;
		(void)re_printf("SKIP %-52s %-10s %s\n", a->line, what,
				a->tcp ? "TCP: the network does not lose or"
				" repeat it" : "a provisional response is "
				"sent once (RFC 3261, no 100rel)");
		return;
	}

	a->f.verdict = verdict;
	so.inject = &a->f;
	r = scen_run(file, &so, msg, sizeof(msg));
	if (r == SCEN_PASS) {
		++c->passed;
		(void)re_printf("PASS %-52s %s\n", a->line, what);
		return;
	}

	/* The fault as a scenario would write it, to see it again. */
	++c->failed;
	if (a->f.method[0])
		(void)re_snprintf(kind, sizeof(kind), "method: %s",
				  a->f.method);
	else
		(void)re_snprintf(kind, sizeof(kind), "status: %u",
				  a->f.status);
	(void)re_printf("FAIL %-52s %s\n     %s\n     again with: faults: "
			"[{from: %s, to: %s, %s, cseq: %s, nth: %u, %s: "
			"true}]\n", a->line, what, msg, a->f.from, a->f.to,
			kind, a->f.cseq, a->f.nth,
			verdict == MSGREC_LOST ? "drop" : "duplicate");
}


static int chaos_file(struct chaos *c, const char *file,
		      const struct cli_opts *o)
{
	struct scen_opts so = {.quiet = true, .settle = o->settle,
			       .virtual_clock = !o->real_clock,
			       .rech = collect, .rech_arg = c};
	enum scen_result r;
	char msg[2048];
	struct le *le;

	list_flush(&c->arrows);
	(void)re_printf("=== %s\n", file);
	r = scen_run(file, &so, msg, sizeof(msg));
	if (r == SCEN_BADINPUT) {
		(void)re_fprintf(stderr, "imsbed: %s\n", msg);
		return EXIT_USAGE;
	}
	if (r != SCEN_PASS) {
		++c->failed;
		(void)re_printf("FAIL %s, clean: %s\n", file, msg);
		return EXIT_FAILED;
	}
	++c->passed;
	(void)re_printf("PASS %s, clean: %u SIP messages\n", file,
			list_count(&c->arrows));

	for (le = c->arrows.head; le; le = le->next) {
		one(c, file, le->data, MSGREC_LOST, o);
		one(c, file, le->data, MSGREC_DUP, o);
	}

	return EXIT_PASS;
}


int cmd_chaos(int argc, char *argv[], const struct cli_opts *o)
{
	struct chaos c;
	int i, rc = EXIT_PASS;

	if (argc < 1) {
		(void)re_fprintf(stderr, "imsbed chaos: no scenario file\n");
		return EXIT_USAGE;
	}

	memset(&c, 0, sizeof(c));
	for (i = 0; i < argc && rc != EXIT_USAGE; i++) {
		int e = chaos_file(&c, argv[i], o);

		if (e != EXIT_PASS)
			rc = e;
	}
	list_flush(&c.arrows);

	if (rc == EXIT_USAGE)
		return rc;

	(void)re_printf("%u not tried (listed above with why)\n", c.skipped);
	(void)re_printf("%u passed, %u failed\n", c.passed, c.failed);

	return c.failed ? EXIT_FAILED : EXIT_PASS;
}
