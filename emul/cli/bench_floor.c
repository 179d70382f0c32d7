/* SPDX-License-Identifier: BSD-3-Clause */
/* imsbed bench floor: what one SIP message costs before any node looks
 * at it, measured on this machine in this run.  Each message an in-process
 * node receives is decoded once by libre (sip_msg_decode) and crosses
 * loopback once (sendto, epoll_wait, recvfrom), so these two are the
 * floor under the message events per CPU-second the registration bench
 * reports, whatever the nodes do. */

#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <re.h>
#include "host.h"
#include "cmd.h"

enum { ROUNDS = 100000 };

/* A REGISTER as the S-CSCF receives it: three Vias, Path, digest
 * credentials. */
static const char reg[] =
	"REGISTER sip:ims.test SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 127.0.1.2:5060;branch=z9hG4bK1c2f3a4b5c6d7e8f;"
	"rport\r\n"
	"Via: SIP/2.0/UDP 127.0.1.1:5060;branch=z9hG4bK9f8e7d6c5b4a3210;"
	"rport=5060;received=127.0.1.1\r\n"
	"Via: SIP/2.0/UDP 127.0.0.10:5070;branch=z9hG4bKabcdef0123456789;"
	"rport=5070\r\n"
	"Max-Forwards: 68\r\n"
	"From: <sip:user123@ims.test>;tag=4f2a9c1b\r\n"
	"To: <sip:user123@ims.test>\r\n"
	"Call-ID: 0123456789abcdef@127.0.0.10\r\n"
	"CSeq: 2 REGISTER\r\n"
	"Contact: <sip:user123@127.0.0.10:5070>;expires=600000\r\n"
	"Authorization: Digest username=\"user123@ims.test\", "
	"realm=\"ims.test\", nonce=\"abcdef0123456789abcdef0123456789\", "
	"uri=\"sip:ims.test\", response=\"0123456789abcdef0123456789abcdef\","
	" algorithm=MD5, qop=auth, nc=00000001, cnonce=\"deadbeef\"\r\n"
	"Path: <sip:term@pcscf.ims.test;lr>\r\n"
	"Require: path\r\n"
	"Supported: path\r\n"
	"P-Visited-Network-ID: \"ims.test\"\r\n"
	"P-Charging-Vector: icid-value=\"1234567890abcdef\"\r\n"
	"Expires: 600000\r\n"
	"Content-Length: 0\r\n\r\n";


static uint64_t cpu_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts))
		return 0;

	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}


static int decode_floor(double *usp)
{
	uint64_t t0 = cpu_ns();
	unsigned i;

	for (i = 0; i < ROUNDS; i++) {
		struct mbuf *mb = mbuf_alloc(sizeof(reg));
		struct sip_msg *msg = NULL;
		int err;

		if (!mb)
			return ENOMEM;
		(void)mbuf_write_mem(mb, (const uint8_t *)reg,
				     sizeof(reg) - 1);
		mb->pos = 0;
		err = sip_msg_decode(&msg, mb);
		mem_deref(msg);
		mem_deref(mb);
		if (err)
			return err;
	}

	*usp = (double)(cpu_ns() - t0) / ROUNDS / 1000.0;
	return 0;
}


/* One datagram of the REGISTER's size from one loopback socket to
 * another and read back, as a node's SIP socket reads it. */
static int udp_floor(double *usp)
{
	struct sockaddr_in a = {.sin_family = AF_INET}, b = a;
	struct epoll_event ev = {.events = EPOLLIN};
	int sa = -1, sb = -1, ep = -1, err = 0;
	socklen_t len = sizeof(b);
	char buf[2048];
	uint64_t t0;
	unsigned i;

	a.sin_addr.s_addr = b.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa = socket(AF_INET, SOCK_DGRAM, 0);
	sb = socket(AF_INET, SOCK_DGRAM, 0);
	ep = epoll_create1(0);
	if (sa < 0 || sb < 0 || ep < 0 ||
	    bind(sa, (struct sockaddr *)&a, sizeof(a)) ||
	    bind(sb, (struct sockaddr *)&b, sizeof(b)) ||
	    getsockname(sb, (struct sockaddr *)&b, &len) ||
	    epoll_ctl(ep, EPOLL_CTL_ADD, sb, &ev)) {
		err = errno ? errno : EINVAL;
		goto out;
	}

	t0 = cpu_ns();
	for (i = 0; i < ROUNDS; i++) {
		struct sockaddr_in src;
		socklen_t sl = sizeof(src);

		if (sendto(sa, reg, sizeof(reg) - 1, 0, (struct sockaddr *)&b,
			   sizeof(b)) < 0 ||
		    epoll_wait(ep, &ev, 1, 1000) != 1 ||
		    recvfrom(sb, buf, sizeof(buf), 0, (struct sockaddr *)&src,
			     &sl) < 0) {
			err = errno ? errno : EIO;
			goto out;
		}
	}
	*usp = (double)(cpu_ns() - t0) / ROUNDS / 1000.0;

 out:
	if (sa >= 0)
		(void)close(sa);
	if (sb >= 0)
		(void)close(sb);
	if (ep >= 0)
		(void)close(ep);
	return err;
}


int bench_floor(void)
{
	double dec = 0, udp = 0;
	int err;

	err = decode_floor(&dec);
	if (!err)
		err = udp_floor(&udp);
	if (err) {
		(void)re_fprintf(stderr, "imsbed bench floor: %m\n", err);
		return err;
	}

	(void)re_printf("floor: libre's sip_msg_decode of an %zu-byte"
			" REGISTER: %.2f us of CPU\n", sizeof(reg) - 1, dec);
	(void)re_printf("floor: the same bytes over loopback UDP (sendto,"
			" epoll_wait, recvfrom): %.2f us of CPU\n", udp);
	(void)re_printf("floor: %.2f us per message received, at most %u"
			" message events per CPU-second (2 per message)\n",
			dec + udp, (unsigned)(2e6 / (dec + udp)));

	return 0;
}
