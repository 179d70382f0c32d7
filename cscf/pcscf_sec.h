/* SPDX-License-Identifier: BSD-3-Clause */
/* The P-CSCF's security agreement (pcscf_sec.c). */

struct pcscf_sec;

int  pcscf_sec_alloc(struct pcscf_sec **psp, const struct sa *laddr);
/* A REGISTER: 0 and *linep the Security-Server line its 401 gets (NULL
 * for none); after answering it (494), the error. */
int  pcscf_sec_register(struct pcscf_sec *ps, struct proxy *px,
			const struct sip_msg *msg, char **linep);
/* The headers the P-CSCF takes out of a REGISTER it forwards. */
size_t pcscf_sec_skip(const struct sip_msg *msg, enum sip_hdrid *skipv,
		      size_t n);
/* From the 401 of an AKA challenge: the keys the P-CSCF keeps. */
void pcscf_sec_keys(struct pcscf_sec *ps, const struct sa *flow,
		    const char *impu, const char *ik, const char *ck);
/* TS 33.203 7.1: the 401 relayed next goes to the UE without them. */
void pcscf_sec_strip_keys(struct pcscf_sec *ps, const struct sip_msg *msg,
			  struct ptx *t, const struct sa *flow,
			  const char *impu, const char *who);
/* "Security-Server value ik=.. ck=..", or "none". */
int  pcscf_sec_query(struct re_printf *pf, const struct pcscf_sec *ps,
		     const char *impu);
void pcscf_sec_forget(struct pcscf_sec *ps, const struct sa *flow);
