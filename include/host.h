/* SPDX-License-Identifier: BSD-3-Clause */
/* host: what every node may use, the ground floor: the node registry and
 * name resolution without DNS, logging by node and category, the loopback
 * guard and the trust domain, message records and the engine's clock,
 * random numbers, the timer wheel, and the answer to what libre's parser
 * refuses. */

#ifndef IMSBED_HOST_H
#define IMSBED_HOST_H

#include <sys/types.h>
#include <sys/socket.h>
#include <re.h>

struct node;

/* ---- fsm.c: protocol state as tables (libosmocore's osmo_fsm) ---- */
#define FSM_BIT(x) (1u << (x))

struct fsm_state {
	const char *name;
	uint32_t in_events;             /* FSM_BIT of each permitted event */
	uint32_t out_states;            /* FSM_BIT of each state to go to */
};

struct fsm_def {
	const char *name;               /* the log category: "ue-reg" */
	const struct fsm_state *states;
	size_t nstates;
	const char *const *events;      /* names, by event number (< 32) */
	size_t nevents;
};

/* An instance, embedded in the object whose state it is. */
struct fsm {
	const struct fsm_def *def;
	const char *id;                 /* who, in the log: the node name */
	unsigned state;
};

void fsm_init(struct fsm *f, const struct fsm_def *def, const char *id,
	      unsigned state);
bool fsm_permits(const struct fsm *f, unsigned ev);
/* Logs that ev is not permitted where f is; returns EPERM. */
int  fsm_refuse(const struct fsm *f, unsigned ev);
/* ev moves f to state to: EPERM (logged) when the state does not permit
 * ev or may not go there. */
int  fsm_event(struct fsm *f, unsigned ev, unsigned to);
const char *fsm_state_name(const struct fsm *f);

/* ---- log.c: logging by node and category ---- */
enum log_level {
	LOG_ERR = 0,
	LOG_WARN,
	LOG_INFO,
	LOG_DEBUG,
};

void elog(enum log_level lvl, const char *node, const char *cat,
	  const char *fmt, ...);
void log_set_level(enum log_level lvl);
void log_capture(struct mbuf *mb);
/* -v CATEGORY=LEVEL: ENOENT for an unknown category, EINVAL for a bad
 * spec; log_categories prints the table. */
int  log_set_category(const char *spec);
int  log_categories(struct re_printf *pf);
void log_set_node(const char *node);
enum log_level log_level(void);

/* ---- netguard.c: nothing leaves 127.0.0.0/8 ---- */
bool     netguard_allowed(const struct sa *dst);
uint32_t netguard_refused(void);
void     netguard_bind_hint(const struct sa *laddr);
uint16_t netguard_port(void);
void     netguard_note_drop(void);
uint32_t netguard_dropped(void);
/* A TCP connection from local to remote that this process opened and
 * has not closed: how a node's TCP peer is known to be a node. */
bool     netguard_owned(const struct sa *local, const struct sa *remote);
void     netguard_flush(void);

/* ---- node.c: the node registry ---- */
enum node_role {
	ROLE_PCSCF = 0,
	ROLE_ICSCF,
	ROLE_SCSCF,
	ROLE_AS,
	ROLE_UE,
	ROLE_HSS,
};

struct node;

enum node_flags {
	NODE_TCP  = 1 << 0,     /* peers reach it over TCP */
	NODE_DOWN = 1 << 1,     /* in the topology, but not listening */
	NODE_LEAN = 1 << 2,     /* UDP only: the benchmark's many UEs */
	/* run by someone else (a real core's CSCF, an AS) at its address:
	 * in the registry to be routed to, named and trusted, no socket */
	NODE_EXTERNAL = 1 << 3,
};

/* A role's hooks; 'impl' is the object the role allocated. */
struct node_ops {
	sip_msg_h *reqh;                /* every request: return true */
	sip_msg_h *resph;               /* stray responses */
	/* State query for scenario checks: prints the answer into pf. */
	int (*query)(struct re_printf *pf, void *impl, const char *what,
		     const char *arg);
};

int  node_alloc(struct node **np, const char *name, enum node_role role,
		const struct sa *addr, const char *domain, unsigned flags);
bool node_tcp(const struct node *n);
bool node_external(const struct node *n);
/* Whether any node of the topology is external: the run must keep the
 * real clock, which the outside lives on. */
bool emul_has_external(void);
/* The layer beneath a node's handlers: true from tap when it took msg.
 * The node owns stack (mem_deref) from here on. */
typedef bool (node_tap_h)(const struct sip_msg *msg, void *stack);
void node_set_stack(struct node *n, void *stack, node_tap_h *tap);
void *node_stack(const struct node *n);
void node_set_impl(struct node *n, void *impl, const struct node_ops *ops);
/* Whether the nodes hand what they send to msgrec (msgrec_refresh). */
void node_trace(bool on);
bool node_tracing(void);
const char *node_name(const struct node *n);
const char *node_host(const struct node *n);   /* name.domain */
enum node_role node_role(const struct node *n);
const struct sa *node_addr(const struct node *n);
struct sip *node_sip(const struct node *n);
void *node_impl(const struct node *n);
const char *node_role_name(enum node_role r);
int  node_role_decode(enum node_role *rp, const char *s);
int  node_query(struct re_printf *pf, const struct node *n, const char *what,
		const char *arg);

struct node *emul_node(const char *name);
struct node *emul_node_by_addr(const struct sa *addr);
/* Nodes in the registry: 0 once every node made has been freed. */
size_t node_count(void);

/* ---- trust.c: the trust domain, and the peers outside the topology ---- */
/* The node at addr by name, a declared peer's name, or EMUL_EXT for any
 * other sender outside the topology: the name records and ladders give. */
const char *emul_peer_name(const struct sa *addr);
#define EMUL_EXT "ext"
int  emul_peer_add(const char *name, const struct sa *addr, bool trusted);
void emul_peer_flush(void);
size_t emul_peer_count(void);
/* The node that really sent msg (UDP: its address and port; TCP: a
 * connection a node opened), or NULL for a sender outside the topology. */
struct node *emul_sender(const struct sip_msg *msg);
struct node *emul_sender_at(enum sip_transp tp, const struct sa *src,
			    const struct sa *dst);
/* What a sender outside the topology is called: its peer name, or ext. */
const char *emul_outside_name(const struct sa *addr);
/* msg comes from inside the trust domain (RFC 3325): a node that is not
 * a UE, or a peer the topology declares trusted. */
bool emul_trusted(const struct sip_msg *msg);
struct node *emul_node_by_role(enum node_role r);
struct list *emul_nodes(void);
void emul_flush(void);

/* Resolves a SIP URI's host to an address of the topology: a node's
 * name, its name.domain, the home domain (the I-CSCF), or a loopback
 * literal of a node.  Never DNS.  ENOENT when outside the topology. */
int  emul_resolve(struct sa *addr, struct node **np, const struct uri *uri);
void emul_set_domain(const char *domain);
const char *emul_domain(void);

/* ---- msgrec.c: every message a node sends, to whoever listens ---- */
struct msgrec {
	double t;
	const char *proto;              /* "sip" */
	enum sip_transp tp;
	const char *src;                /* node names, "" when unknown */
	const char *dst;
	struct sa src_addr;
	struct sa dst_addr;
	const uint8_t *raw;
	size_t len;
	const uint8_t *wire;            /* the bytes on the wire when they
					 * differ from raw (SRTP), or NULL */
	size_t wirelen;
	unsigned flags;                 /* enum msgrec_flag */
	uint64_t delay_ms;              /* MSGREC_DELAYED: by how much */
};

/* What happened to a message on its way (fault.c), and what it was. */
enum msgrec_flag {
	MSGREC_LOST    = 1u << 0,       /* never reached its peer */
	MSGREC_DUP     = 1u << 1,       /* reached it twice */
	MSGREC_DELAYED = 1u << 2,
	MSGREC_HELD    = 1u << 3,       /* behind the next on its path */
	MSGREC_RETRANS = 1u << 4,       /* a retransmission (17, 13.3.1.4) */
};

typedef void (msgrec_h)(const struct msgrec *rec, void *arg);

int    msgrec_listen(struct le *le, msgrec_h *h, void *arg);
void   msgrec_unlisten(struct le *le);
void   msgrec_emit(const struct msgrec *rec);
void   msgrec_refresh(void);
double emul_time(void);
uint64_t emul_rand_u64(void);
void emul_seed(uint64_t n);
bool emul_seeded(void);
void emul_random(uint8_t *p, size_t n);
void   emul_time_reset(void);

/* ---- clock.c: one clock for the process, real or virtual ---- */
enum clk_mode {
	CLK_REAL = 0,           /* libre's: gettimeofday() */
	CLK_VIRTUAL,            /* jumps to the next timer when all is quiet */
};

void clk_set_mode(enum clk_mode mode);
enum clk_mode clk_mode(void);
uint64_t clk_now(void);                 /* ms, what tmr_jiffies() says */
uint64_t clk_now_us(void);              /* the same in microseconds */
uint64_t clk_jumped(void);              /* ms the virtual clock skipped */

/* ---- wtmr.c: every timer on one hierarchical timing wheel ---- */
#define WTMR_MAX_MS ((1ULL << 40) - 1)  /* 34 years: longer is capped */

typedef void (wtmr_h)(void *arg);

struct wtmr {
	struct le le;
	uint64_t at;                    /* ms on the clock */
	wtmr_h *h;
	void *arg;
	uint8_t lvl, idx;               /* where it waits */
};

/* O(1) both, whatever the number of timers running. */
void wtmr_start(struct wtmr *t, uint64_t delay_ms, wtmr_h *h, void *arg);
void wtmr_cancel(struct wtmr *t);
bool wtmr_isrunning(const struct wtmr *t);
uint64_t wtmr_left(const struct wtmr *t);
uint32_t wtmr_count(void);

/* ---- wheel.c: a node's group of per-user timers on the one wheel ---- */
struct wheel;
typedef void (wheel_h)(void *arg);

struct wheel_ent {
	struct le le;
	struct wheel *w;                /* NULL: not running */
	struct wtmr t;
	wheel_h *h;
	void *arg;
};

int  wheel_alloc(struct wheel **wp, uint32_t bsize);
void wheel_start(struct wheel *w, struct wheel_ent *e, uint64_t delay_ms,
		 wheel_h *h, void *arg);
void wheel_cancel(struct wheel_ent *e);
uint64_t wheel_left(const struct wheel_ent *e);

/* ---- fault.c: faults on the wire, as a scenario asks ---- */
/* The matcher: the verdict (MSGREC_LOST, _DUP, _DELAYED, _HELD or 0)
 * for a SIP message a node sends; *delay_ms for MSGREC_DELAYED. */
typedef unsigned (fault_h)(const struct msgrec *rec, uint64_t *delay_ms,
			   void *arg);
typedef ssize_t (fault_sendto_f)(int, const void *, size_t, int,
				 const struct sockaddr *, socklen_t);

void fault_set_handler(fault_h *h, void *arg);
bool fault_armed(void);

/* ---- re_regex.c: libre's re_regex, each pattern compiled once ---- */
/* For tests: every match done again by libre's own and compared. */
void regex_selfcheck(bool on);
uint32_t regex_mismatches(void);
/* The pattern runs compiled (false: libre's own runs it). */
bool regex_modelled(const char *expr);
void fault_decide(struct msgrec *rec);
int  fault_down(const struct sa *addr, uint64_t ms);
bool fault_is_down(const struct sa *addr);
ssize_t fault_sendto(fault_sendto_f *real, int fd, const void *buf,
		     size_t len, int flags, const struct sockaddr *to,
		     socklen_t tolen);
void fault_flush(void);
/* The next record is of a retransmission (the transaction layer). */
void msgrec_mark_next(unsigned flags);

/* ---- wire.c: what libre's parser refuses is answered, not dropped ---- */
/* The UDP socket libre opens next is node n's SIP socket (NULL: none). */
void wire_listen_hint(struct node *n);

#endif
