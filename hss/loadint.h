/* SPDX-License-Identifier: BSD-3-Clause */
/* The subscriber loader's parts: load.c (subscribers, templates, rows),
 * load_impu.c (public identities and their sets), load_aka.c
 * (authentication schemes and AKA key material) and load_xml.c
 * (profiles from TS 29.228 XML files). */

enum { PATH_LEN = 64 };


/* A string field of a subscriber: literal, or with count a template whose
 * one integer conversion (%d, %04d, %-3u ...) becomes 1..count. */
struct tmpl {
	const char *src;
	bool conv;
	char pre[HSS_ID_MAX];
	char post[HSS_ID_MAX];
	char flag;              /* '0', '-' or 0 */
	unsigned width;
};

/* One IMPU of an entry, in its set, with its options resolved */
struct impudef {
	struct tmpl t;
	const yml_node *n;      /* the URI's node, for errors */
	char path[PATH_LEN];    /* "subscribers[0].sets[1].impu[2]" */
	const char *profile;    /* its own, its set's, the user's, or NULL */
	bool barred;
	uint32_t iset;
};

/* One entry of 'subscribers', checked once and then written count times */
struct subdef {
	const char *what;       /* "subscribers[3]" */
	const yml_node *impi_n, *impu_n, *sets_n, *pass_n;
	struct tmpl impi, pass;
	struct impudef *impuv;  /* every set's, in topology order */
	size_t impuc;
	const char *profile;    /* NULL when absent */
	uint32_t count;         /* 0 without template */
	char auth[64];          /* "digest", "aka,digest" ... */
	unsigned schemes;       /* AUTH_* bits named so far */
	bool aka;               /* auth names aka or aka-v2 */
	const yml_node *k_n, *op_n, *opc_n, *amf_n;
	struct tmpl k;          /* distinct per user under count */
	const char *op, *opc, *amf;
	uint64_t sqn;
	/* capabilities: cx_caps_decode's lists, "" when absent */
	char cap_mand[HSS_ID_MAX];
	char cap_opt[HSS_ID_MAX];
	char cap_servers[HSS_ID_MAX];
};

int tmpl_parse(struct tmpl *t, const struct yml *y, const yml_node *n,
	       const char *what, uint32_t count, bool identity, char *err,
	       size_t sz);
int tmpl_expand(char *buf, const struct tmpl *t, uint32_t i,
		const struct yml *y, const yml_node *n, const char *what,
		char *err, size_t sz);

/* load_impu.c: d's 'impu' or 'sets' (d->profile and count known) */
int impus_load(struct subdef *d, const struct hss_profiles *ps,
	       const struct yml *y, const yml_node *n, char *err, size_t sz);
int impus_store(struct hss *hss, const struct subdef *d, const char *impi,
		uint32_t idx, const struct yml *y, char *err, size_t sz);
int load_dup_err(struct hss *hss, const char *impi, const char *key,
		 const char *val, uint32_t idx, const struct yml *y,
		 const yml_node *n, const char *what, char *err, size_t sz);

/* load_xml.c: 'profiles: {xml: PATH}' (n the value: a path or a list)
 * and 'profiles: {name: {xml: FILE}}' (n the {xml: FILE} mapping) */
int load_xml_all(struct hss *hss, struct hss_profiles *ps,
		 const struct ifc_sets *sets, const struct yml *y,
		 const yml_node *n, char *err, size_t sz);
int load_xml_named(struct hss *hss, struct hss_profiles *ps,
		   const struct ifc_sets *sets, const struct yml *y,
		   const char *name, const yml_node *n, char *err, size_t sz);

/* caps.c: d's 'capabilities' */
int caps_load(struct subdef *d, const struct yml *y, const yml_node *n,
	      char *err, size_t sz);

/* load_aka.c */
int auth_load(struct subdef *d, const struct yml *y, const yml_node *n,
	      char *err, size_t sz);
int aka_store(struct hss_aka *aka, const struct subdef *d, uint32_t idx,
	      const struct yml *y, char *err, size_t sz);
