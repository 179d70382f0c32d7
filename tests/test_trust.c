/* SPDX-License-Identifier: BSD-3-Clause */
/* The trust domain under attack, over the wire: what a process on
 * loopback that never registered, or registered only as somebody else,
 * tried against imsbed serve, each refused.  The attacker binds a core
 * node's IP on another port, or writes to the core-facing ports of the
 * S-CSCF and the AS directly, with P-Asserted-Identity of its choosing.
 * Its TCP connection is made with the raw system call, as another
 * process would make it: imsbed's own connections are the ones netguard
 * sees through connect(2). */

#include <stdarg.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <netinet/in.h>
#include <re.h>
#include "yml.h"
#include "host.h"
#include "sipkit.h"
#include "report.h"
#include "scen.h"
#include "digest.h"
#include "ue.h"
#include "tests.h"

struct atk {
	struct udp_sock *us;
	struct sa laddr;
	int tcpfd;
	uint16_t scode;         /* the last final response */
	char reason[64];
	char nonce[64];
	uint32_t requests;      /* requests the core sent us (NOTIFY...) */
};

static struct atk atk;


static void handle_msg(struct mbuf *mb)
{
	struct sip_msg *msg = NULL;
	const struct sip_hdr *h;

	if (sip_msg_decode(&msg, mb))
		return;

	if (msg->req) {
		++atk.requests;
	}
	else if (msg->scode >= 200) {
		atk.scode = msg->scode;
		(void)pl_strcpy(&msg->reason, atk.reason, sizeof(atk.reason));
		h = sip_msg_hdr(msg, SIP_HDR_WWW_AUTHENTICATE);
		if (h)
			(void)sipx_auth_param(&h->val, "nonce", atk.nonce,
					      sizeof(atk.nonce));
		re_cancel();
	}
	mem_deref(msg);
}


static void udp_recv(const struct sa *src, struct mbuf *mb, void *arg)
{
	(void)src;
	(void)arg;
	handle_msg(mb);
}


static void tcp_readable(int flags, void *arg)
{
	struct mbuf *mb = mbuf_alloc(8192);
	ssize_t n;
	(void)flags;
	(void)arg;

	if (!mb)
		return;
	n = read(atk.tcpfd, mb->buf, mb->size);
	if (n > 0) {
		mb->end = (size_t)n;
		handle_msg(mb);
	}
	mem_deref(mb);
}


static void atk_open(const char *ip)
{
	memset(&atk, 0, sizeof(atk));
	atk.tcpfd = -1;
	(void)sa_set_str(&atk.laddr, ip, 0);
	CU_ASSERT_EQUAL_FATAL(udp_listen(&atk.us, &atk.laddr, udp_recv, NULL),
			      0);
	CU_ASSERT_EQUAL_FATAL(udp_local_get(atk.us, &atk.laddr), 0);
}


static void atk_close(void)
{
	if (atk.tcpfd >= 0) {
		fd_close(atk.tcpfd);
		(void)close(atk.tcpfd);
	}
	atk.us = mem_deref(atk.us);
}


/* Another process's connection from ip to dst: bound and connected by
 * the system calls themselves, so nothing of imsbed has seen it. */
static void atk_tcp(const char *ip, const struct sa *dst)
{
	struct sa local;

	(void)sa_set_str(&local, ip, 0);
	atk.tcpfd = socket(AF_INET, SOCK_STREAM, 0);
	CU_ASSERT_FATAL(atk.tcpfd >= 0);
	CU_ASSERT_EQUAL_FATAL(bind(atk.tcpfd, &local.u.sa, local.len), 0);
	CU_ASSERT_EQUAL_FATAL(syscall(SYS_connect, atk.tcpfd, &dst->u.sa,
				      dst->len), 0);
	CU_ASSERT_EQUAL_FATAL(fd_listen(atk.tcpfd, FD_READ, tcp_readable,
					NULL), 0);
}


/* Sends a request and waits for its final answer (or a second). */
static uint16_t atk_sendf(const struct sa *dst, bool tcp, const char *fmt,
			  ...)
{
	struct mbuf *mb = mbuf_alloc(2048);
	va_list ap;

	atk.scode = 0;
	atk.reason[0] = '\0';
	CU_ASSERT_FATAL(mb != NULL);
	va_start(ap, fmt);
	(void)mbuf_vprintf(mb, fmt, ap);
	va_end(ap);
	mb->pos = 0;
	if (tcp) {
		CU_ASSERT_EQUAL(write(atk.tcpfd, mb->buf, mb->end),
				(ssize_t)mb->end);
	}
	else {
		CU_ASSERT_EQUAL(udp_send(atk.us, dst, mb), 0);
	}
	mem_deref(mb);

	test_run_for(1000);

	return atk.scode;
}


static int print_mb(const char *p, size_t size, void *arg)
{
	return mbuf_write_mem(arg, (const uint8_t *)p, size);
}


static const char *query(const char *node, const char *what,
			 const char *arg)
{
	static char buf[256];
	struct mbuf *mb = mbuf_alloc(128);
	struct re_printf pf = {print_mb, mb};

	buf[0] = '\0';
	if (mb && !node_query(&pf, emul_node(node), what, arg))
		(void)re_snprintf(buf, sizeof(buf), "%b", mb->buf, mb->end);
	mem_deref(mb);

	return buf;
}


static void done_handler(int err, uint16_t scode, void *arg)
{
	int *res = arg;

	*res = err ? -err : scode;
	re_cancel();
}


static int reg(struct topo *t, const char *ue)
{
	int res = 0;

	CU_ASSERT_EQUAL(ue_register(topo_ue(t, ue), 600, false, NULL,
				    done_handler, &res), 0);
	test_run_for(2000);

	return res;
}


static struct topo *load(struct yml **yp, const char *file)
{
	struct topo *t = NULL;
	char err[512];

	CU_ASSERT_EQUAL_FATAL(yml_load_file(yp, file, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL_FATAL(topo_load(&t, *yp, yml_root(*yp), err,
					sizeof(err)), 0);
	return t;
}


static void unload(struct topo *t, struct yml *y)
{
	mem_deref(t);
	mem_deref(y);
	CU_ASSERT_PTR_NULL(emul_nodes()->head);
}


/* A SUBSCRIBE for sysinfo that asserts its own identity: transport, our
 * address, the IMPU (four times), a Call-ID, our address again. */
static const char subscribe_fmt[] =
	"SUBSCRIBE sip:%s SIP/2.0\r\n"
	"Via: SIP/2.0/%s %J;branch=z9hG4bK%llx\r\n"
	"Max-Forwards: 70\r\n"
	"Route: <sip:orig@scscf.ims.test;lr>\r\n"
	"P-Asserted-Identity: <sip:%s>\r\n"
	"From: <sip:%s>;tag=evil\r\nTo: <sip:%s>\r\n"
	"Call-ID: %llx@attacker\r\nCSeq: 1 SUBSCRIBE\r\n"
	"Event: sysinfo\r\nExpires: 600\r\n"
	"Contact: <sip:evil@%J>\r\nContent-Length: 0\r\n\r\n";


static uint16_t forged_subscribe(const struct sa *dst, bool tcp,
				 const char *impu)
{
	return atk_sendf(dst, tcp, subscribe_fmt, impu, tcp ? "TCP" : "UDP",
			 &atk.laddr, emul_rand_u64(), impu, impu, impu,
			 emul_rand_u64(), &atk.laddr);
}


/* The P-CSCF trusted any sender on a core node's IP: a stranger on the
 * I-CSCF's address, another port, over UDP and over TCP. */
static void test_core_ip(void)
{
	struct yml *y = NULL;
	struct topo *t = load(&y, "scenarios/topology.yaml");

	CU_ASSERT_EQUAL(reg(t, "ue1"), 200);

	atk_open("127.0.1.2");
	CU_ASSERT_EQUAL(forged_subscribe(node_addr(emul_node("pcscf")),
					 false, "user1@ims.test"), 403);
	atk_tcp("127.0.1.2", node_addr(emul_node("pcscf")));
	CU_ASSERT_EQUAL(forged_subscribe(node_addr(emul_node("pcscf")),
					 true, "user1@ims.test"), 403);
	test_run_for(200);
	CU_ASSERT_EQUAL(atk.requests, 0);
	CU_ASSERT_STRING_EQUAL(query("as1", "subscriptions", ""), "0");
	atk_close();

	unload(t, y);
}


/* Straight to the core-facing ports: the S-CSCF and the AS refuse a
 * sender outside the trust domain, whatever identity it asserts. */
static void test_core_ports(void)
{
	struct yml *y = NULL;
	struct topo *t = load(&y, "scenarios/topology.yaml");

	CU_ASSERT_EQUAL(reg(t, "ue1"), 200);
	CU_ASSERT_EQUAL(reg(t, "ue2"), 200);

	atk_open("127.0.0.1");
	CU_ASSERT_EQUAL(forged_subscribe(node_addr(emul_node("as1")), false,
					 "user2@ims.test"), 403);
	CU_ASSERT_STRING_EQUAL(atk.reason, "Not from the S-CSCF");
	CU_ASSERT_EQUAL(forged_subscribe(node_addr(emul_node("scscf")),
					 false, "user1@ims.test"), 403);
	CU_ASSERT_STRING_EQUAL(atk.reason, "Outside the Trust Domain");

	/* The AS's registrar: a forged third-party de-REGISTER. */
	CU_ASSERT_EQUAL(atk_sendf(node_addr(emul_node("as1")), false,
				  "REGISTER sip:as1.ims.test SIP/2.0\r\n"
				  "Via: SIP/2.0/UDP %J;branch=z9hG4bKtp1\r\n"
				  "Max-Forwards: 70\r\n"
				  "From: <sip:scscf.ims.test>;tag=x\r\n"
				  "To: <sip:user1@ims.test>\r\n"
				  "Call-ID: tp1@attacker\r\n"
				  "CSeq: 1 REGISTER\r\n"
				  "Contact: <sip:scscf.ims.test>\r\n"
				  "Expires: 0\r\nContent-Length: 0\r\n\r\n",
				  &atk.laddr), 403);
	test_run_for(200);
	CU_ASSERT_EQUAL(atk.requests, 0);
	CU_ASSERT_STRING_EQUAL(query("as1", "subscriptions", ""), "0");
	CU_ASSERT(!strncmp(query("as1", "third_party", "sip:user1@ims.test"),
			   "registered", 10));
	atk_close();

	unload(t, y);
}


/* REGISTER of user1 with user4's own valid credentials: bound for the
 * S-CSCF by a Route the UE wrote (the P-CSCF now sends every REGISTER to
 * the I-CSCF, which refuses the pair), and from a trusted peer straight
 * to the S-CSCF (whose nonce is bound to user4's IMPU). */
static const char register_fmt[] =
	"REGISTER sip:ims.test SIP/2.0\r\n"
	"Via: SIP/2.0/UDP %J;branch=z9hG4bK%llx\r\n"
	"Max-Forwards: 70\r\n"
	"%s"
	"From: <sip:%s>;tag=r\r\nTo: <sip:%s>\r\n"
	"Call-ID: reg%u@attacker\r\nCSeq: %u REGISTER\r\n"
	"Contact: %s\r\nExpires: %u\r\n"
	"%s"
	"Content-Length: 0\r\n\r\n";


static uint16_t register_as(const struct sa *dst, const char *route,
			    const char *impu, uint32_t cseq,
			    const char *contact, uint32_t expires,
			    const char *nc)
{
	char auth[512] = "", ha1[DIGEST_HEX], resp[DIGEST_HEX];

	if (nc) {
		(void)digest_ha1(ha1, "user4@ims.test", "ims.test",
				 "secret4");
		(void)digest_response(resp, ha1, atk.nonce, nc, "c0ffee",
				      "auth", "REGISTER", "sip:ims.test");
		(void)re_snprintf(auth, sizeof(auth), "Authorization: Digest"
				  " username=\"user4@ims.test\","
				  " realm=\"ims.test\", nonce=\"%s\","
				  " uri=\"sip:ims.test\", response=\"%s\","
				  " algorithm=MD5, cnonce=\"c0ffee\","
				  " qop=auth, nc=%s\r\n", atk.nonce, resp, nc);
	}

	return atk_sendf(dst, false, register_fmt, &atk.laddr,
			 emul_rand_u64(), route, impu, impu,
			 sa_port(&atk.laddr), cseq, contact,
			 expires, auth);
}


/* The attacker registers as user4 with user4's own credentials. */
static void register_user4(const struct sa *pcscf)
{
	char contact[64];

	(void)re_snprintf(contact, sizeof(contact), "<sip:user4@%J>",
			  &atk.laddr);
	CU_ASSERT_EQUAL(register_as(pcscf, "", "user4@ims.test", 1, contact,
				    600, NULL), 401);
	CU_ASSERT_EQUAL(register_as(pcscf, "", "user4@ims.test", 2, contact,
				    600, "00000001"), 200);
}


static void test_deregister_other(void)
{
	static const char bypass[] =
		"Route: <sip:pcscf.ims.test;lr>, <sip:scscf.ims.test;lr>\r\n";
	struct yml *y = NULL;
	struct topo *t = load(&y, "scenarios/topology.yaml");
	const struct sa *pcscf = node_addr(emul_node("pcscf"));
	char contact[64];
	struct sa peer;

	CU_ASSERT_EQUAL(reg(t, "ue1"), 200);

	/* The attacker is user4, and registers as user4. */
	atk_open("127.0.0.1");
	register_user4(pcscf);

	CU_ASSERT_EQUAL(register_as(pcscf, bypass, "user1@ims.test", 3, "*",
				    0, "00000002"), 403);
	CU_ASSERT(!strncmp(query("scscf", "binding", "sip:user1@ims.test"),
			   "registered", 10));
	atk_close();

	/* A peer the topology trusts reaches the S-CSCF itself: the nonce
	 * issued for user4 does not open user1. */
	(void)sa_set_str(&peer, "127.0.0.77", 0);
	CU_ASSERT_EQUAL(emul_peer_add("trusted", &peer, true), 0);
	atk_open("127.0.0.77");
	(void)re_snprintf(contact, sizeof(contact), "<sip:user4@%J>",
			  &atk.laddr);
	CU_ASSERT_EQUAL(register_as(node_addr(emul_node("scscf")), "",
				    "user4@ims.test", 1, contact, 600, NULL),
			401);
	CU_ASSERT_EQUAL(register_as(node_addr(emul_node("scscf")), "",
				    "user1@ims.test", 2, "*", 0, "00000001"),
			403);
	CU_ASSERT(!strncmp(query("scscf", "binding", "sip:user1@ims.test"),
			   "registered", 10));
	atk_close();

	unload(t, y);
}


/* In a dialog whose Request-URI is the P-CSCF itself: answered, not
 * forwarded to itself until Max-Forwards runs out. */
static void test_self_target(void)
{
	struct yml *y = NULL;
	struct topo *t = load(&y, "scenarios/topology.yaml");
	const struct sa *pcscf = node_addr(emul_node("pcscf"));

	atk_open("127.0.0.1");
	register_user4(pcscf);

	CU_ASSERT_EQUAL(atk_sendf(pcscf, false,
				  "BYE sip:pcscf.ims.test SIP/2.0\r\n"
				  "Via: SIP/2.0/UDP %J;branch=z9hG4bKbye1\r\n"
				  "Max-Forwards: 70\r\n"
				  "From: <sip:user4@ims.test>;tag=a\r\n"
				  "To: <sip:user1@ims.test>;tag=b\r\n"
				  "Call-ID: bye@attacker\r\n"
				  "CSeq: 9 BYE\r\nContent-Length: 0\r\n\r\n",
				  &atk.laddr), 404);
	atk_close();

	unload(t, y);
}


/* Click-to-dial without credentials: a REFER straight to the S-CSCF,
 * asserted as Harry.  Nobody's phone rings. */
static void test_toll_fraud(void)
{
	struct yml *y = NULL;
	struct topo *t = load(&y, "scenarios/topology-c2d.yaml");

	CU_ASSERT_EQUAL(reg(t, "harry-pc"), 200);
	CU_ASSERT_EQUAL(reg(t, "harry-phone"), 200);
	CU_ASSERT_EQUAL(reg(t, "mary-phone"), 200);

	atk_open("127.0.0.1");
	CU_ASSERT_EQUAL(atk_sendf(node_addr(emul_node("scscf")), false,
				  "REFER sip:c2d@ims.test SIP/2.0\r\n"
				  "Via: SIP/2.0/UDP %J;branch=z9hG4bKref1\r\n"
				  "Max-Forwards: 70\r\n"
				  "Route: <sip:orig@scscf.ims.test;lr>\r\n"
				  "P-Asserted-Identity: <sip:harry@ims.test>"
				  "\r\n"
				  "From: <sip:harry@ims.test>;tag=f\r\n"
				  "To: <sip:c2d@ims.test>\r\n"
				  "Call-ID: refer@attacker\r\n"
				  "CSeq: 1 REFER\r\n"
				  "Refer-To: <sip:Mary@names.ims.test>\r\n"
				  "Contact: <sip:x@%J>\r\n"
				  "Content-Length: 0\r\n\r\n",
				  &atk.laddr, &atk.laddr), 403);
	test_run_for(300);
	CU_ASSERT_STRING_EQUAL(query("harry-phone", "calls", ""), "0");
	CU_ASSERT_STRING_EQUAL(query("mary-phone", "calls", ""), "0");
	CU_ASSERT_STRING_EQUAL(query("as1", "calls", ""), "0");
	atk_close();

	unload(t, y);
}


/* A malformed INVITE to a UE is the sender's fault: 400 with the
 * reason, not 500 from a dialog that could not be made. */
static void test_ue_malformed(void)
{
	struct yml *y = NULL;
	struct topo *t = load(&y, "scenarios/topology.yaml");

	atk_open("127.0.0.1");
	CU_ASSERT_EQUAL(atk_sendf(node_addr(emul_node("ue1")), false,
				  "INVITE sip:user1@ims.test SIP/2.0\r\n"
				  "Via: SIP/2.0/UDP %J;branch=z9hG4bKinv1\r\n"
				  "Max-Forwards: 70\r\n"
				  "From: <sip:x@ims.test>;tag=1\r\n"
				  "To: <sip:user1@ims.test>\r\n"
				  "Call-ID: inv@attacker\r\n"
				  "CSeq: 1 INVITE\r\nContent-Length: 0\r\n"
				  "\r\n", &atk.laddr), 400);
	CU_ASSERT_STRING_EQUAL(atk.reason, "Missing Contact Header");
	CU_ASSERT_EQUAL(atk_sendf(node_addr(emul_node("ue1")), false,
				  "INVITE sip:user1@ims.test SIP/2.0\r\n"
				  "Via: SIP/2.0/UDP %J;branch=z9hG4bKinv2\r\n"
				  "Max-Forwards: 70\r\n"
				  "From: <sip:x@ims.test>\r\n"
				  "To: <sip:user1@ims.test>\r\n"
				  "Call-ID: inv2@attacker\r\n"
				  "Contact: <sip:x@%J>\r\n"
				  "CSeq: 1 INVITE\r\nContent-Length: 0\r\n"
				  "\r\n", &atk.laddr, &atk.laddr), 400);
	CU_ASSERT_STRING_EQUAL(atk.reason, "Missing From Tag");
	CU_ASSERT_STRING_EQUAL(query("ue1", "calls", ""), "0");
	atk_close();

	unload(t, y);
}


/* RFC 3329 at the P-CSCF: a Security-Verify it never sent, and a
 * Security-Client with no ipsec-3gpp it takes, get 494 with the reason;
 * a Proxy-Require tag it does not know gets 420; sec-agree it takes. */
static void test_sec_agree(void)
{
	struct yml *y = NULL;
	struct topo *t = load(&y, "scenarios/topology.yaml");
	const struct sa *p = node_addr(emul_node("pcscf"));

	atk_open("127.0.0.1");
	CU_ASSERT_EQUAL(register_as(p, "Security-Verify: ipsec-3gpp;q=0.1;"
				    "alg=hmac-sha-1-96;spi-c=1;spi-s=2;"
				    "port-c=3;port-s=4\r\n", "user4@ims.test",
				    1, "<sip:user4@127.0.0.1>", 600, NULL),
			494);
	CU_ASSERT_STRING_EQUAL(atk.reason, "Security-Verify Does Not Match");
	CU_ASSERT_EQUAL(register_as(p, "Security-Client: digest\r\n"
				    "Proxy-Require: sec-agree\r\n",
				    "user4@ims.test", 2,
				    "<sip:user4@127.0.0.1>", 600, NULL), 494);
	CU_ASSERT_STRING_EQUAL(atk.reason,
			       "No ipsec-3gpp Mechanism In Common");
	CU_ASSERT_EQUAL(register_as(p, "Proxy-Require: foo\r\n",
				    "user4@ims.test", 3,
				    "<sip:user4@127.0.0.1>", 600, NULL), 420);
	CU_ASSERT_EQUAL(register_as(p, "Security-Client: ipsec-3gpp;"
				    "alg=hmac-md5-96;spi-c=1;spi-s=2;"
				    "port-c=3;port-s=4\r\n"
				    "Proxy-Require: sec-agree\r\n",
				    "user4@ims.test", 4,
				    "<sip:user4@127.0.0.1>", 600, NULL), 401);
	atk_close();

	unload(t, y);
}


int test_trust_suite(void)
{
	CU_pSuite s = CU_add_suite("trust domain", NULL, NULL);

	if (!s)
		return 1;

	return !CU_add_test(s, "stranger on a core node's IP",
			    test_core_ip) ||
		!CU_add_test(s, "S-CSCF and AS ports", test_core_ports) ||
		!CU_add_test(s, "de-registering another user",
			     test_deregister_other) ||
		!CU_add_test(s, "request to the proxy itself",
			     test_self_target) ||
		!CU_add_test(s, "security agreement at the P-CSCF",
			     test_sec_agree) ||
		!CU_add_test(s, "click-to-dial toll fraud", test_toll_fraud) ||
		!CU_add_test(s, "malformed INVITE to a UE",
			     test_ue_malformed);
}
