/* SPDX-License-Identifier: BSD-3-Clause */
/* The P-CSCF's subscriptions to the registrations it carried (TS 24.229
 * 5.2.3): what the S-CSCF ends, the P-CSCF forgets. */

struct pcscf_watch;

/* A device's registration at the P-CSCF ends: contact NULL for every
 * device of impu; callid and cseq (0: unknown) are of the REGISTER the
 * ended state is of, so that a newer registration stays. */
typedef void (pcscf_drop_h)(const char *impu, const char *contact,
			    const char *callid, uint32_t cseq, void *arg);

int  pcscf_watch_alloc(struct pcscf_watch **pwp, struct node *node,
		       pcscf_drop_h *droph, void *arg);
/* A registration of impu went through: watched from now on, once. */
void pcscf_watch_reg(struct pcscf_watch *pw, const char *impu);
/* A NOTIFY of ours, taken; ended gets the IMPU whose subscription it
 * ended ("" when none did). */
bool pcscf_watch_request(struct pcscf_watch *pw, const struct sip_msg *msg,
			 char *ended, size_t sz);
int  pcscf_watch_query(struct re_printf *pf, const struct pcscf_watch *pw,
		       const char *what, const char *impu);
