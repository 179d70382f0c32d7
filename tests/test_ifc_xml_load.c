/* SPDX-License-Identifier: BSD-3-Clause */
/* TS 29.228 XML and the topology: an HSS's export (one document per
 * subscriber, its identities grouped by profile, a template's every
 * user), the topology that loads the profiles back from those files
 * ('profiles: {xml: ...}', with the shared sets), its errors, and a
 * profile written as YAML read back the same. */

#include <string.h>
#include <unistd.h>
#include <stdlib.h>
#include <re.h>
#include "yml.h"
#include "hss.h"
#include "tests.h"

static const char exp_topo[] =
	"shared_ifc_sets:\n"
	"  3: {ifc: [{priority: 1, as: 'sip:shared.ims.test',\n"
	"             trigger: {spt: [{method: MESSAGE}]}}]}\n"
	"profiles:\n"
	"  a:\n"
	"    ifc:\n"
	"      - {priority: 0, as: 'sip:a.ims.test', profile_part: "
	"registered,\n"
	"         trigger: {spt: [{method: REGISTER,\n"
	"                          registration_type: [initial]}]}}\n"
	"    shared_ifc_sets: [3]\n"
	"  b:\n"
	"    ifc: [{priority: 5, as: 'sip:b.ims.test', default_handling: "
	"terminate}]\n"
	"  empty: {}\n"
	"subscribers:\n"
	"  - impi: u1@ims.test\n"
	"    password: x\n"
	"    profile: a\n"
	"    impu:\n"
	"      - sip:u1@ims.test\n"
	"      - {uri: sip:u1-b@ims.test, profile: b}\n"
	"      - {uri: sip:u1-old@ims.test, barred: true}\n"
	"      - {uri: 'sip:u1-!.*!@ims.test', profile: b}\n"
	"  - {impi: 'n%d@ims.test', count: 3, impu: 'sip:n%d@ims.test',\n"
	"     password: x, profile: b}\n"
	"  - {impi: bare@ims.test, impu: sip:bare@ims.test, password: x}\n";

/* The export's documents, and files of them */
struct docs {
	char dir[64];
	unsigned n;
	char impis[512];
};


static int doc_save(const struct hss_xml_sub *s, void *arg)
{
	struct docs *d = arg;
	struct mbuf *mb = mbuf_alloc(1024);
	char path[128];
	size_t l = strlen(d->impis);
	FILE *f;
	int err;

	if (!mb)
		return ENOMEM;

	(void)re_snprintf(d->impis + l, sizeof(d->impis) - l, "%s%s/%zu",
			  l ? " " : "", s->impi, s->spc);

	err = hss_subscription_xml(mb, s);
	(void)re_snprintf(path, sizeof(path), "%s/%u.xml", d->dir, d->n++);
	f = err ? NULL : fopen(path, "w");
	if (!err && (!f || fwrite(mb->buf, 1, mb->end, f) != mb->end))
		err = EIO;
	if (f)
		fclose(f);
	mem_deref(mb);

	return err;
}


static void docs_open(struct docs *d)
{
	memset(d, 0, sizeof(*d));
	str_ncpy(d->dir, "/tmp/imsbed-xml-XXXXXX", sizeof(d->dir));
	CU_ASSERT_PTR_NOT_NULL(mkdtemp(d->dir));
}


static void docs_close(struct docs *d)
{
	char path[128];
	unsigned i;

	for (i = 0; i < d->n; i++) {
		(void)re_snprintf(path, sizeof(path), "%s/%u.xml", d->dir, i);
		CU_ASSERT_EQUAL(unlink(path), 0);
	}
	CU_ASSERT_EQUAL(rmdir(d->dir), 0);
}


/* text with every "DIR" in it made d's folder */
static void dir_put(char *buf, size_t sz, const char *text,
		    const struct docs *d)
{
	const char *p, *q;
	size_t n = 0;

	for (p = text; (q = strstr(p, "DIR")); p = q + 3)
		n += re_snprintf(buf + n, sz - n, "%b%s", p,
				 (size_t)(q - p), d->dir);
	(void)re_snprintf(buf + n, sz - n, "%s", p);
}


static int topo_with(struct hss **hssp, const struct docs *d,
		     const char *text, char *err, size_t sz)
{
	char buf[2048];

	dir_put(buf, sizeof(buf), text, d);

	return hssfx_from(hssp, "hss", NULL, buf, err, sz);
}


static void profiles_same(struct hss *a, const char *ia, struct hss *b,
			  const char *ib)
{
	const struct ifc_profile *pa = hss_impu_profile(a, NULL, ia);
	const struct ifc_profile *pb = hss_impu_profile(b, NULL, ib);

	CU_ASSERT_PTR_NOT_NULL(pb);
	CU_ASSERT_TRUE(ifc_profile_equal(pa, pb));
	/* the sets' iFCs too, brought in by the ids */
	CU_ASSERT_EQUAL(ifc_profile_count(pa), ifc_profile_count(pb));
}


static void test_export_load(void)
{
	static const char topo_xml[] =
		"shared_ifc_sets:\n"
		"  3: {ifc: [{priority: 1, as: 'sip:shared.ims.test',\n"
		"             trigger: {spt: [{method: MESSAGE}]}}]}\n"
		"profiles: {xml: DIR}\n"
		"subscribers:\n"
		"  - {impi: u1@ims.test, impu: [sip:u1@ims.test], password: x,"
		"\n     profile: a}\n"
		"  - {impi: u2@ims.test, impu: [sip:u2@ims.test], password: x,"
		"\n     profile: b}\n";
	struct hss *hss = NULL, *back = NULL;
	char err[256] = "";
	struct docs d;

	docs_open(&d);
	CU_ASSERT_EQUAL_FATAL(hssfx_from(&hss, "hss", NULL, exp_topo, err,
					 sizeof(err)), 0);
	CU_ASSERT_EQUAL(hss_export(hss, doc_save, &d), 0);

	/* topology order, a template's every user, a ServiceProfile per
	 * profile (the identities without one in one of their own) */
	CU_ASSERT_EQUAL(d.n, 5);
	ASSERT_STR(d.impis, "u1@ims.test/2 n1@ims.test/1 n2@ims.test/1 "
		   "n3@ims.test/1 bare@ims.test/1");

	if (topo_with(&back, &d, topo_xml, err, sizeof(err)))
		fprintf(stderr, "\nload: %s\n", err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(back);
	profiles_same(hss, "sip:u1@ims.test", back, "sip:u1@ims.test");
	profiles_same(hss, "sip:u1-b@ims.test", back, "sip:u2@ims.test");
	CU_ASSERT_EQUAL(ifc_profile_count(hss_impu_profile(back, NULL,
							   "sip:u1@ims.test")),
			2);

	mem_deref(back);
	mem_deref(hss);
	docs_close(&d);
}


/* 'profiles: {NAME: {xml: FILE}}': the ServiceProfile of that name, or
 * the file's only one, under the topology's name */
static void test_named(void)
{
	static const char topo[] =
		"shared_ifc_sets:\n"
		"  3: {ifc: [{priority: 1, as: 'sip:shared.ims.test'}]}\n"
		"profiles:\n"
		"  b: {xml: DIR/0.xml}\n"
		"  mine: {xml: DIR/1.xml}\n"
		"subscribers:\n"
		"  - {impi: v@ims.test, impu: [sip:v@ims.test], password: x,\n"
		"     profile: mine}\n"
		"  - {impi: w@ims.test, impu: [sip:w@ims.test], password: x,\n"
		"     profile: b}\n";
	struct hss *hss = NULL, *back = NULL;
	const struct ifc_profile *p;
	char err[256] = "";
	struct docs d;

	docs_open(&d);
	CU_ASSERT_EQUAL_FATAL(hssfx_from(&hss, "hss", NULL, exp_topo, err,
					 sizeof(err)), 0);
	CU_ASSERT_EQUAL(hss_export(hss, doc_save, &d), 0);

	if (topo_with(&back, &d, topo, err, sizeof(err)))
		fprintf(stderr, "\nload: %s\n", err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(back);

	/* 1.xml is n1's: its one ServiceProfile is b's, named mine now */
	p = hss_impu_profile(back, NULL, "sip:v@ims.test");
	ASSERT_STR(ifc_profile_name(p), "mine");
	CU_ASSERT_TRUE(ifc_profile_equal(p, hss_impu_profile(hss, NULL,
						"sip:n1@ims.test")));
	p = hss_impu_profile(back, NULL, "sip:w@ims.test");
	ASSERT_STR(ifc_profile_name(p), "b");
	CU_ASSERT_TRUE(ifc_profile_equal(p, hss_impu_profile(hss, NULL,
						"sip:u1-b@ims.test")));

	mem_deref(back);
	mem_deref(hss);
	docs_close(&d);
}


static void file_put(const struct docs *d, const char *name,
		     const char *text)
{
	char path[128];
	FILE *f;

	(void)re_snprintf(path, sizeof(path), "%s/%s", d->dir, name);
	f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	(void)fputs(text, f);
	fclose(f);
}


struct load_err {
	const char *topo;
	const char *err;
};


static void test_errors(void)
{
	static const struct load_err casev[] = {
		{"profiles: {xml: DIR/9.xml}\n",
		 "DIR/9.xml: cannot open: No such file or directory"},
		{"shared_ifc_sets: {3: {ifc: [{priority: 1, as: 'sip:x'}]}}\n"
		 "profiles: {xml: [DIR/0.xml, DIR/none.xml]}\n",
		 "DIR/none.xml: cannot open: No such file or directory"},
		{"profiles: {p: {xml: DIR}}\n", "DIR: not a regular file"},
		{"profiles: {xml: DIR/0.xml}\n",
		 "DIR/0.xml:38: <SharedIFCSetID>: no shared iFC set 3 in "
		 "shared_ifc_sets"},
		{"shared_ifc_sets: {3: {ifc: [{priority: 1, as: 'sip:x'}]}}\n"
		 "profiles: {p: {xml: DIR/0.xml}}\n",
		 "t.yaml:2:21: profiles.p.xml: DIR/0.xml holds 2 service "
		 "profiles and none named 'p'"},
		{"shared_ifc_sets: {3: {ifc: [{priority: 1, as: 'sip:x'}]}}\n"
		 "profiles:\n  xml: DIR/0.xml\n  a: {}\n",
		 "t.yaml:4:3: profiles: duplicate profile 'a'"},
		{"shared_ifc_sets: {3: {ifc: [{priority: 1, as: 'sip:x'}]}}\n"
		 "profiles:\n  b: {ifc: [{priority: 5, as: 'sip:b.ims.test'}]}"
		 "\n  xml: DIR/0.xml\n",
		 "DIR/0.xml:42: profile 'b' differs from the one loaded "
		 "before under that name"},
		{"profiles: {p: {ifc: [], xml: DIR/0.xml}}\n",
		 "t.yaml:1:16: unknown key 'ifc' in profiles.p"},
		{"profiles: {xml: ''}\n",
		 "t.yaml:1:17: profiles.xml must not be empty"},
		{"profiles: {xml: DIR/bad.xml}\n",
		 "DIR/bad.xml:3: <Priority>: 'x' is not a whole number"},
		{"profiles: {xml: DIR/anon.xml}\n",
		 "DIR/anon.xml:2: <ServiceProfile> has no imsbed name: give "
		 "it one with profiles: {NAME: {xml: DIR/anon.xml}}"},
	};
	static const char bad[] =
		"<IMSSubscription><PrivateID>a</PrivateID>\n<ServiceProfile>"
		"<PublicIdentity><Identity>sip:a@b</Identity></PublicIdentity>"
		"<InitialFilterCriteria>\n<Priority>x</Priority>"
		"<ApplicationServer><ServerName>sip:a</ServerName>"
		"</ApplicationServer></InitialFilterCriteria></ServiceProfile>"
		"</IMSSubscription>";
	static const char anon[] =
		"<IMSSubscription><PrivateID>a</PrivateID>\n<ServiceProfile>"
		"<PublicIdentity><Identity>sip:a@b</Identity></PublicIdentity>"
		"<InitialFilterCriteria>\n<Priority>0</Priority>"
		"<ApplicationServer><ServerName>sip:a</ServerName>"
		"</ApplicationServer></InitialFilterCriteria></ServiceProfile>"
		"</IMSSubscription>";
	struct hss *hss = NULL;
	char err[512] = "", path[128], want[512];
	struct docs d;
	size_t i;

	docs_open(&d);
	CU_ASSERT_EQUAL_FATAL(hssfx_from(&hss, "hss", NULL, exp_topo, err,
					 sizeof(err)), 0);
	CU_ASSERT_EQUAL(hss_export(hss, doc_save, &d), 0);
	hss = mem_deref(hss);

	file_put(&d, "bad.xml", bad);
	file_put(&d, "anon.xml", anon);

	for (i = 0; i < ARRAY_SIZE(casev); i++) {
		dir_put(want, sizeof(want), casev[i].err, &d);

		err[0] = '\0';
		CU_ASSERT_NOT_EQUAL(topo_with(&hss, &d, casev[i].topo, err,
					      sizeof(err)), 0);
		CU_ASSERT_PTR_NULL(hss);
		if (strcmp(err, want))
			fprintf(stderr, "\ncase %zu:\n  got  %s\n  want %s\n",
				i, err, want);
		ASSERT_STR(err, want);
	}

	(void)re_snprintf(path, sizeof(path), "%s/bad.xml", d.dir);
	CU_ASSERT_EQUAL(unlink(path), 0);
	(void)re_snprintf(path, sizeof(path), "%s/anon.xml", d.dir);
	CU_ASSERT_EQUAL(unlink(path), 0);
	docs_close(&d);
}


int test_ifc_xml_load_suite(void)
{
	static const CU_TestInfo tv[] = {
		{"export, and the profiles loaded back", test_export_load},
		{"a profile of a file by name", test_named},
		{"errors", test_errors},
		CU_TEST_INFO_NULL
	};

	return test_suite_add("ifc_xml_load", NULL, NULL, tv);
}
