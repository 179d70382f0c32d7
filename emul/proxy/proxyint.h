/* SPDX-License-Identifier: BSD-3-Clause */
/* The proxy core's internals, shared by its files. */

struct proxy {
	struct node *node;
	struct list ptxl;
	const struct proxy_policy *pol;
	void *impl;
	char *rr;               /* our Record-Route line */
};

/* A proxied transaction: the server transaction and its response
 * context (RFC 3261 16.7), one branch per target it was forked to. */
struct ptx {
	struct le le;
	struct proxy *px;
	struct tsxh *st;
	struct list branchl;            /* struct branch */
	struct list acceptedl;          /* 2xx'd INVITE branches, kept */
	struct wtmr linger;             /* Timer M for them */
	struct sip_msg *msg;
	proxy_resp_h *resph;
	void *arg;
	struct sip_msg *best;           /* the best final response kept */
	uint16_t best_sc;               /* its code, or 408/503 alone */
	bool answered;                  /* a final response went upstream */
	bool cancelled;                 /* upstream CANCELled: no new
					 * branch (RFC 3261 16.10) */
	bool sending;                   /* branches are being added */
	/* the response's headers to replace by these lines, one relay */
	enum sip_hdrid rep_idv[PROXY_REPLACE];
	char *rep_linev[PROXY_REPLACE];
	size_t repc;
};

/* One client transaction of a ptx. */
struct branch {
	struct le le;
	struct ptx *t;
	struct tsxh *req;
	bool accepted;                  /* in acceptedl */
};

/* proxy.c */
/* 0 when one target went, else the last error. */
int  proxy_branches_send(struct ptx *t, const struct proxy_fwd *fwdv,
			 size_t n);
void proxy_cancel_pending(struct ptx *t);
