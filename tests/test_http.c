/* SPDX-License-Identifier: BSD-3-Clause */
/* HTTP over loopback: the GM, IM and PS modules answered by the client in
 * emul/sip/httpc.c, bearer tokens, every error status, the client's own
 * errors, and the traced request and response bytes. */

#include <string.h>
#include <re.h>
#include "yml.h"
#include "host.h"
#include "sipkit.h"
#include "report.h"
#include "scen.h"
#include "as.h"
#include "tests.h"

enum {
	PORT_GM   = 18081,      /* IM and PS on the next two */
	PORT_NONE = 18089,      /* nothing listens */
	PORT_FAKE = 18088,      /* a server that answers what it is told */
	REC_MAX   = 8,
};

static const char appdata[] =
	"appdata:\n"
	"  directory:\n"
	"    - {name: Mary, department: Cardiology, "
	"numbers: [\"+16328300101\"]}\n"
	"  users:\n"
	"    - impu: sip:user1@ims.test\n"
	"      name: User One\n"
	"      contacts:\n"
	"        - {name: Bob, number: \"+16328300002\", "
	"uri: \"sip:user2@ims.test\",\n"
	"           groups: [friends, favourites]}\n"
	"      presence: {status: online, note: \"at the desk\"}\n"
	"      messages:\n"
	"        - {from: \"sip:user2@ims.test\", "
	"time: \"2026-11-25T09:00:00Z\", text: hello}\n"
	"    - impu: sip:user2@ims.test\n"
	"      name: User Two\n"
	"      presence: {status: away}\n";

static const char profile1[] =
	"{\"impu\":\"sip:user1@ims.test\",\"name\":\"User One\","
	"\"groups\":{\"favourites\":[{\"name\":\"Bob\","
	"\"uri\":\"sip:user2@ims.test\",\"number\":\"+16328300002\"}],"
	"\"friends\":[{\"name\":\"Bob\",\"uri\":\"sip:user2@ims.test\","
	"\"number\":\"+16328300002\"}],\"blacklist\":[]}}";

static const char dir_json[] =
	"{\"entries\":[{\"name\":\"Mary\",\"department\":\"Cardiology\","
	"\"numbers\":[\"+16328300101\"]}]}";

/* A message a listener saw, copied: the record's pointers are brief */
struct seen {
	char proto[8];
	char src[16];
	char dst[16];
	enum sip_transp tp;
	struct sa src_addr;
	struct sa dst_addr;
	char raw[1024];
};

struct fixture {
	struct http_bed bed;
	struct asmod *mod[ASMOD_COUNT];
	struct sa addr[ASMOD_COUNT];
	struct le lsnr;
	struct seen seen[REC_MAX];
	size_t nseen;
	struct http_answer ans;         /* the last answer */
};

static struct fixture fx;


static void rec_handler(const struct msgrec *rec, void *arg)
{
	struct fixture *f = arg;
	struct seen *s;

	if (f->nseen >= REC_MAX)
		return;

	s = &f->seen[f->nseen++];
	memset(s, 0, sizeof(*s));
	str_ncpy(s->proto, rec->proto, sizeof(s->proto));
	str_ncpy(s->src, rec->src, sizeof(s->src));
	str_ncpy(s->dst, rec->dst, sizeof(s->dst));
	s->tp = rec->tp;
	s->src_addr = rec->src_addr;
	s->dst_addr = rec->dst_addr;
	memcpy(s->raw, rec->raw, min(rec->len, sizeof(s->raw) - 1));
}


/* GETs path from ue1 and waits for the answer */
static void get(const struct sa *dst, const char *path, const char *auth)
{
	struct httpc *req = NULL;

	http_answer_reset(&fx.ans);
	fx.nseen = 0;

	CU_ASSERT_EQUAL_FATAL(httpc_get(&req, fx.bed.ue, dst,
					"as1.ims.test", path, auth,
					http_answer_h, &fx.ans), 0);
	CU_ASSERT_PTR_NOT_NULL(req);
	CU_ASSERT(!fx.ans.done);

	test_run_for(3000);          /* resph stops the loop */

	/* done, the request freed itself and cleared the pointer */
	CU_ASSERT(fx.ans.done);
	CU_ASSERT_PTR_NULL(req);
	mem_deref(req);
}


static const struct http_token tokens[] = {
	{"tok1", "sip:user1@ims.test"},
	{"tok2", "sip:user2@ims.test"},
	{"tok9", "sip:nobody@ims.test"},
	{NULL, NULL},
};


static int setup(void)
{
	struct sa a;
	int i, e;

	memset(&fx, 0, sizeof(fx));
	e = http_bed_open(&fx.bed, "127.0.7", 1, NULL, appdata);

	for (i = 0; i < ASMOD_COUNT && !e; i++) {
		e = sa_set_str(&a, "127.0.7.1", PORT_GM + i);
		e = e ? e : asmod_alloc(&fx.mod[i], i, fx.bed.as, &a,
					fx.bed.db, http_token_impu,
					(void *)tokens);
		fx.addr[i] = a;
	}

	e = e ? e : msgrec_listen(&fx.lsnr, rec_handler, &fx);
	if (e)
		re_fprintf(stderr, "http setup: %m\n", e);

	return e;
}


static int teardown(void)
{
	int i;

	msgrec_unlisten(&fx.lsnr);
	for (i = 0; i < ASMOD_COUNT; i++)
		fx.mod[i] = mem_deref(fx.mod[i]);
	http_bed_close(&fx.bed);

	return 0;
}


static void test_traced(void)
{
	char head[512];
	struct sa ip;

	get(&fx.addr[ASMOD_GM], "/gm/v1/users/sip:user1@ims.test/profile",
	    "Bearer tok1");
	CU_ASSERT_EQUAL(fx.ans.err, 0);
	CU_ASSERT_EQUAL(fx.ans.scode, 200);
	ASSERT_STR(fx.ans.body, profile1);
	ASSERT_STR(fx.ans.ctype, "application/json");
	ASSERT_STR(fx.ans.server, "imsbed");

	/* the request from ue1's address, the response from the module */
	CU_ASSERT_EQUAL_FATAL(fx.nseen, 2);
	ASSERT_STR(fx.seen[0].proto, "http");
	ASSERT_STR(fx.seen[0].src, "ue1");
	ASSERT_STR(fx.seen[0].dst, "as1");
	CU_ASSERT_EQUAL(fx.seen[0].tp, SIP_TRANSP_TCP);
	(void)sa_set_str(&ip, "127.0.7.2", 0);
	CU_ASSERT(sa_cmp(&fx.seen[0].src_addr, &ip, SA_ADDR));
	CU_ASSERT(sa_cmp(&fx.seen[0].dst_addr, &fx.addr[ASMOD_GM], SA_ALL));
	ASSERT_STR(fx.seen[0].raw, "GET /gm/v1/users/sip:user1@ims.test/"
		   "profile HTTP/1.1\r\nHost: as1.ims.test\r\n"
		   "Authorization: Bearer tok1\r\n"
		   "Accept: application/json\r\nUser-Agent: imsbed\r\n"
		   "Connection: close\r\n\r\n");

	ASSERT_STR(fx.seen[1].proto, "http");
	ASSERT_STR(fx.seen[1].src, "as1");
	ASSERT_STR(fx.seen[1].dst, "ue1");
	CU_ASSERT_EQUAL(fx.seen[1].tp, SIP_TRANSP_TCP);
	CU_ASSERT(sa_cmp(&fx.seen[1].src_addr, &fx.addr[ASMOD_GM], SA_ALL));
	CU_ASSERT(sa_cmp(&fx.seen[1].dst_addr, &fx.seen[0].src_addr,
			 SA_ALL));
	(void)re_snprintf(head, sizeof(head), "HTTP/1.1 200 OK\r\n"
			  "Server: imsbed\r\n"
			  "Content-Type: application/json\r\n"
			  "Content-Length: %zu\r\n"
			  "Connection: close\r\n\r\n%s",
			  strlen(profile1), profile1);
	ASSERT_STR(fx.seen[1].raw, head);
}


#define P1 "/gm/v1/users/sip:user1@ims.test/profile"

/* What each request gets: status and, when given, the exact body */
static const struct {
	enum asmod_kind kind;
	const char *path;
	const char *auth;
	uint16_t scode;
	const char *body;
} cases[] = {
	/* {impu} percent-encoded is the same user */
	{ASMOD_GM, "/gm/v1/users/sip%3auser1%40ims.test/profile",
	 "Bearer tok1", 200, profile1},
	{ASMOD_GM, "/gm/v1/users/sip:user1@ims.test/addressbook",
	 "Bearer tok1", 200, "{\"impu\":\"sip:user1@ims.test\",\"version\":1,"
	 "\"entries\":[{\"id\":1,\"name\":\"Bob\",\"number\":\"+16328300002\","
	 "\"uri\":\"sip:user2@ims.test\","
	 "\"groups\":[\"friends\",\"favourites\"]}]}"},
	/* the directory takes any valid token */
	{ASMOD_GM, "/gm/v1/directory", "Bearer tok2", 200, dir_json},
	{ASMOD_IM, "/im/v1/users/sip:user1@ims.test/messages", "Bearer tok1",
	 200, "{\"impu\":\"sip:user1@ims.test\",\"messages\":["
	 "{\"from\":\"sip:user2@ims.test\","
	 "\"time\":\"2026-11-25T09:00:00Z\",\"text\":\"hello\"}]}"},
	{ASMOD_PS, "/ps/v1/users/sip:user1@ims.test/friends", "Bearer tok1",
	 200, "{\"impu\":\"sip:user1@ims.test\",\"friends\":["
	 "{\"uri\":\"sip:user2@ims.test\",\"name\":\"Bob\","
	 "\"status\":\"away\",\"note\":null}]}"},

	{ASMOD_GM, P1, NULL, 401, "{\"error\":\"unauthorized\"}"},
	{ASMOD_GM, P1, "Bearer nope", 401, NULL},
	{ASMOD_GM, P1, "Basic dG9rMQ==", 401, NULL},
	{ASMOD_GM, "/gm/v1/directory", NULL, 401, NULL},
	/* tok2 is user2's: user1's documents are not for it */
	{ASMOD_GM, P1, "Bearer tok2", 403, "{\"error\":\"forbidden\"}"},
	/* a valid token of a user appdata does not know */
	{ASMOD_GM, "/gm/v1/users/sip:nobody@ims.test/profile", "Bearer tok9",
	 404, "{\"error\":\"no such user\"}"},
	{ASMOD_GM, "/gm/v1/nothing", "Bearer tok1", 404,
	 "{\"error\":\"no such resource\"}"},
	/* each module serves its own kind only */
	{ASMOD_IM, P1, "Bearer tok1", 404, NULL},
	{ASMOD_GM, "/gm/v1/users/sip:user1@ims.test/messages", "Bearer tok1",
	 404, NULL},
	{ASMOD_PS, "/ps/v1/directory", "Bearer tok1", 404, NULL},
	{ASMOD_GM, "/gm/v1/users//profile", "Bearer tok1", 404, NULL},
	{ASMOD_GM, "/gm/v1/users/sip%zzuser1/profile", "Bearer tok1", 400,
	 "{\"error\":\"bad request\"}"},
	{ASMOD_GM, "/gm/v1/users/sip%00/profile", "Bearer tok1", 400, NULL},
};


static void test_statuses(void)
{
	uint32_t n0[ASMOD_COUNT], n[ASMOD_COUNT] = {0, 0, 0};
	char line[40];
	size_t i;

	for (i = 0; i < ASMOD_COUNT; i++)
		n0[i] = asmod_requests(fx.mod[i]);

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		get(&fx.addr[cases[i].kind], cases[i].path, cases[i].auth);
		++n[cases[i].kind];

		CU_ASSERT_EQUAL(fx.ans.err, 0);
		CU_ASSERT_EQUAL(fx.ans.scode, cases[i].scode);
		if (cases[i].body)
			ASSERT_STR(fx.ans.body, cases[i].body);
		ASSERT_STR(fx.ans.ctype, "application/json");

		/* RFC 6750 3: only a 401 challenges */
		ASSERT_STR(fx.ans.www, fx.ans.scode == 401 ?
			   "Bearer realm=\"ims.test\"" : "");

		/* the status line as sent is the one traced */
		(void)re_snprintf(line, sizeof(line), "HTTP/1.1 %u ",
				  cases[i].scode);
		CU_ASSERT_EQUAL(fx.nseen, 2);
		CU_ASSERT_EQUAL(strncmp(fx.seen[1].raw, line, strlen(line)),
				0);
		ASSERT_STR(fx.seen[1].src, "as1");
		ASSERT_STR(fx.seen[1].dst, "ue1");
		CU_ASSERT(sa_cmp(&fx.seen[1].src_addr,
				 &fx.addr[cases[i].kind], SA_ALL));
		if (fx.ans.scode != cases[i].scode)
			re_fprintf(stderr, "\ncase %zu: %s -> %u\n", i,
				   cases[i].path, fx.ans.scode);
	}

	for (i = 0; i < ASMOD_COUNT; i++)
		CU_ASSERT_EQUAL(asmod_requests(fx.mod[i]) - n0[i], n[i]);
}


/* ---- a raw TCP peer, for what httpc never sends or receives ---- */

/* A client (ts NULL) or a server (ts set) that answers and closes */
struct raw {
	struct tcp_sock *ts;
	struct tcp_conn *tc;
	const char *text;       /* sent on connect, or as the answer */
	char buf[2048];
	size_t len;
	bool closed;
};


static void raw_estab(void *arg)
{
	struct raw *r = arg;
	struct mbuf *mb = mbuf_alloc(256);

	if (!mb)
		return;
	(void)mbuf_write_str(mb, r->text);
	mb->pos = 0;
	(void)tcp_send(r->tc, mb);
	mem_deref(mb);
}


static void raw_recv(struct mbuf *mb, void *arg)
{
	struct raw *r = arg;
	size_t n = min(mbuf_get_left(mb), sizeof(r->buf) - 1 - r->len);

	if (r->ts) {
		raw_estab(r);
		r->tc = mem_deref(r->tc);
		return;
	}

	memcpy(r->buf + r->len, mbuf_buf(mb), n);
	r->len += n;
	r->buf[r->len] = '\0';
}


static void raw_close(int err, void *arg)
{
	struct raw *r = arg;
	(void)err;

	r->closed = true;
	r->tc = mem_deref(r->tc);
	if (!r->ts)
		re_cancel();
}


/* Sends text on a new connection to dst, reads until the server closes */
static void raw_exchange(struct raw *r, const struct sa *dst,
			 const char *text)
{
	memset(r, 0, sizeof(*r));
	r->text = text;

	CU_ASSERT_EQUAL_FATAL(tcp_connect(&r->tc, dst, raw_estab, raw_recv,
					  raw_close, r), 0);
	test_run_for(2000);
	CU_ASSERT(r->closed);
	r->tc = mem_deref(r->tc);
}


static void test_methods(void)
{
	static const char post[] =
		"POST /gm/v1/directory HTTP/1.1\r\nHost: as1\r\n"
		"Authorization: Bearer tok1\r\nContent-Length: 2\r\n"
		"Connection: close\r\n\r\n{}";
	static const char two[] =
		"GET /gm/v1/directory HTTP/1.1\r\nHost: as1\r\n"
		"Authorization: Bearer tok1\r\n\r\n"
		"GET /gm/v1/directory HTTP/1.0\r\nHost: as1\r\n"
		"Authorization: Bearer tok1\r\n\r\n";
	char want[512];
	struct raw r;
	int n;

	fx.nseen = 0;
	raw_exchange(&r, &fx.addr[ASMOD_GM], post);
	ASSERT_STR(r.buf, "HTTP/1.1 405 Method Not Allowed\r\n"
		   "Server: imsbed\r\nAllow: GET\r\n"
		   "Content-Type: application/json\r\n"
		   "Content-Length: 30\r\nConnection: close\r\n\r\n"
		   "{\"error\":\"method not allowed\"}");

	/* a peer that is no node: its request is traced as it arrived, from
	 * "ext" (no node sent it), and the answer goes to "ext" */
	CU_ASSERT_EQUAL(fx.nseen, 2);
	ASSERT_STR(fx.seen[0].src, "ext");
	ASSERT_STR(fx.seen[0].dst, "as1");
	ASSERT_STR(fx.seen[0].raw, "POST /gm/v1/directory HTTP/1.1\r\n"
		   "Host: as1\r\nAuthorization: Bearer tok1\r\n"
		   "Content-Length: 2\r\nConnection: close\r\n\r\n{}");
	ASSERT_STR(fx.seen[1].src, "as1");
	ASSERT_STR(fx.seen[1].dst, "ext");

	/* HTTP/1.1 keeps the connection for the next request; 1.0 ends it */
	raw_exchange(&r, &fx.addr[ASMOD_GM], two);
	n = re_snprintf(want, sizeof(want), "HTTP/1.1 200 OK\r\n"
			"Server: imsbed\r\nContent-Type: application/json\r\n"
			"Content-Length: %zu\r\n\r\n%s"
			"HTTP/1.1 200 OK\r\n"
			"Server: imsbed\r\nContent-Type: application/json\r\n"
			"Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
			strlen(dir_json), dir_json, strlen(dir_json),
			dir_json);
	CU_ASSERT(n > 0);
	ASSERT_STR(r.buf, want);
}


static void raw_conn(const struct sa *peer, void *arg)
{
	struct raw *r = arg;
	(void)peer;

	r->tc = mem_deref(r->tc);
	(void)tcp_accept(&r->tc, r->ts, NULL, raw_recv, raw_close, r);
}


static void test_client(void)
{
	struct httpc *req = NULL;
	struct raw fake;
	struct sa a;

	/* nothing listens */
	(void)sa_set_str(&a, "127.0.7.1", PORT_NONE);
	get(&a, "/", NULL);
	CU_ASSERT_EQUAL(fx.ans.err, ECONNREFUSED);
	CU_ASSERT_EQUAL(fx.nseen, 0);

	/* never outside loopback: refused before any connect */
	(void)sa_set_str(&a, "192.0.2.1", 80);
	get(&a, "/", NULL);
	CU_ASSERT_EQUAL(fx.ans.err, EACCES);

	/* a server that answers anything but HTTP, or no length */
	memset(&fake, 0, sizeof(fake));
	(void)sa_set_str(&a, "127.0.7.1", PORT_FAKE);
	CU_ASSERT_EQUAL_FATAL(tcp_listen(&fake.ts, &a, raw_conn, &fake), 0);

	fake.text = "SIP/2.0 200 OK\r\n\r\n";
	get(&a, "/", NULL);
	CU_ASSERT_EQUAL(fx.ans.err, EBADMSG);

	fake.text = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort";
	get(&a, "/", NULL);
	CU_ASSERT_EQUAL(fx.ans.err, EBADMSG);

	fake.text = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n"
		"until close";
	get(&a, "/", NULL);
	CU_ASSERT_EQUAL(fx.ans.err, 0);
	CU_ASSERT_EQUAL(fx.ans.scode, 200);
	ASSERT_STR(fx.ans.body, "until close");

	fake.tc = mem_deref(fake.tc);
	fake.ts = mem_deref(fake.ts);

	/* mem_deref before the answer cancels: resph is never called */
	fx.ans.calls = 0;
	CU_ASSERT_EQUAL(httpc_get(&req, fx.bed.ue, &fx.addr[ASMOD_GM], "as1",
				  "/gm/v1/directory", NULL, http_answer_h,
				  &fx.ans), 0);
	req = mem_deref(req);
	CU_ASSERT_EQUAL(httpc_get(&req, fx.bed.ue, &a, "as1", "/", NULL,
				  http_answer_h, &fx.ans), 0);
	req = mem_deref(req);
	test_run_for(50);
	CU_ASSERT_EQUAL(fx.ans.calls, 0);

	CU_ASSERT_EQUAL(httpc_get(&req, fx.bed.ue, &a, "as1", "/", NULL, NULL,
				  NULL), EINVAL);
	CU_ASSERT_PTR_NULL(req);
}


/* The second GET starts from the first one's resph, into the same
 * pointer, as a UE fetching its documents one after the other does */
static struct httpc *chain_req;
static uint32_t chain_n;


static void chain_handler(int err, const struct http_msg *msg, void *arg)
{
	struct fixture *f = arg;

	CU_ASSERT_EQUAL(err, 0);
	CU_ASSERT_PTR_NULL(chain_req);
	CU_ASSERT_EQUAL(msg ? msg->scode : 0, 200);

	if (++chain_n == 2) {
		re_cancel();
		return;
	}

	CU_ASSERT_EQUAL(httpc_get(&chain_req, f->bed.ue, &f->addr[ASMOD_IM],
				  "as1", "/im/v1/users/sip:user1@ims.test/"
				  "messages", "Bearer tok1", chain_handler,
				  f), 0);
	CU_ASSERT_PTR_NOT_NULL(chain_req);
}


static void test_chain(void)
{
	chain_n = 0;
	CU_ASSERT_EQUAL_FATAL(httpc_get(&chain_req, fx.bed.ue,
					&fx.addr[ASMOD_GM], "as1",
					"/gm/v1/directory", "Bearer tok1",
					chain_handler, &fx), 0);
	test_run_for(3000);
	CU_ASSERT_EQUAL(chain_n, 2);
	CU_ASSERT_PTR_NULL(chain_req);
	chain_req = mem_deref(chain_req);
}


static void test_module_api(void)
{
	struct asmod *m = NULL;
	struct sa a;

	ASSERT_STR(asmod_name(ASMOD_GM), "gm");
	ASSERT_STR(asmod_name(ASMOD_IM), "im");
	ASSERT_STR(asmod_name(ASMOD_PS), "ps");
	CU_ASSERT(sa_cmp(asmod_addr(fx.mod[ASMOD_IM]), &fx.addr[ASMOD_IM],
			 SA_ALL));

	(void)sa_set_str(&a, "192.0.2.1", PORT_GM);
	CU_ASSERT_EQUAL(asmod_alloc(&m, ASMOD_GM, fx.bed.as, &a, fx.bed.db,
				    NULL, NULL), EACCES);
	CU_ASSERT_EQUAL(asmod_alloc(&m, ASMOD_COUNT, fx.bed.as, &fx.addr[0],
				    fx.bed.db, NULL, NULL), EINVAL);
	CU_ASSERT_PTR_NULL(m);

	/* port 0: the module says where it listens */
	(void)sa_set_str(&a, "127.0.7.1", 0);
	CU_ASSERT_EQUAL_FATAL(asmod_alloc(&m, ASMOD_PS, fx.bed.as, &a,
					  fx.bed.db, NULL, NULL), 0);
	CU_ASSERT_NOT_EQUAL(sa_port(asmod_addr(m)), 0);

	/* without an auth handler, no token is valid */
	get(asmod_addr(m), "/ps/v1/users/sip:user1@ims.test/friends",
	    "Bearer tok1");
	CU_ASSERT_EQUAL(fx.ans.scode, 401);
	CU_ASSERT_EQUAL(asmod_requests(m), 1);
	mem_deref(m);
}


static const CU_TestInfo tests[] = {
	{"traced request and response", test_traced},
	{"each status", test_statuses},
	{"405 and keep-alive", test_methods},
	{"client errors and cancel", test_client},
	{"request from a response", test_chain},
	{"module API", test_module_api},
	CU_TEST_INFO_NULL,
};


int test_http_suite(void)
{
	return test_suite_add("http", setup, teardown, tests);
}
