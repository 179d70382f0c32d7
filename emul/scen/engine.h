/* SPDX-License-Identifier: BSD-3-Clause */
/* The scenario driver's internals, shared by the files of emul/scen/:
 * the engine's state, the action table and what its actions share, and
 * the topology's lists. */

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
	struct wtmr tmr_settle;
	struct wtmr tmr_step;
	struct wtmr tmr_timeout;
	double settle;
	bool settling;
	bool quiet;
	bool no_cx;                     /* --no-cx: Cx not shown */
	struct mbuf *ladder;
	struct diagram *diagram;
	bool keep_raw;
	bool forget;                    /* drop each record once shown */
	struct list faults;             /* armed: the run's, the step's */
	scen_rec_h *rech;               /* imsbed chaos: every record */
	bool loose;                     /* imsbed chaos: see expect.c */
	void *rech_arg;
	bool on_enter;                  /* --step: pause until Enter ... */
	double slow;                    /* ... or --slow: this long */
	bool unpaused;                  /* q: the rest runs unpaused */
	struct step_mark marks[MAX_MARKS];
	size_t nmarks;
	struct media_sum media[MEDIA_SUMS];
	/* diameter_peers (act_diam.c): what it waits for, and how long */
	const yml_node *await;
	struct wtmr tmr_await;
	uint64_t await_from, await_until;
	char rtr_user[128];             /* an RTR over Diameter: for whom */
	bool finished;
	enum scen_result result;
	char fail[1536];
};

/* engine.c: the steps, one after the other */
void engine_fail(struct engine *e, const char *fmt, ...);

/* A re_printf handler that appends to the mbuf in arg. */
int  engine_mb_print(const char *p, size_t size, void *arg);

/* doctor.c: why an AKA registration of ue failed, in one sentence */
struct ue;
int  aka_doctor(char *buf, size_t sz, const struct ue *ue);
void engine_settle(struct engine *e);
void engine_extend_timeout(struct engine *e, uint64_t ms);
void engine_settled(void *arg);

/* record.c: what crosses the wire, decoded, shown and kept */
int  engine_listen(struct engine *e);
bool lrec_same(const struct lrec *a, const struct lrec *b);
void engine_media_print(struct engine *e);

/* present.c: --step and --slow, the live run paused at each message */
void engine_present_begin(const struct engine *e);
void engine_present_step(const struct engine *e, const char *note);
void engine_present_msg(struct engine *e, const struct lrec *r);
void engine_present_checked(const struct engine *e);
void engine_present_end(const struct engine *e, enum scen_result res,
			const char *fail);

/* match.c: one value against a matcher; captures and ${NAME} */
const char *engine_capture(struct engine *e, const char *name);
int  engine_capture_set(struct engine *e, const char *name,
			const struct pl *v);
const char *engine_subst(struct engine *e, const char *in, char *buf,
			 size_t sz);
bool match_value(struct engine *e, const yml_node *m, const char *val,
		 char *why, size_t wsz);
int  check_value(struct engine *e, const yml_node *m, const char *val,
		 char *why, size_t wsz);

/* expect.c: a step's expected arrows against its messages */
int  expect_check(struct engine *e, const yml_node *arrows, bool strict,
		  char *fail, size_t fsz);

/* actions.c: the table of scenario actions, and what they share */
struct action;

/* A check, run on the step's action value v when the file is loaded;
 * a start, run when the step comes (an error: the step fails). */
typedef int (act_check_h)(struct engine *e, const struct action *a,
			  const yml_node *v, char *err, size_t sz);
typedef int (act_start_h)(struct engine *e, const yml_node *v);

struct action {
	const char *name;               /* the step's key */
	const char *subject;            /* key naming what it acts on */
	const char *const *keys;        /* what its map form may hold */
	act_check_h *checkh;
	act_start_h *starth;
};

/* One entry of an option list (a phone's modes, a book's operations),
 * read by the action's check and by its start alike. */
struct act_opt {
	const char *name;
	int val;
	const char *str;
};

const struct action *action_find(const char *name);
const yml_node *action_of(const struct yml *y, const yml_node *st,
			  const struct action **ap);
int  action_start(struct engine *e, const yml_node *st);
int  action_validate(struct engine *e, const yml_node *st, char *err,
		     size_t sz);
const struct act_opt *act_opt_find(const struct act_opt *v,
				   const char *name);
int  act_opt_print(struct re_printf *pf, void *arg);
struct ue *act_ue(struct engine *e, const yml_node *v);
uint32_t act_uint(const struct yml *y, const yml_node *v, const char *key,
		  uint32_t dflt);
const char *act_str(const struct yml *y, const yml_node *v,
		    const char *key);
bool act_bool(const struct yml *y, const yml_node *v, const char *key,
	      bool dflt);
void act_done(int err, uint16_t scode, void *arg);
int  act_headers(char **hp, const struct yml *y, const yml_node *v);
act_check_h act_check_ue;

/* act_ue.c: what a UE does: register, subscribe, fetch, refer, calls */
act_check_h act_check_fetch, act_check_refer, act_check_phone,
	act_check_usim, act_check_message, act_check_call, act_check_reject;
act_start_h act_register, act_deregister, act_subscribe, act_unsubscribe,
	    act_fetch, act_refer, act_hangup, act_phone, act_usim,
	    act_message, act_call, act_cancel, act_hold, act_resume,
	    act_update, act_answer, act_reject;

/* act_core.c: the core on its own: network-initiated de-registration */
act_check_h act_check_dereg, act_check_ppr;
act_start_h act_dereg, act_ppr;

/* act_diam.c: waiting for a real core's Diameter peers */
act_check_h act_check_peers;
act_start_h act_peers;

/* act_book.c: the personal address book at the GM module */
act_check_h act_check_book;
act_start_h act_book;

/* act_as.c: an AS reconfigured while the scenario runs */
act_check_h act_check_configure;
act_start_h act_configure;

/* topo.c: the topology's lists, filled by topo_node.c and topo_role.c */
struct appdb;

struct topo {
	struct list roles;      /* role objects, released before nodes */
	struct list nodes;
	struct list ues;
	struct list ases;
	struct appdb *appdb;    /* the cloud database every AS shares */
};

int topo_keep(struct list *l, void *obj, const char *name);
int topo_addr(const struct yml *y, const yml_node *n, const char *what,
	      uint16_t dport, struct sa *sa, char *err, size_t sz);

/* topo_node.c: the nodes: list, each node with its role */
int topo_load_nodes(struct topo *t, const struct yml *y,
		    const yml_node *root, const char *domain, char *err,
		    size_t sz);

/* topo_role.c: what runs on a node (CSCF, AS, UE) */
struct node;
/* topo_cdiv.c: an AS node's diversion rules; as NULL refuses them */
int topo_diversion(struct as *as, const struct yml *y, const yml_node *nn,
		   const char *name, char *err, size_t sz);
int topo_make_role(struct topo *t, struct node *n, const struct yml *y,
		   const yml_node *nn, const yml_node *root, char *err,
		   size_t sz);

/* fault.c: what the network does to named arrows */
int  fault_check(const struct yml *y, const yml_node *list, char *err,
		 size_t sz);
int  fault_arm(struct engine *e, const yml_node *list, bool step);
void fault_step_end(struct engine *e);
void fault_start(struct engine *e);
int  fault_inject(struct engine *e, const struct scen_fault *sf);
void fault_stop(struct engine *e);

/* scen.c */
int scen_validate(struct engine *e, char *err, size_t sz);
