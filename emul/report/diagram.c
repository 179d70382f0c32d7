/* SPDX-License-Identifier: BSD-3-Clause */
/* The ladder as a sequence diagram: one column per node, a lifeline
 * under each, and per message an arrow from the sender's column to the
 * receiver's with the message's first line on it.  It fits the terminal's
 * width, and is coloured only when it goes to a terminal. */

#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <re.h>
#include "host.h"
#include "sipkit.h"
#include "hss.h"
#include "report.h"

enum { MAX_COLS = 24, NAME_LEN = 16, TIME_W = 9 };

struct diagram {
	char names[MAX_COLS][NAME_LEN];
	size_t ncols;
	size_t step;            /* characters between lifelines */
	bool colour;
	bool header_done;
};


static void destructor(void *arg)
{
	(void)arg;
}


int diagram_alloc(struct diagram **dp, bool colour)
{
	struct diagram *d;

	if (!dp)
		return EINVAL;

	d = mem_zalloc(sizeof(*d), destructor);
	if (!d)
		return ENOMEM;

	d->colour = colour;
	*dp = d;

	return 0;
}


/* Columns in the order the nodes are first named: the topology's
 * order for a live run, the trace's for a saved one. */
int diagram_column(struct diagram *d, const char *name)
{
	size_t i;

	if (!d || !name || !*name)
		return -1;

	for (i = 0; i < d->ncols; i++) {
		if (!strcmp(d->names[i], name))
			return (int)i;
	}

	if (d->ncols == MAX_COLS)
		return -1;

	str_ncpy(d->names[d->ncols], name, NAME_LEN);
	d->header_done = false;

	return (int)d->ncols++;
}


static size_t term_width(void)
{
	struct winsize ws;

	if (!ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) && ws.ws_col >= 40)
		return ws.ws_col;

	return 132;
}


static void layout(struct diagram *d)
{
	size_t w = term_width() - TIME_W - 2;

	d->step = d->ncols > 1 ? w / d->ncols : w;
	if (d->step < 8)
		d->step = 8;
}


static void header(struct diagram *d)
{
	char line[1024];
	size_t i, pos;

	layout(d);
	memset(line, ' ', sizeof(line));
	for (i = 0; i < d->ncols; i++) {
		size_t n = strlen(d->names[i]);

		pos = TIME_W + i * d->step;
		if (pos + n >= sizeof(line))
			break;
		memcpy(&line[pos], d->names[i], n);
	}
	pos = TIME_W + d->ncols * d->step;
	line[MIN(pos, sizeof(line) - 1)] = '\0';
	for (i = strlen(line); i && line[i - 1] == ' '; i--)
		line[i - 1] = '\0';
	(void)re_printf("%s\n", line);
	d->header_done = true;
}


static const char *colour_of(const char *label)
{
	if (!strncmp(label, "HTTP", 4))
		return "\033[35m";             /* magenta */
	if (label[0] >= '1' && label[0] <= '6' && label[1] >= '0' &&
	    label[1] <= '9') {
		if (label[0] == '1')
			return "\033[90m";     /* grey */
		return label[0] == '2' ? "\033[32m" : "\033[31m";
	}

	return "\033[36m";                     /* requests: cyan */
}


void diagram_arrow(struct diagram *d, double t, const char *src,
		   const char *dst, const char *label)
{
	char line[1024];
	int a = diagram_column(d, src), b = diagram_column(d, dst);
	size_t i, from, to, lo, hi, n, w, end;

	if (!d || a < 0)
		return;
	if (b < 0)
		b = a;

	if (!d->header_done)
		header(d);

	end = MIN(TIME_W + d->ncols * d->step, sizeof(line) - 1);
	memset(line, ' ', end);
	line[end] = '\0';
	/* libre's %f cuts where printf rounds (ladder.c). */
	(void)re_snprintf(line, TIME_W, "%8.3f", t + 5e-7);
	line[strlen(line)] = ' ';

	for (i = 0; i < d->ncols; i++) {
		size_t pos = TIME_W + i * d->step + 1;

		if (pos < end)
			line[pos] = '|';
	}

	from = TIME_W + (size_t)a * d->step + 1;
	to = TIME_W + (size_t)b * d->step + 1;
	lo = MIN(from, to);
	hi = MAX(from, to);

	if (lo == hi) {
		/* To itself, or to a peer outside the topology. */
		hi = MIN(lo + d->step - 1, end - 1);
	}

	for (i = lo + 1; i < hi; i++)
		line[i] = '-';
	if (to >= from)
		line[hi - 1] = '>';
	else
		line[lo + 1] = '<';

	/* The label rides on the arrow, cut to what fits. */
	w = hi - lo > 6 ? hi - lo - 5 : 0;
	n = MIN(strlen(label), w);
	if (n)
		memcpy(&line[lo + 3], label, n);

	/* No trailing blanks: a ladder pasted into a report stays tidy. */
	while (end > hi + 1 && line[end - 1] == ' ')
		line[--end] = '\0';

	if (d->colour)
		(void)re_printf("%b%s%b\033[0m%s\n", line, lo,
				colour_of(label), &line[lo], hi - lo + 1,
				&line[hi + 1 <= end ? hi + 1 : end]);
	else
		(void)re_printf("%s\n", line);
}


/* The nodes in the topology's order, the HSSs right after the last
 * CSCF: the Cx arrows stay short beside the SIP, in the terminal's
 * diagram and on the page alike. */
void report_columns(report_column_h *h, void *arg, bool no_cx)
{
	struct le *le, *last = NULL;
	struct hss *hs;
	size_t i;

	if (!h)
		return;

	for (le = emul_nodes()->head; le; le = le->next) {
		enum node_role r = node_role(le->data);

		if (r == ROLE_PCSCF || r == ROLE_ICSCF || r == ROLE_SCSCF)
			last = le;
	}

	for (le = emul_nodes()->head; le; le = le->next) {
		h(node_name(le->data), arg);
		for (i = 0; le == last && !no_cx && (hs = slf_nth(i)); i++)
			h(hss_name(hs), arg);
	}
}
