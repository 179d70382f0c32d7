/* SPDX-License-Identifier: BSD-3-Clause */
/* cscf: the P-, I- and S-CSCF, three policies on one transaction-stateful
 * proxy core (RFC 3261 sections 16 and 17). */

#ifndef IMSBED_CSCF_H
#define IMSBED_CSCF_H

#include <re.h>

struct node;
struct pcscf;
struct icscf;
struct scscf;

struct cscf_cfg {
	uint32_t reg_min_expires;       /* S-CSCF: 423 below this */
	uint32_t reg_max_expires;       /* S-CSCF: granted at most */
	uint32_t nonce_lifetime;        /* S-CSCF: seconds */
	uint32_t vectors;               /* S-CSCF: AKA vectors per MAR */
	const char *visited_network;    /* P-CSCF: P-Visited-Network-ID */
	bool reg_event;                 /* P-CSCF: watches each user's
					 * registration (TS 24.229 5.2.3) */
};

int pcscf_alloc(struct pcscf **pp, struct node *node,
		const struct cscf_cfg *cfg);
int icscf_alloc(struct icscf **ip, struct node *node,
		const struct cscf_cfg *cfg);
int scscf_alloc(struct scscf **sp, struct node *node,
		const struct cscf_cfg *cfg);

uint32_t scscf_binding_count(const struct scscf *s);
/* TS 24.229 5.4.1.5: the S-CSCF de-registers the user of impu itself;
 * reregister says whether the UE is to register again. */
int  scscf_deregister(struct scscf *s, const char *impu, bool reregister);
bool scscf_serves(const struct scscf *s, const char *impu);

#endif
