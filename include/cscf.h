/* SPDX-License-Identifier: BSD-3-Clause */
/* cscf: the P-, I- and S-CSCF, three policies on one transaction-stateful
 * proxy core (RFC 3261 sections 16 and 17). */

#ifndef IMSBED_CSCF_H
#define IMSBED_CSCF_H

#include <re.h>
#include "hss.h"

struct node;
struct pcscf;
struct icscf;
struct scscf;

/* An S-CSCF as the I-CSCF knows it, a row of the operator's table that
 * the HSS's Server-Capabilities are matched against (TS 29.228 6.1.1.1,
 * the values are the operator's own): its node and its capabilities. */
struct cscf_scscf {
	char name[64];
	uint32_t capv[CX_CAPS_MAX];
	size_t capc;
};

struct cscf_cfg {
	uint32_t reg_min_expires;       /* S-CSCF: 423 below this */
	uint32_t reg_max_expires;       /* S-CSCF: granted at most */
	uint32_t nonce_lifetime;        /* S-CSCF: seconds */
	uint32_t vectors;               /* S-CSCF: AKA vectors per MAR */
	const char *visited_network;    /* P-CSCF: P-Visited-Network-ID */
	bool reg_event;                 /* P-CSCF: watches each user's
					 * registration (TS 24.229 5.2.3) */
	/* I-CSCF: the topology's S-CSCFs in file order, a mem_ array that
	 * the I-CSCF references */
	struct cscf_scscf *scscfv;
	size_t scscfc;
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

/* icscf_select.c: the S-CSCF of v for a user's Server-Capabilities:
 * among those want names (all, when it names none), one with every
 * mandatory capability and the most optional ones, the first in v on a
 * tie.  *idxp is its index; ENOENT when none has them all. */
int icscf_select(size_t *idxp, const struct cx_caps *want,
		 const struct cscf_scscf *v, size_t n);

#endif
