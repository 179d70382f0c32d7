/* SPDX-License-Identifier: BSD-3-Clause */
/* A phone's SRTP media stream (media.c) and its SDP (sdp.c). */

struct media;

int  media_alloc(struct media **mp, struct node *node);
const struct sa *media_laddr(const struct media *m);
const char *media_key(const struct media *m);
int  media_start(struct media *m, const struct sa *raddr,
		 const char *peer_key64);
void media_stop(struct media *m);
void media_sending(struct media *m, bool on);
bool media_is_sending(const struct media *m);
void media_counts(const struct media *m, uint32_t *sent, uint32_t *rcvd,
		  uint32_t *fail);
uint32_t media_replays(const struct media *m);

/* sdp.c: dir is an RFC 3264 6.1 direction, "sendrecv" and the rest */
int sdp_print(char *buf, size_t sz, const struct sa *rtp, const char *key64,
	      uint64_t sessid, const char *dir);
int sdp_parse(const struct pl *body, struct sa *rtp, char *key64,
	      size_t ksz);
/* The direction the offer asks of its answer (RFC 3264 6.1), "sendrecv"
 * when it says none; in *sending whether the offerer sends. */
const char *sdp_answer_dir(const struct pl *body, bool *sending);
