/* SPDX-License-Identifier: BSD-3-Clause */
/* Scenario engine internals shared by engine.c, scen.c and expect.c. */

#include "yml.h"

struct ue;

/* Media is summarised per direction, not shown packet by packet. */
struct media_sum {
	char src[32];
	char dst[32];
	uint32_t packets;
};

enum { MEDIA_SUMS = 8 };

struct engine {
	struct yml *y;
	struct yml *ty;                 /* topology file, when separate */
	struct topo *topo;
	const yml_node *steps;
	size_t step;
	struct list recs;
	struct le *window;              /* first record of the window */
	struct list caps;
	struct le lsnr;
	struct tmr tmr_settle;
	struct tmr tmr_step;
	struct tmr tmr_timeout;
	double settle;
	bool settling;
	bool quiet;
	struct mbuf *ladder;
	struct diagram *diagram;
	bool keep_raw;
	bool forget;                    /* drop each record once shown */
	struct step_mark marks[MAX_MARKS];
	size_t nmarks;
	struct media_sum media[MEDIA_SUMS];
	bool finished;
	enum scen_result result;
	char fail[1536];
};

const char *engine_capture(struct engine *e, const char *name);
void engine_fail(struct engine *e, const char *fmt, ...);
const char *engine_subst(struct engine *e, const char *in, char *buf,
			 size_t sz);
void engine_settle(struct engine *e);
void engine_settled(void *arg);

/* actions.c */
const yml_node *action_of(const struct yml *y, const yml_node *st,
			  const char **namep);
int  action_start(struct engine *e, const yml_node *st);
int  action_validate(struct engine *e, const yml_node *st, char *err,
		     size_t sz);
int engine_capture_set(struct engine *e, const char *name,
		       const struct pl *v);

/* expect.c */
int expect_check(struct engine *e, const yml_node *arrows, bool strict,
		 char *fail, size_t fsz);
int check_value(struct engine *e, const yml_node *m, const char *val,
		char *why, size_t wsz);


/* scen.c */
int scen_validate(struct engine *e, char *err, size_t sz);
