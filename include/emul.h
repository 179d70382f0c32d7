/* SPDX-License-Identifier: BSD-3-Clause */
/* emul: the host every node lives in: node registry, name resolution
 * without DNS, the loopback guard, message records (trace and ladder),
 * logging by node and category, and the SIP helpers all nodes share. */

#ifndef IMSBED_EMUL_H
#define IMSBED_EMUL_H

#include <regex.h>
#include <re.h>

struct yml;

struct hss;
struct topo;
struct yaml_node_s;
struct ue;
struct as;

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
void node_set_impl(struct node *n, void *impl, const struct node_ops *ops);
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

/* ---- trust.c: the trust domain, and the peers outside the topology ---- */
/* The node at addr by name, a declared peer's name, or EMUL_EXT for any
 * other sender outside the topology: the name records and ladders give. */
const char *emul_peer_name(const struct sa *addr);
#define EMUL_EXT "ext"
int  emul_peer_add(const char *name, const struct sa *addr, bool trusted);
void emul_peer_flush(void);
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
};

typedef void (msgrec_h)(const struct msgrec *rec, void *arg);

int    msgrec_listen(struct le *le, msgrec_h *h, void *arg);
void   msgrec_unlisten(struct le *le);
void   msgrec_emit(const struct msgrec *rec);
double emul_time(void);
uint64_t emul_rand_u64(void);
void emul_seed(uint64_t n);
bool emul_seeded(void);
void emul_random(uint8_t *p, size_t n);
void   emul_time_reset(void);

/* ---- dialog.c: a dialog's state and its requests (RFC 3261 12) ---- */
struct dlg;

int  dlg_uas(struct dlg **dp, struct node *n, const struct sip_msg *req,
	     const char *lcontact);
int  dlg_uac(struct dlg **dp, struct node *n, const struct sip_msg *msg,
	     bool is_request, uint32_t lseq, const char *lcontact);
bool dlg_match(const struct dlg *d, const struct sip_msg *msg);
bool dlg_rseq_ok(struct dlg *d, const struct sip_msg *msg);
const char *dlg_callid(const struct dlg *d);
int  dlg_request(struct sip_request **reqp, struct dlg *d, const char *met,
		 const char *hdrs, const char *ctype, const struct pl *body,
		 sip_resp_h *resph, void *arg);

/* ---- wheel.c: long per-user timers without libre's sorted list ---- */
struct wheel;
typedef void (wheel_h)(void *arg);

struct wheel_ent {
	struct le le;
	struct wheel *w;
	uint64_t slot;
	wheel_h *h;
	void *arg;
};

int  wheel_alloc(struct wheel **wp, uint32_t bsize);
void wheel_start(struct wheel *w, struct wheel_ent *e, uint64_t delay_ms,
		 wheel_h *h, void *arg);
void wheel_cancel(struct wheel_ent *e);
uint64_t wheel_left(const struct wheel_ent *e);

/* ---- trace.c: JSON Lines trace file ---- */
struct trace;
int trace_open(struct trace **trp, const char *path);

/* ---- sipx.c: SIP helpers shared by every node ---- */
int  sipx_hdr_str(char **sp, const struct sip_msg *msg, enum sip_hdrid id);
bool sipx_hdr_pl(struct pl *pl, const struct sip_msg *msg, const char *name);
uint32_t sipx_expires(const struct sip_msg *msg, const struct pl *ctparams,
		      uint32_t dflt);
int  sipx_print_hdrs(struct mbuf *mb, const struct sip_msg *msg,
		     const enum sip_hdrid *skipv, size_t skipc,
		     bool skip_first_via, bool skip_first_route);
int  sipx_auth_param(const struct pl *hval, const char *name, char *buf,
		     size_t sz);
int  sipx_hdr_lines(char **sp, const struct sip_msg *msg,
		    enum sip_hdrid id, const char *as);
bool sipx_uri_next(struct pl *rest, struct pl *uri);
uint32_t sipx_hash_count(const struct hash *h);
bool sipx_creates_dialog(const struct sip_msg *msg);
int  sipx_asserted_id(char *buf, size_t sz, const struct sip_msg *msg);
int  sipx_hexval(char c);
int  sipx_uri_aor(char *buf, size_t sz, const struct pl *uri);
const char *sipx_reason(uint16_t scode);

/* ---- wire.c: what libre's parser refuses is answered, not dropped ---- */
/* The UDP socket libre opens next is node n's SIP socket (NULL: none). */
void wire_listen_hint(struct node *n);

/* ---- regex.c: the files' regexes, compiled one way ---- */
/* POSIX ERE with flags, refused (why says so) when too long or with a
 * repetition of a repetition, which glibc takes exponential time on. */
int emul_regcomp(regex_t *re, const char *pattern, int flags, char *why,
		 size_t wsz);

/* ---- sipcheck.c: a malformed request, before any policy ---- */
/* 400 with *reason naming the fault, or 0; ua adds what a user agent
 * needs of a dialog-creating request (From tag, Contact). */
uint16_t sipx_bad_request(const struct sip_msg *msg, bool ua,
			  const char **reason);

/* ---- topo.c: a topology from YAML: nodes, HSSs, role objects ---- */
int topo_load(struct topo **tp, const struct yml *y,
	      const struct yaml_node_s *root,
	      char *err, size_t sz);
struct ue *topo_ue(const struct topo *t, const char *name);
struct as *topo_as(const struct topo *t, const char *name);
int topo_ue_add(struct topo *t, struct ue **uep, struct node *n,
		const char *impi, const char *impu, const char *password);

/* ---- engine.c: runs a scenario file over the wire ---- */
enum scen_result {
	SCEN_PASS = 0,
	SCEN_FAIL = 1,
	SCEN_BADINPUT = 2,
};

struct scen_opts {
	bool quiet;             /* no live ladder */
	double timeout;         /* seconds for the whole scenario */
	double settle;          /* at least this many seconds of quiet */
	struct mbuf *ladder;    /* if set, the ladder is written here */
	bool diagram;           /* live ladder as a sequence diagram */
	const char *html;       /* write the run as an HTML page here */
	bool step;              /* walk through the messages on Enter */
	double slow;            /* ... or one every this many seconds */
	bool colour;            /* ... coloured (output is a terminal) */
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

/* ---- diagram.c: the ladder as a sequence diagram ---- */
struct diagram;
int  diagram_alloc(struct diagram **dp, bool colour);
int  diagram_column(struct diagram *d, const char *name);
void diagram_arrow(struct diagram *d, double t, const char *src,
		   const char *dst, const char *label);

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

/* ---- bench.c: the registration benchmark ---- */
int bench_run(uint32_t n, uint32_t window, bool udp);

/* ---- ladder.c: one line per message ---- */
int ladder_line(char *buf, size_t sz, double t, const char *src,
		const char *dst, const struct sip_msg *msg);
int ladder_http_line(char *buf, size_t sz, double t, const char *src,
		     const char *dst, const struct http_msg *msg);
int ladder_label(char *buf, size_t sz, const struct sip_msg *msg,
		 const struct http_msg *hmsg);

/* ---- httpc.c: a small HTTP/1.1 client whose requests are traced ---- */
struct http_msg;
struct httpc;
typedef void (httpc_resp_h)(int err, const struct http_msg *msg,
			    void *arg);

/* GET path from node 'from' to dst; auth is the Authorization value or
 * NULL.  resph is called once; mem_deref(*reqp) cancels. */
int httpc_get(struct httpc **reqp, struct node *from, const struct sa *dst,
	      const char *host, const char *path, const char *auth,
	      httpc_resp_h *resph, void *arg);
/* Any method, with a body of Content-Type ctype when body is set. */
int httpc_request(struct httpc **reqp, struct node *from,
		  const struct sa *dst, const char *host, const char *method,
		  const char *path, const char *auth, const char *ctype,
		  const char *body, httpc_resp_h *resph, void *arg);

#endif
