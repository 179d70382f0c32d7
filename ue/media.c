/* SPDX-License-Identifier: BSD-3-Clause */
/* A phone's media: RTP every 20 ms (G.711, 160 bytes of silence)
 * protected with SRTP (libsrtp2, AES_CM_128_HMAC_SHA1_80, RFC 3711) under
 * the key its SDP offered (SDES, RFC 4568), sent to the address the
 * other side's SDP gave; what comes in is authenticated with the other
 * side's key and counted.  Each packet sent is recorded (proto "rtp")
 * with its SSRC, sequence number and sizes, without the payload. */

#include <string.h>
#include <sys/random.h>
#include <srtp2/srtp.h>
#include <re.h>
#include "host.h"
#include "sipkit.h"
#include "media.h"

enum {
	KEY_LEN = 30,           /* 16 octets of key, 14 of salt */
	PTIME = 20,
	PAYLOAD = 160,
	RTP_HDR = 12,
};

struct media {
	struct node *node;
	struct udp_sock *us;
	struct sa laddr;
	struct sa raddr;
	srtp_t tx;
	srtp_t rx;
	uint8_t key[KEY_LEN];
	char key64[48];
	uint32_t ssrc;
	uint16_t seq;
	uint32_t ts;
	struct wtmr tmr;
	uint32_t sent;
	uint32_t received;
	uint32_t auth_failures;
	uint32_t replays;       /* duplicates: the network's, no forger's */
};


static bool srtp_ready;
static uint32_t next_port;


static void destructor(void *arg)
{
	struct media *m = arg;

	wtmr_cancel(&m->tmr);
	mem_deref(m->us);
	if (m->tx)
		srtp_dealloc(m->tx);
	if (m->rx)
		srtp_dealloc(m->rx);
}


static void recv_handler(const struct sa *src, struct mbuf *mb, void *arg)
{
	struct media *m = arg;
	uint8_t buf[PAYLOAD + RTP_HDR + SRTP_MAX_TRAILER_LEN + 64];
	int len = (int)mbuf_get_left(mb);
	(void)src;

	if (!m->rx || len < RTP_HDR || len > (int)sizeof(buf))
		return;

	/* RFC 3711 3.3.2: a duplicate fails the replay check before its
	 * tag is looked at; a network that duplicates packets is no
	 * attacker, so it is counted apart from authentication failures. */
	memcpy(buf, mbuf_buf(mb), (size_t)len);
	switch (srtp_unprotect(m->rx, buf, &len)) {

	case srtp_err_status_ok:
		++m->received;
		break;

	case srtp_err_status_replay_fail:
	case srtp_err_status_replay_old:
		++m->replays;
		break;

	default:
		++m->auth_failures;
		break;
	}
}


int media_alloc(struct media **mp, struct node *node)
{
	struct media *m;
	struct sa any;
	size_t olen;
	int tries = 0;
	int err;

	if (!mp || !node)
		return EINVAL;

	/* libsrtp2 wants one initialisation per process. */
	if (!srtp_ready) {
		if (srtp_init() != srtp_err_status_ok)
			return EIO;
		srtp_ready = true;
	}

	m = mem_zalloc(sizeof(*m), destructor);
	if (!m)
		return ENOMEM;

	m->node = node;

	/* RTP ports in order (even, RFC 3550 11), not the kernel's pick:
	 * a capture or a seeded trace then reads the same every run. */
	any = *node_addr(node);
	do {
		sa_set_port(&any,
			    (uint16_t)(20000 + 2 * (next_port++ % 5000)));
		err = udp_listen(&m->us, &any, recv_handler, m);
	} while (err == EADDRINUSE && ++tries < 100);
	if (err)
		goto out;
	err = udp_local_get(m->us, &m->laddr);
	if (err)
		goto out;

	emul_random(m->key, sizeof(m->key));
	olen = sizeof(m->key64) - 1;
	err = base64_encode(m->key, sizeof(m->key), m->key64, &olen);
	if (err)
		goto out;
	m->key64[olen] = '\0';

	m->ssrc = (uint32_t)emul_rand_u64();
	m->seq = (uint16_t)emul_rand_u64();
	m->ts = (uint32_t)emul_rand_u64();

 out:
	if (err)
		mem_deref(m);
	else
		*mp = m;

	return err;
}


const struct sa *media_laddr(const struct media *m)
{
	return m ? &m->laddr : NULL;
}


const char *media_key(const struct media *m)
{
	return m ? m->key64 : "";
}


static int session(srtp_t *sp, const uint8_t *key, bool outbound)
{
	srtp_policy_t p;

	memset(&p, 0, sizeof(p));
	srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&p.rtp);
	srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&p.rtcp);
	p.ssrc.type = outbound ? ssrc_any_outbound : ssrc_any_inbound;
	p.key = (unsigned char *)key;
	p.window_size = 128;

	return srtp_create(sp, &p) == srtp_err_status_ok ? 0 : EPROTO;
}


static void send_packet(void *arg)
{
	struct media *m = arg;
	uint8_t buf[RTP_HDR + PAYLOAD + SRTP_MAX_TRAILER_LEN];
	struct msgrec rec;
	struct mbuf *mb;
	char info[160];
	int len = RTP_HDR + PAYLOAD;

	wtmr_start(&m->tmr, PTIME, send_packet, m);

	/* RFC 3550 5.1: V=2, PT 0 (PCMU); silence is 0xff in mu-law. */
	buf[0] = 0x80;
	buf[1] = 0;
	buf[2] = (uint8_t)(m->seq >> 8);
	buf[3] = (uint8_t)m->seq;
	buf[4] = (uint8_t)(m->ts >> 24);
	buf[5] = (uint8_t)(m->ts >> 16);
	buf[6] = (uint8_t)(m->ts >> 8);
	buf[7] = (uint8_t)m->ts;
	buf[8] = (uint8_t)(m->ssrc >> 24);
	buf[9] = (uint8_t)(m->ssrc >> 16);
	buf[10] = (uint8_t)(m->ssrc >> 8);
	buf[11] = (uint8_t)m->ssrc;
	memset(&buf[RTP_HDR], 0xff, PAYLOAD);

	if (srtp_protect(m->tx, buf, &len) != srtp_err_status_ok)
		return;

	mb = mbuf_alloc((size_t)len);
	if (!mb)
		return;
	(void)mbuf_write_mem(mb, buf, (size_t)len);
	mb->pos = 0;
	if (!udp_send(m->us, &m->raddr, mb))
		++m->sent;
	mem_deref(mb);

	(void)re_snprintf(info, sizeof(info), "SRTP ssrc=0x%08x seq=%u ts=%u"
			  " pt=0 rtp=%u srtp=%d", m->ssrc, m->seq, m->ts,
			  RTP_HDR + PAYLOAD, len);
	memset(&rec, 0, sizeof(rec));
	rec.t = emul_time();
	rec.proto = "rtp";
	rec.tp = SIP_TRANSP_UDP;
	rec.src = node_name(m->node);
	rec.dst = emul_peer_name(&m->raddr);
	rec.src_addr = m->laddr;
	rec.dst_addr = m->raddr;
	rec.raw = (const uint8_t *)info;
	rec.len = strlen(info);
	rec.wire = buf;
	rec.wirelen = (size_t)len;
	msgrec_emit(&rec);

	++m->seq;
	m->ts += PAYLOAD;
}


int media_start(struct media *m, const struct sa *raddr,
		const char *peer_key64)
{
	uint8_t pkey[KEY_LEN + 8];
	size_t plen = sizeof(pkey);
	int err;

	if (!m || !raddr || !peer_key64)
		return EINVAL;

	if (!netguard_allowed(raddr))
		return EACCES;

	err = base64_decode(peer_key64, strlen(peer_key64), pkey, &plen);
	if (err || plen != KEY_LEN)
		return EBADMSG;

	media_stop(m);
	m->raddr = *raddr;
	err  = session(&m->tx, m->key, true);
	err |= session(&m->rx, pkey, false);
	if (err)
		return EPROTO;

	wtmr_start(&m->tmr, 0, send_packet, m);

	return 0;
}


void media_stop(struct media *m)
{
	if (!m)
		return;

	wtmr_cancel(&m->tmr);
	if (m->tx)
		srtp_dealloc(m->tx);
	if (m->rx)
		srtp_dealloc(m->rx);
	m->tx = NULL;
	m->rx = NULL;
}


/* RFC 3264 8.4: on hold the stream stays, its packets stop. */
void media_sending(struct media *m, bool on)
{
	if (!m || !m->tx)
		return;

	if (!on)
		wtmr_cancel(&m->tmr);
	else if (!wtmr_isrunning(&m->tmr))
		wtmr_start(&m->tmr, 0, send_packet, m);
}


bool media_is_sending(const struct media *m)
{
	return m && m->tx && wtmr_isrunning(&m->tmr);
}


uint32_t media_replays(const struct media *m)
{
	return m ? m->replays : 0;
}


void media_counts(const struct media *m, uint32_t *sent, uint32_t *rcvd,
		  uint32_t *fail)
{
	*sent = m ? m->sent : 0;
	*rcvd = m ? m->received : 0;
	*fail = m ? m->auth_failures : 0;
}
