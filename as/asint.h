/* SPDX-License-Identifier: BSD-3-Clause */
/* AS internals: the AS host (as.c: the ISC entry, the GM, IM and PS
 * modules, the knobs) and the services it runs, each an object of its
 * own named in one table in as.c.  Adding a service is one file and one
 * row there. */

struct as;

/* A service's description: its constructor, what it takes of the
 * requests the S-CSCF brings (true: answered), what it tells a
 * scenario's check (ENOTSUP: not mine), and what it does when a served
 * user's registration ends. */
struct as_service {
	const char *name;
	int  (*alloc)(void **svcp, struct as *as);
	bool (*reqh)(void *svc, const struct sip_msg *msg);
	int  (*query)(struct re_printf *pf, const void *svc,
		      const char *what, const char *arg);
	void (*user_gone)(void *svc, const char *impu);
};

/* In the order a request is offered to them. */
enum as_svc_id {
	AS_SVC_REGISTRAR = 0, AS_SVC_SYSINFO, AS_SVC_TAS, AS_SVC_VOICEMAIL,
	AS_SVC_C2D, AS_SVC_COUNT
};

extern const struct as_service as_registrar, as_sysinfo, as_tas,
	as_voicemail, as_c2d;

struct as {
	struct node *node;
	struct wheel *wheel;            /* registrations' and
					 * subscriptions' expiry */
	struct appdb *db;
	struct asmod *mods[ASMOD_COUNT];
	struct sa modaddr[ASMOD_COUNT];
	bool corrupt;                   /* test knob: a broken body */
	uint32_t ring_ms;
	void *svcv[AS_SVC_COUNT];
};

/* as.c */
void *as_service(const struct as *as, enum as_svc_id id);
void as_user_gone(struct as *as, const char *impu);

/* tas.c, c2d.c: responses no transaction took */
bool as_tas_stray(struct as *as, const struct sip_msg *msg);
bool as_c2d_stray(struct as *as, const struct sip_msg *msg);

/* sysinfo.c */
void sysinfo_notify_all(struct as *as);
const char *sysinfo_token_user(const char *token, void *arg);
