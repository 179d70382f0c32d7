/* SPDX-License-Identifier: BSD-3-Clause */
/* Logging by node and category ("pcscf/route: ..."), so that one node's or
 * one layer's messages can be picked out of a run with grep or -v. */

#include <stdarg.h>
#include <stdio.h>
#include <re.h>
#include "host.h"

static enum log_level level = LOG_WARN;
static struct mbuf *capture;


/* Lines go to mb instead of stderr while it is set (a test's golden log). */
void log_capture(struct mbuf *mb)
{
	capture = mb;
}


void log_set_level(enum log_level lvl)
{
	level = lvl;
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

	if (lvl > level)
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
