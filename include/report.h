/* SPDX-License-Identifier: BSD-3-Clause */
/* report: what a run leaves for people and tools: the trace file, the
 * ladder in lines and as a diagram, the capture, the golden ladders and
 * the JUnit report.  Above the nodes, beneath the driver. */

#ifndef IMSBED_REPORT_H
#define IMSBED_REPORT_H

#include <re.h>
#include "host.h"

struct http_msg;
struct diam;

/* ---- a run as the reports read it ---- */
enum scen_result {
	SCEN_PASS = 0,
	SCEN_FAIL = 1,
	SCEN_BADINPUT = 2,
};

/* A message a run saw, parsed once. */
struct lrec {
	struct le le;
	size_t idx;             /* 1-based, over the whole run */
	double t;
	enum sip_transp tp;
	char src[32];
	char dst[32];
	struct sip_msg *msg;    /* a SIP message, or */
	struct http_msg *hmsg;  /* an HTTP one, or */
	struct diam *dmsg;      /* a Diameter one (Cx) */
	char line[256];         /* its ladder line */
	char *raw;              /* the message, when a page is written */
	const char *note;       /* the note of the arrow it matched */
	unsigned flags;         /* enum msgrec_flag: what a fault did */
	size_t order;           /* idx of its first copy: a retransmission
				 * stands where the message first went */
	bool first_lost;        /* a retransmission whose first was lost */
	bool used;
};

/* Where each step began in the ladder, for the HTML page. */
struct step_mark {
	size_t first;           /* index of its first message */
	const char *note;
};

enum { MAX_MARKS = 256 };

/* The records (struct lrec) and where each step began. */
struct run_view {
	const struct list *recs;
	const struct step_mark *marks;
	size_t nmarks;
	bool no_cx;             /* the Cx arrows left out */
};

/* ---- html.c: the run as one self-contained page ---- */
int html_write(const char *path, const char *title, const struct run_view *v,
	       enum scen_result res, const char *fail);

/* ---- trace.c: JSON Lines trace file ---- */
struct trace;
int trace_open(struct trace **trp, const char *path);

/* ---- ladder.c: one line per message ---- */
int ladder_line(char *buf, size_t sz, double t, const char *src,
		const char *dst, const struct sip_msg *msg);
int ladder_http_line(char *buf, size_t sz, double t, const char *src,
		     const char *dst, const struct http_msg *msg);
int ladder_diam_line(char *buf, size_t sz, double t, const char *src,
		     const char *dst, const struct diam *d);
/* Whichever of the three is set */
int ladder_label(char *buf, size_t sz, const struct sip_msg *msg,
		 const struct http_msg *hmsg, const struct diam *dmsg);

/* ---- diagram.c: the ladder as a sequence diagram ---- */
struct diagram;
int  diagram_alloc(struct diagram **dp, bool colour);
int  diagram_column(struct diagram *d, const char *name);
void diagram_arrow(struct diagram *d, double t, const char *src,
		   const char *dst, const char *label);
/* The columns of a run, in order: each to h */
typedef void (report_column_h)(const char *name, void *arg);
void report_columns(report_column_h *h, void *arg, bool no_cx);

/* ---- pcap.c: the messages sent, as a capture file ---- */
struct pcapw;
int  pcapw_open(struct pcapw **wp, const char *path);
void pcapw_write(struct pcapw *w, const struct msgrec *rec);

/* ---- golden.c: ladders compared with the ones kept in git ---- */
int golden_check(const char *dir, const char *scenario,
		 const struct mbuf *ladder, bool update, char **diffp);

/* ---- junit.c: JUnit XML of a test run ---- */
struct junit;
int junit_open(struct junit **jp, const char *path);
int junit_case(struct junit *j, const char *file, double secs,
	       enum scen_result r, const char *msg, const struct mbuf *ladder);
int junit_close(struct junit *j);

#endif
