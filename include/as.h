/* SPDX-License-Identifier: BSD-3-Clause */
/* as: the Application Server host.  Each AS node runs its services
 * (third-party registration, sysinfo, telephony with call diversion,
 * voicemail, click-to-dial) on the requests
 * the S-CSCF brings to it, and the GM, IM and PS modules the services
 * point users to. */

#ifndef IMSBED_AS_H
#define IMSBED_AS_H

#include <re.h>
#include "appdb.h"

struct node;
struct as;

struct appdb;

struct as_cfg {
	struct appdb *db;                       /* the cloud database */
	struct sa mods[3];                      /* GM, IM, PS addresses */
	bool mod_down[3];                       /* listed, not listening */
	uint32_t ring_ms;                       /* click-to-dial: how long
						 * a phone may ring */
};

int as_alloc(struct as **ap, struct node *node, const struct as_cfg *cfg);
int as_module_set(struct as *as, int kind, const struct sa *addr,
		  bool down);
void as_corrupt_notify(struct as *as, bool on);
void as_ring_timeout(struct as *as, uint32_t ms);

/* ---- tas.c: the telephony service's call diversion (TS 24.604) ---- */
enum as_cdiv {
	AS_CDIV_UNCONDITIONAL = 0,      /* CFU */
	AS_CDIV_BUSY,                   /* CFB: 486 or 600 */
	AS_CDIV_NO_ANSWER,              /* CFNR: nobody answers in time */
	AS_CDIV_NOT_REACHABLE,          /* CFNRc: 480, 503, 408, silence */
};

/* A rule of user (the IMPU as the S-CSCF serves it): calls to it go to
 * target when; after_ms is the no-answer time.  EALREADY: user has a
 * rule for when already. */
int  as_cdiv_add(struct as *as, const char *user, enum as_cdiv when,
		 const char *target, uint32_t after_ms);
const char *as_cdiv_name(enum as_cdiv c);

/* ---- module.c: the GM, IM and PS modules, real HTTP servers ---- */
enum asmod_kind {
	ASMOD_GM = 0,           /* group management: profile, books */
	ASMOD_IM,               /* instant messaging: stored messages */
	ASMOD_PS,               /* presence: friends' presence */
	ASMOD_COUNT,
};

struct asmod;

/* The IMPU a bearer token was issued to, or NULL. */
typedef const char *(asmod_auth_h)(const char *token, void *arg);

int  asmod_alloc(struct asmod **mp, enum asmod_kind kind, struct node *owner,
		 const struct sa *laddr, struct appdb *db,
		 asmod_auth_h *authh, void *arg);
const struct sa *asmod_addr(const struct asmod *m);
const char *asmod_name(enum asmod_kind kind);
uint32_t asmod_requests(const struct asmod *m);

#endif
