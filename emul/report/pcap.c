/* SPDX-License-Identifier: BSD-3-Clause */
/* --pcap: every message imsbed's nodes send, as it was sent, in a pcap
 * file made with libpcap (raw IPv4, so no invented MAC addresses), with
 * IPv4 and UDP or TCP headers carrying the nodes' real addresses and
 * ports and correct lengths and checksums.  A TCP flow is written as a
 * stream Wireshark can follow: a handshake when it is first seen, then
 * segments whose sequence and acknowledgement numbers add up. */

#include <string.h>
#include <sys/time.h>
#include <pcap/pcap.h>
#include <re.h>
#include "host.h"
#include "sipkit.h"
#include "report.h"

enum { IP_HDR = 20, UDP_HDR = 8, TCP_HDR = 20, MAX_PKT = 65535 };

struct flow {
	struct le he;
	struct sa a;            /* the side that sent first */
	struct sa b;
	uint32_t seq_a;         /* next sequence number of each side */
	uint32_t seq_b;
};

struct pcapw {
	struct le le;
	pcap_t *pd;
	pcap_dumper_t *dump;
	struct hash *flows;
	uint16_t ipid;
};


static void flow_destructor(void *arg)
{
	struct flow *f = arg;

	hash_unlink(&f->he);
}


static void destructor(void *arg)
{
	struct pcapw *w = arg;

	msgrec_unlisten(&w->le);
	hash_flush(w->flows);
	mem_deref(w->flows);
	if (w->dump) {
		pcap_dump_flush(w->dump);
		pcap_dump_close(w->dump);
	}
	if (w->pd)
		pcap_close(w->pd);
}


static uint32_t sum16(const uint8_t *p, size_t n, uint32_t s)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		s += (uint32_t)(p[n - 1] << 8);

	return s;
}


static uint16_t fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);

	return (uint16_t)~s;
}


static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}


static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}


/* One IPv4 packet around an L4 header and payload, written out. */
static void emit(struct pcapw *w, const struct sa *src, const struct sa *dst,
		 uint8_t proto, const uint8_t *l4, size_t l4len,
		 const uint8_t *data, size_t dlen)
{
	static uint8_t pkt[MAX_PKT];
	struct pcap_pkthdr h;
	uint32_t s, saddr, daddr;
	size_t tot = IP_HDR + l4len + dlen;
	uint8_t *ip = pkt, *l = pkt + IP_HDR;
	struct timeval tv;
	uint64_t now;

	if (tot > sizeof(pkt))
		return;

	saddr = ntohl(src->u.in.sin_addr.s_addr);
	daddr = ntohl(dst->u.in.sin_addr.s_addr);

	memset(ip, 0, IP_HDR);
	ip[0] = 0x45;
	put16(ip + 2, (uint16_t)tot);
	put16(ip + 4, ++w->ipid);
	put16(ip + 6, 0x4000);          /* DF */
	ip[8] = 64;
	ip[9] = proto;
	put32(ip + 12, saddr);
	put32(ip + 16, daddr);
	put16(ip + 10, fold(sum16(ip, IP_HDR, 0)));

	memcpy(l, l4, l4len);
	if (dlen)
		memcpy(l + l4len, data, dlen);

	/* The L4 checksum covers the pseudo-header (RFC 768, RFC 793). */
	s = (saddr >> 16) + (saddr & 0xffff) + (daddr >> 16) +
		(daddr & 0xffff) + proto + (uint32_t)(l4len + dlen);
	s = sum16(l, l4len + dlen, s);
	if (proto == IPPROTO_UDP) {
		uint16_t c = fold(s);

		put16(l + 6, c ? c : 0xffff);
	}
	else {
		put16(l + 16, fold(s));
	}

	/* The run's own clock, virtual or real. */
	now = clk_now_us();
	tv.tv_sec = (time_t)(now / 1000000);
	tv.tv_usec = (suseconds_t)(now % 1000000);
	h.ts = tv;
	h.caplen = (bpf_u_int32)tot;
	h.len = (bpf_u_int32)tot;
	pcap_dump((u_char *)w->dump, &h, pkt);
}


static void udp(struct pcapw *w, const struct msgrec *r, const uint8_t *d,
		size_t n)
{
	uint8_t hdr[UDP_HDR];

	put16(hdr, sa_port(&r->src_addr));
	put16(hdr + 2, sa_port(&r->dst_addr));
	put16(hdr + 4, (uint16_t)(UDP_HDR + n));
	put16(hdr + 6, 0);
	emit(w, &r->src_addr, &r->dst_addr, IPPROTO_UDP, hdr, sizeof(hdr),
	     d, n);
}


static void tcp_seg(struct pcapw *w, const struct sa *src,
		    const struct sa *dst, uint32_t seq, uint32_t ack,
		    uint8_t flags, const uint8_t *d, size_t n)
{
	uint8_t hdr[TCP_HDR];

	memset(hdr, 0, sizeof(hdr));
	put16(hdr, sa_port(src));
	put16(hdr + 2, sa_port(dst));
	put32(hdr + 4, seq);
	put32(hdr + 8, ack);
	hdr[12] = (TCP_HDR / 4) << 4;
	hdr[13] = flags;
	put16(hdr + 14, 65535);
	emit(w, src, dst, IPPROTO_TCP, hdr, sizeof(hdr), d, n);
}


static bool flow_cmp(struct le *le, void *arg)
{
	const struct flow *f = le->data;
	const struct msgrec *r = arg;

	return (sa_cmp(&f->a, &r->src_addr, SA_ALL) &&
		sa_cmp(&f->b, &r->dst_addr, SA_ALL)) ||
		(sa_cmp(&f->a, &r->dst_addr, SA_ALL) &&
		 sa_cmp(&f->b, &r->src_addr, SA_ALL));
}


static uint32_t flow_key(const struct sa *x, const struct sa *y)
{
	return sa_hash(x, SA_ALL) ^ sa_hash(y, SA_ALL);
}


enum { SYN = 0x02, ACK = 0x10, PSH = 0x08 };


static void tcp(struct pcapw *w, const struct msgrec *r, const uint8_t *d,
		size_t n)
{
	struct flow *f;
	uint32_t *mine, *theirs;

	f = list_ledata(hash_lookup(w->flows,
				    flow_key(&r->src_addr, &r->dst_addr),
				    flow_cmp, (void *)r));
	if (!f) {
		f = mem_zalloc(sizeof(*f), flow_destructor);
		if (!f)
			return;
		f->a = r->src_addr;
		f->b = r->dst_addr;
		f->seq_a = (uint32_t)emul_rand_u64();
		f->seq_b = (uint32_t)emul_rand_u64();
		hash_append(w->flows, flow_key(&f->a, &f->b), &f->he, f);

		/* The handshake the kernel made, so the stream reads
		 * whole. */
		tcp_seg(w, &f->a, &f->b, f->seq_a++, 0, SYN, NULL, 0);
		tcp_seg(w, &f->b, &f->a, f->seq_b++, f->seq_a, SYN | ACK,
			NULL, 0);
		tcp_seg(w, &f->a, &f->b, f->seq_a, f->seq_b, ACK, NULL, 0);
	}

	if (sa_cmp(&f->a, &r->src_addr, SA_ALL)) {
		mine = &f->seq_a;
		theirs = &f->seq_b;
	}
	else {
		mine = &f->seq_b;
		theirs = &f->seq_a;
	}

	tcp_seg(w, &r->src_addr, &r->dst_addr, *mine, *theirs, PSH | ACK,
		d, n);
	*mine += (uint32_t)n;
}


static void rec_handler(const struct msgrec *rec, void *arg)
{
	struct pcapw *w = arg;
	const uint8_t *d = rec->wire ? rec->wire : rec->raw;
	size_t n = rec->wire ? rec->wirelen : rec->len;

	if (sa_af(&rec->src_addr) != AF_INET ||
	    sa_af(&rec->dst_addr) != AF_INET)
		return;

	/* The capture is the wire: a message the network lost is not on
	 * it, one it repeated is there twice. */
	if (rec->flags & MSGREC_LOST)
		return;

	if (rec->tp == SIP_TRANSP_TCP) {
		tcp(w, rec, d, n);
		return;
	}

	udp(w, rec, d, n);
	if (rec->flags & MSGREC_DUP)
		udp(w, rec, d, n);
}


int pcapw_open(struct pcapw **wp, const char *path)
{
	struct pcapw *w;
	int err;

	if (!wp || !path)
		return EINVAL;

	w = mem_zalloc(sizeof(*w), destructor);
	if (!w)
		return ENOMEM;

	w->pd = pcap_open_dead(DLT_RAW, MAX_PKT);
	err = hash_alloc(&w->flows, 64);
	if (!w->pd || err) {
		err = err ? err : ENOMEM;
		goto out;
	}

	w->dump = pcap_dump_open(w->pd, path);
	if (!w->dump) {
		err = EIO;
		goto out;
	}

	err = msgrec_listen(&w->le, rec_handler, w);

 out:
	if (err)
		mem_deref(w);
	else
		*wp = w;

	return err;
}


/* Feeds one record by hand (imsbed pcap TRACE OUT). */
void pcapw_write(struct pcapw *w, const struct msgrec *rec)
{
	if (w && rec)
		rec_handler(rec, w);
}
