/* SPDX-License-Identifier: BSD-3-Clause */
/* What the HSS suites share (test_hss.c, test_cx.c): the topology they
 * load, loading it, and the Cx requests as calls that give the result
 * code. */

#include <string.h>
#include <re.h>
#include "yml.h"
#include "hss.h"
#include "tests.h"

/* alice has two IMPUs and services; carol belongs to hss2; nobody has no
 * profile; user0001..user1000 come from one template */
const char hssfx_topo[] =
	"profiles:\n"
	"  as1-services:\n"
	"    ifc:\n"
	"      - priority: 0\n"
	"        trigger:\n"
	"          spt:\n"
	"            - {method: REGISTER}\n"
	"        as: sip:as1.ims.test:5060\n"
	"  plain: {}\n"
	"subscribers:\n"
	"  - impi: alice@ims.test\n"
	"    impu: [sip:alice@ims.test, tel:+16328300100]\n"
	"    password: secret\n"
	"    profile: as1-services\n"
	"  - {impi: bob@ims.test, impu: sip:bob@ims.test, password: bobpw,\n"
	"     profile: plain}\n"
	"  - {impi: carol@ims.test, impu: sip:carol@ims.test, password: x,\n"
	"     hss: hss2}\n"
	"  - {impi: user%04d@ims.test, impu: sip:user%04d@ims.test,\n"
	"     password: pw%d, count: 1000, profile: plain}\n"
	"  - {impi: nobody@ims.test, impu: sip:nobody@ims.test,\n"
	"     password: x}\n";



/* Loads text into a new HSS named name; *hssp is NULL on failure */
int hssfx_from(struct hss **hssp, const char *name, const char *dbpath,
	       const char *text, char *err, size_t sz)
{
	struct yml *y = NULL;
	struct hss *hss = NULL;
	int e;

	*hssp = NULL;

	e = hss_alloc(&hss, name, dbpath, "ims.test", err, sz);
	if (e)
		return e;

	e = yml_load_str(&y, "t.yaml", text, err, sz);
	if (!e)
		e = hss_load(hss, y, yml_root(y), err, sz);

	mem_deref(y);
	if (e)
		mem_deref(hss);
	else
		*hssp = hss;

	return e;
}


int hssfx_uar(struct hss *hss, const char *impi, const char *impu,
	      enum cx_uar_type type, struct cx_uaa *uaa)
{
	int e = hss_uar(hss, impi, impu, type, uaa);

	return e ? -e : (int)uaa->result;
}


int hssfx_mar(struct hss *hss, const char *impi, const char *impu,
	      const char *scheme, const char *server, struct cx_maa *maa)
{
	int e = hss_mar(hss, impi, impu, scheme, server, maa);

	return e ? -e : (int)maa->result;
}


int hssfx_sar(struct hss *hss, const char *impi, const char *impu,
	      const char *server, enum cx_sar_type type, struct cx_saa *saa)
{
	int e = hss_sar(hss, impi, impu, server, type, saa);

	return e ? -e : (int)saa->result;
}


int hssfx_lir(struct hss *hss, const char *impu, struct cx_lia *lia)
{
	int e = hss_lir(hss, impu, lia);

	return e ? -e : (int)lia->result;
}


int hssfx_profile(struct ifc_profile **pp, const char *text)
{
	struct yml *y = NULL;
	char err[256] = "";
	int e;

	e = yml_load_str(&y, "t.yaml", text, err, sizeof(err));
	if (!e)
		e = ifc_profile_load(pp, "p", y, yml_root(y), err,
				     sizeof(err));
	if (e)
		fprintf(stderr, "\nprofile: %s\n", err);
	mem_deref(y);

	return e;
}
