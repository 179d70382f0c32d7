/* SPDX-License-Identifier: BSD-3-Clause */
/* as: the Application Server host.  Each AS node runs its services
 * (third-party registration, sysinfo, click-to-dial) on the requests
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
