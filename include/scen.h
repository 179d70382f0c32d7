/* SPDX-License-Identifier: BSD-3-Clause */
/* scen: the scenario driver: a topology from YAML, and the engine that
 * runs a scenario over the wire and checks what it must. */

#ifndef IMSBED_SCEN_H
#define IMSBED_SCEN_H

#include <re.h>
#include "host.h"
#include "report.h"

struct yml;
struct yaml_node_s;
struct topo;
struct ue;
struct as;
struct engine;

/* ---- topo.c: a topology from YAML: nodes, HSSs, role objects ---- */
int topo_load(struct topo **tp, const struct yml *y,
	      const struct yaml_node_s *root,
	      char *err, size_t sz);
struct ue *topo_ue(const struct topo *t, const char *name);
struct as *topo_as(const struct topo *t, const char *name);
struct scscf;
struct scscf *topo_scscf(const struct topo *t, const char *name,
			 const char *impu);
int topo_ue_add(struct topo *t, struct ue **uep, struct node *n,
		const char *impi, const char *impu, const char *password);

/* ---- engine.c: runs a scenario file over the wire ---- */

/* A fault put on one arrow from outside the scenario (imsbed chaos). */
struct scen_fault {
	char from[32];
	char to[32];
	char method[32];        /* a request's, or */
	uint16_t status;        /* a response's */
	char cseq[32];
	uint32_t nth;           /* its occurrence, from 1 */
	unsigned verdict;       /* MSGREC_LOST or MSGREC_DUP */
};

struct lrec;
typedef void (scen_rec_h)(const struct lrec *r, void *arg);

struct scen_opts {
	bool quiet;             /* no live ladder */
	bool no_cx;             /* the ladders leave the Cx out */
	double timeout;         /* seconds for the whole scenario */
	double settle;          /* at least this many seconds of quiet */
	struct mbuf *ladder;    /* if set, the ladder is written here */
	bool diagram;           /* live ladder as a sequence diagram */
	const char *html;       /* write the run as an HTML page here */
	bool step;              /* walk through the messages on Enter */
	double slow;            /* ... or one every this many seconds */
	bool colour;            /* ... coloured (output is a terminal) */
	bool virtual_clock;     /* skip the time when all is quiet */
	const struct scen_fault *inject;        /* one more fault */
	bool loose;             /* chaos: order and copies a fault made */
	scen_rec_h *rech;       /* each message recorded, as it is */
	void *rech_arg;
};

enum scen_result scen_run(const char *path, const struct scen_opts *o,
			  char *msg, size_t sz);

/* A scenario with an inline topology, checked and not run. */
int scen_check(struct yml *y, char *err, size_t sz);

/* A recorder of what crosses the wire without a scenario (serve): the
 * live ladder as o says, and the records kept for a page if o->html. */
struct engine;
int engine_recorder(struct engine **ep, const struct scen_opts *o);
int engine_page(const struct engine *e, const char *path,
		const char *title);

#endif
