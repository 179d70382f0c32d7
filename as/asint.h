/* SPDX-License-Identifier: BSD-3-Clause */
/* AS internals shared by the AS host and its services. */

struct as {
	struct node *node;
	struct hash *regs;              /* third-party registrations */
	struct wheel *wheel;            /* their expiry, subscriptions' */
	struct appdb *db;
	struct asmod *mods[ASMOD_COUNT];
	struct sa modaddr[ASMOD_COUNT];
	struct list subs;               /* sysinfo subscriptions */
	struct hash *tokens;            /* the same, by HTTP token */
	struct hash *by_callid;         /* the same, by dialog Call-ID */
	bool corrupt;                   /* test knob: a broken body */
	struct list calls;              /* click-to-dial calls */
	uint32_t ring_ms;
};

/* c2d.c */
bool c2d_request(struct as *as, const struct sip_msg *msg);
uint32_t c2d_count(const struct as *as);
void c2d_flush(struct as *as);

/* sysinfo.c */
bool sysinfo_request(struct as *as, const struct sip_msg *msg);
void sysinfo_notify_all(struct as *as);
void sysinfo_flush(struct as *as);
void sysinfo_user_gone(struct as *as, const char *impu);
const char *sysinfo_token_user(const char *token, void *arg);
uint32_t sysinfo_count(const struct as *as);
