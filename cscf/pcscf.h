/* SPDX-License-Identifier: BSD-3-Clause */
/* P-CSCF internals shared by its policy (pcscf.c) and its registrar
 * side (pcscf_reg.c): the node object and the registration of a UE
 * flow. */

/* One registered UE flow. */
struct preg {
	struct le he_impu;
	struct le he_flow;
	struct pcscf *p;
	char *impu;             /* the registered IMPU (AOR of To) */
	char *assoc;            /* P-Associated-URI, as received */
	char *routes;           /* "Route: <...>\r\n" from Service-Route */
	char *contact;          /* the UE's registered Contact URI */
	char *callid;           /* of the REGISTER last relayed a 200 */
	uint32_t cseq;
	struct sa flow;         /* where the UE's REGISTER came from */
	struct wheel_ent went;
};

struct pcscf {
	struct node *node;
	struct proxy *px;
	struct pcscf_sec *sec;
	struct pcscf_watch *watch;      /* NULL: no reg subscriptions */
	struct hash *by_impu;
	struct hash *by_flow;
	struct wheel *wheel;
	char *vnet;
};


/* pcscf_reg.c: REGISTER on its way, and what its 200 OK leaves here */
void pcscf_register(struct pcscf *p, const struct sip_msg *msg);
struct preg *pcscf_reg_by_impu(const struct pcscf *p, const char *impu);
struct preg *pcscf_reg_by_flow(const struct pcscf *p, const struct sa *sa);
/* TS 24.229 5.2.3: what the S-CSCF's reg NOTIFY ended (pcscf_watch.h) */
void pcscf_reg_drop(const char *impu, const char *contact,
		    const char *callid, uint32_t cseq, void *arg);
/* "P-Charging-Vector: icid-value=...\r\n" (TS 24.229 7.2A.5) */
int  pcscf_charging_vector(char *buf, size_t sz, const struct pcscf *p);
