/* SPDX-License-Identifier: BSD-3-Clause */
/* HSS: loading a topology (templates, filters, errors, rollback) and the
 * file database; the Cx answers are test_cx.c's. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sqlite3.h>
#include <re.h>
#include "yml.h"
#include "hss.h"
#include "tests.h"

static void test_load(void)
{
	struct hss *hss, *hss2;
	char err[256] = "";

	CU_ASSERT_EQUAL_FATAL(hssfx_from(&hss, "hss1", NULL, hssfx_topo, err,
					 sizeof(err)), 0);
	ASSERT_STR(hss_name(hss), "hss1");

	/* alice, bob, nobody and user0001..user1000; carol is hss2's */
	CU_ASSERT_EQUAL(hss_subscriber_count(hss), 1003);
	CU_ASSERT_TRUE(hss_has_impu(hss, "sip:alice@ims.test"));
	CU_ASSERT_TRUE(hss_has_impu(hss, "tel:+16328300100"));
	CU_ASSERT_FALSE(hss_has_impu(hss, "sip:carol@ims.test"));
	CU_ASSERT_TRUE(hss_has_impu(hss, "sip:user0001@ims.test"));
	CU_ASSERT_TRUE(hss_has_impu(hss, "sip:user0500@ims.test"));
	CU_ASSERT_TRUE(hss_has_impu(hss, "sip:user1000@ims.test"));
	CU_ASSERT_FALSE(hss_has_impu(hss, "sip:user0000@ims.test"));
	CU_ASSERT_FALSE(hss_has_impu(hss, "sip:user1001@ims.test"));
	CU_ASSERT_FALSE(hss_has_impu(hss, "sip:user500@ims.test"));

	CU_ASSERT_EQUAL_FATAL(hssfx_from(&hss2, "hss2", NULL, hssfx_topo, err,
					 sizeof(err)), 0);
	CU_ASSERT_EQUAL(hss_subscriber_count(hss2), 1004);
	CU_ASSERT_TRUE(hss_has_impu(hss2, "sip:carol@ims.test"));

	mem_deref(hss2);
	mem_deref(hss);
}


static void test_bulk(void)
{
	static const char bulk[] =
		"profiles: {plain: {}}\n"
		"subscribers:\n"
		"  - impi: u%05d@ims.test\n"
		"    impu: [sip:u%05d@ims.test, 'tel:+1555%05d']\n"
		"    password: p%d\n"
		"    profile: plain\n"
		"    count: 10000\n";
	struct cx_uaa uaa;
	struct hss *hss;
	char err[256] = "";

	/* How fast this loads is a benchmark's business (make bench). */
	CU_ASSERT_EQUAL_FATAL(hssfx_from(&hss, "hss1", NULL, bulk, err,
					 sizeof(err)), 0);

	CU_ASSERT_EQUAL(hss_subscriber_count(hss), 10000);
	CU_ASSERT_TRUE(hss_has_impu(hss, "tel:+155509999"));
	CU_ASSERT_EQUAL(hssfx_uar(hss, "u10000@ims.test", "tel:+155510000",
				  REG, &uaa), CX_FIRST_REGISTRATION);

	mem_deref(hss);
}


static void test_template(void)
{
	static const char text[] =
		"subscribers:\n"
		"  - {impi: 'q%d@ims.test', impu: 'sip:q%d@ims.test',\n"
		"     password: 'p%%%d', count: 2}\n"
		"  - {impi: 'z%03u@ims.test', impu: 'sip:z%03u@ims.test',\n"
		"     password: 'p%-d', count: 12}\n";
	struct cx_maa maa;
	struct hss *hss;
	char err[256] = "";

	CU_ASSERT_EQUAL_FATAL(hssfx_from(&hss, "hss1", NULL, text, err,
					 sizeof(err)), 0);
	CU_ASSERT_EQUAL(hss_subscriber_count(hss), 14);
	CU_ASSERT_TRUE(hss_has_impu(hss, "sip:q2@ims.test"));
	CU_ASSERT_TRUE(hss_has_impu(hss, "sip:z012@ims.test"));
	CU_ASSERT_FALSE(hss_has_impu(hss, "sip:z12@ims.test"));

	/* '%%' is a literal '%': the password of q1 is "p%1" */
	CU_ASSERT_EQUAL(hssfx_mar(hss, "q1@ims.test", "sip:q1@ims.test",
				  SIP_DIGEST, NULL, &maa), CX_SUCCESS);
	ASSERT_STR(maa.ha1, "12ae39764e5035393abccc4d95b77482");

	mem_deref(hss);
}


/* A field without a conversion is the same for every user: one password
 * for all the users of a load test. */
static void test_template_literal(void)
{
	static const char text[] =
		"subscribers:\n"
		"  - {impi: 'w%d@ims.test', impu: 'sip:w%d@ims.test',\n"
		"     password: imsbench, count: 3}\n"
		"  - {impi: 'one@ims.test', impu: 'sip:one@ims.test',\n"
		"     password: solo, count: 1}\n";
	struct cx_maa maa;
	struct hss *hss;
	char err[256] = "";

	CU_ASSERT_EQUAL_FATAL(hssfx_from(&hss, "hss1", NULL, text, err,
					 sizeof(err)), 0);
	CU_ASSERT_EQUAL(hss_subscriber_count(hss), 4);

	/* HA1 = MD5("w2@ims.test:ims.test:imsbench") */
	CU_ASSERT_EQUAL(hssfx_mar(hss, "w2@ims.test", "sip:w2@ims.test",
				  SIP_DIGEST, NULL, &maa), CX_SUCCESS);
	ASSERT_STR(maa.ha1, "d824ff6788923c095462ed31a2cc07a8");
	CU_ASSERT_TRUE(hss_has_impu(hss, "sip:one@ims.test"));

	mem_deref(hss);
}


struct load_err {
	const char *yaml;
	const char *err;
};

#define SUB "subscribers:\n  - impi: a@ims.test\n"

static const struct load_err errv[] = {
	/* twice in one IMPI, across its sets (in two IMPIs it is shared) */
	{"subscribers:\n"
	 "  - impi: a@ims.test\n"
	 "    password: x\n"
	 "    sets:\n"
	 "      - impu: sip:dup@ims.test\n"
	 "      - impu: [sip:b@ims.test, sip:dup@ims.test]\n",
	 "t.yaml:6:32: subscribers[0].sets[1].impu[1]: duplicate IMPU "
	 "'sip:dup@ims.test', first at t.yaml:5:15"},
	/* a tel URI and its sip twin are one identity */
	{SUB "    impu: ['tel:+1-555-0100', "
	 "'sip:+15550100@ims.test;user=phone']\n    password: x\n",
	 "t.yaml:3:31: subscribers[0].impu[1]: duplicate IMPU "
	 "'sip:+15550100@ims.test;user=phone' (as 'tel:+15550100'), first "
	 "at t.yaml:3:12"},
	{"subscribers:\n"
	 "  - impi: u%d@ims.test\n"
	 "    impu: sip:u%d@ims.test\n"
	 "    password: x%d\n"
	 "    count: 3\n"
	 "  - impi: u2@ims.test\n"
	 "    impu: sip:other@ims.test\n"
	 "    password: x\n",
	 "t.yaml:6:11: subscribers[1].impi: duplicate IMPI 'u2@ims.test', "
	 "first at t.yaml:2:11 (n=2)"},
	{"subscribers:\n"
	 "  - impi: u%d@ims.test\n"
	 "    impu: [sip:u%d@ims.test, sip:u%d@ims.test]\n"
	 "    password: x%d\n"
	 "    count: 3\n",
	 "t.yaml:3:30: subscribers[0].impu[1]: duplicate IMPU "
	 "'sip:u1@ims.test' (n=1), first at t.yaml:3:12 (n=1)"},
	{"profiles: {plain: {}}\n"
	 SUB "    impu: sip:a@ims.test\n    password: x\n"
	 "    profile: nope\n",
	 "t.yaml:6:14: subscribers[0].profile: no profile 'nope' in "
	 "profiles"},
	{SUB "    impu: mailto:a@ims.test\n    password: x\n",
	 "t.yaml:3:11: subscribers[0].impu: 'mailto:a@ims.test' is not a "
	 "sip: or tel: URI"},
	{SUB "    impu: [sip:a@ims.test, 'sip:']\n    password: x\n",
	 "t.yaml:3:28: subscribers[0].impu[1]: 'sip:' is not a sip: or tel: "
	 "URI"},
	{SUB "    impu: sip:a%d@ims.test\n    password: x%d\n    count: 2\n",
	 "t.yaml:2:11: subscribers[0].impi: 'a@ims.test' would be the same "
	 "for all 2 subscribers of count: an identity needs one integer "
	 "conversion such as %d or %04d"},
	{"subscribers:\n  - impi: a%d@ims.test\n    impu: sip:a@ims.test\n"
	 "    password: x\n    count: 2\n",
	 "t.yaml:3:11: subscribers[0].impu: 'sip:a@ims.test' would be the "
	 "same for all 2 subscribers of count: an identity needs one "
	 "integer conversion such as %d or %04d"},
	{"subscribers:\n  - impi: a%d%d@ims.test\n    impu: sip:a%d@ims.test\n"
	 "    password: x%d\n    count: 2\n",
	 "t.yaml:2:11: subscribers[0].impi: 'a%d%d@ims.test' has more than "
	 "one integer conversion"},
	{"subscribers:\n  - impi: a%s@ims.test\n    impu: sip:a%d@ims.test\n"
	 "    password: x%d\n    count: 2\n",
	 "t.yaml:2:11: subscribers[0].impi: bad '%' in 'a%s@ims.test' (use "
	 "one of %d, %04d ... and %% for a %)"},
	{"subscribers:\n  - impi: a%d@ims.test\n    impu: sip:a%d@ims.test\n"
	 "    password: x%d\n    count: 0\n",
	 "t.yaml:5:12: subscribers[0].count must be 1 to 1000000"},
	{"subscribers:\n  - impu: sip:a@ims.test\n    password: x\n",
	 "t.yaml:2:5: subscribers[0]: missing 'impi'"},
	{SUB "    impu: []\n    password: x\n",
	 "t.yaml:3:11: subscribers[0].impu must list at least one URI"},
	{SUB "    impu: sip:a@ims.test\n    password: x\n    imsi: 1\n",
	 "t.yaml:5:5: unknown key 'imsi' in subscribers[0]"},
	/* sets and per-IMPU options */
	{"profiles: {p: {}}\n"
	 SUB "    password: x\n    impu:\n"
	 "      - sip:a@ims.test\n"
	 "      - {uri: sip:b@ims.test, profile: nope}\n",
	 "t.yaml:7:40: subscribers[0].impu[1].profile: no profile 'nope' in "
	 "profiles"},
	{"profiles: {p: {}}\n"
	 SUB "    password: x\n"
	 "    sets: [{impu: sip:a@ims.test}, {impu: [], profile: p}]\n",
	 "t.yaml:5:43: subscribers[0].sets[1].impu must list at least one "
	 "URI"},
	{SUB "    password: x\n    sets: [{impu: sip:a@ims.test, "
	 "profile: gone}]\n",
	 "t.yaml:4:44: subscribers[0].sets[0].profile: no profile 'gone' in "
	 "profiles"},
	{SUB "    password: x\n    sets: [{profile: p}]\n",
	 "t.yaml:4:12: subscribers[0].sets[0]: missing 'impu'"},
	{SUB "    password: x\n    sets: []\n",
	 "t.yaml:4:11: subscribers[0].sets must list at least one set"},
	{SUB "    password: x\n    sets: [sip:a@ims.test]\n",
	 "t.yaml:4:12: subscribers[0].sets[0] must be a mapping with impu "
	 "and profile"},
	{SUB "    password: x\n    impu: sip:a@ims.test\n"
	 "    sets: [{impu: sip:b@ims.test}]\n",
	 "t.yaml:5:11: subscribers[0]: impu or sets, not both"},
	{SUB "    password: x\n    impu: [{barred: true}]\n",
	 "t.yaml:4:12: subscribers[0].impu[0]: missing 'uri'"},
	{SUB "    password: x\n    impu: [{uri: sip:a@ims.test, barred: 2}]\n",
	 "t.yaml:4:42: subscribers[0].impu[0].barred must be true or false, "
	 "not '2'"},
	{SUB "    password: x\n"
	 "    impu: [{uri: sip:a@ims.test, bared: true}]\n",
	 "t.yaml:4:34: unknown key 'bared' in subscribers[0].impu[0]"},
	/* wildcarded identities: the regex between the '!' must compile */
	{SUB "    password: x\n    impu: ['sip:a!(!@ims.test']\n",
	 "t.yaml:4:12: subscribers[0].impu[0]: bad wildcard "
	 "'sip:a!(!@ims.test': Unmatched ( or \\("},
	{SUB "    password: x\n    impu: ['sip:a!.*@ims.test']\n",
	 "t.yaml:4:12: subscribers[0].impu[0]: bad wildcard "
	 "'sip:a!.*@ims.test': a '!' opens a regex that no '!' closes"},
	{SUB "    password: x\n    impu: ['mailto:a!.*!']\n",
	 "t.yaml:4:12: subscribers[0].impu[0]: 'mailto:a!.*!' is not a sip: "
	 "or tel: URI"},
	{"subscribers: {}\n", "t.yaml:1:14: subscribers must be a list"},
	{"profiles: []\n",
	 "t.yaml:1:11: profiles must be a mapping of name to profile"},
	{"profiles:\n  a: {}\n  a: {}\n",
	 "t.yaml:3:3: profiles: duplicate profile 'a'"},
	{"profiles:\n  as1:\n    ifc:\n      - priority: 0\n"
	 "        as: sip:as1.ims.test\n"
	 "        trigger: {spt: [{request_uri: '*x'}]}\n",
	 "t.yaml:6:39: profiles.as1.ifc[0].trigger.spt[0].request_uri: bad "
	 "regex '*x': Invalid preceding regular expression"},
	{"- 1\n", "t.yaml:1:1: the topology must be a mapping"},
};


static void test_errors(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(errv); i++) {
		struct hss *hss;
		char err[512] = "";

		CU_ASSERT_EQUAL(hssfx_from(&hss, "hss1", NULL, errv[i].yaml,
					   err, sizeof(err)), EINVAL);
		CU_ASSERT_PTR_NULL(hss);
		if (strcmp(err, errv[i].err))
			fprintf(stderr, "\nerror case %zu:\n  got  %s\n"
				"  want %s\n", i, err, errv[i].err);
		ASSERT_STR(err, errv[i].err);
	}
}


/* The third subscriber is bad: nothing of the first two may remain, and a
 * loaded HSS keeps what it had. */
static const char bad_third[] =
	"profiles: {as1-services: {ifc: []}}\n"
	"subscribers:\n"
	"  - {impi: new1@ims.test, impu: sip:new1@ims.test, password: x}\n"
	"  - {impi: new2@ims.test, impu: sip:new2@ims.test, password: x,\n"
	"     profile: as1-services}\n"
	"  - {impi: new1@ims.test, impu: 'sip:new3@ims.test', password: x}\n";


static void test_rollback(void)
{
	struct cx_saa saa;
	struct yml *y = NULL;
	struct hss *hss = NULL;
	char err[256] = "";

	CU_ASSERT_EQUAL_FATAL(hss_alloc(&hss, "hss1", NULL, "ims.test", err,
					sizeof(err)), 0);
	CU_ASSERT_EQUAL_FATAL(yml_load_str(&y, "t.yaml", bad_third, err,
					   sizeof(err)), 0);
	CU_ASSERT_EQUAL(hss_load(hss, y, yml_root(y), err, sizeof(err)),
			EINVAL);
	ASSERT_STR(err, "t.yaml:6:12: subscribers[2].impi: "
		   "duplicate IMPI 'new1@ims.test', first at "
		   "t.yaml:3:12");
	CU_ASSERT_EQUAL(hss_subscriber_count(hss), 0);
	CU_ASSERT_FALSE(hss_has_impu(hss, "sip:new1@ims.test"));
	mem_deref(hss);

	/* over a loaded HSS: the old users and profiles stay */
	CU_ASSERT_EQUAL_FATAL(hssfx_from(&hss, "hss1", NULL, hssfx_topo, err,
					 sizeof(err)), 0);
	CU_ASSERT_EQUAL(hss_load(hss, y, yml_root(y), err, sizeof(err)),
			EINVAL);
	CU_ASSERT_EQUAL(hss_subscriber_count(hss), 1003);
	CU_ASSERT_FALSE(hss_has_impu(hss, "sip:new1@ims.test"));
	CU_ASSERT_EQUAL(hssfx_sar(hss, ALICE, SCSCF, CX_SAR_REGISTRATION,
				  &saa), CX_SUCCESS);
	CU_ASSERT_EQUAL(ifc_profile_count(saa.profile), 1);
	mem_deref(y);

	/* a good load replaces everything; the old profile lives on in the
	 * hands of whoever holds it */
	CU_ASSERT_EQUAL_FATAL(yml_load_str(&y, "t2.yaml", "subscribers:\n"
					   "  - {impi: n@ims.test, impu: "
					   "sip:n@ims.test, password: x}\n",
					   err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(hss_load(hss, y, yml_root(y), err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(hss_subscriber_count(hss), 1);
	CU_ASSERT_FALSE(hss_has_impu(hss, "sip:alice@ims.test"));
	ASSERT_STR(ifc_profile_name(saa.profile), "as1-services");

	mem_deref(saa.profile);
	mem_deref(saa.assoc);
	mem_deref(y);
	mem_deref(hss);
}


static void test_file_db(void)
{
	struct cx_saa saa;
	struct cx_lia lia;
	struct cx_maa maa;
	struct hss *hss;
	char path[64], err[256] = "";

	(void)re_snprintf(path, sizeof(path), "/tmp/imsbed-hss-%d.db",
			  (int)getpid());
	(void)unlink(path);

	CU_ASSERT_EQUAL_FATAL(hssfx_from(&hss, "hss1", path, hssfx_topo, err,
					 sizeof(err)), 0);
	CU_ASSERT_EQUAL(hssfx_sar(hss, ALICE, SCSCF, CX_SAR_REGISTRATION,
				  &saa), CX_SUCCESS);
	mem_deref(saa.profile);
	mem_deref(saa.assoc);
	mem_deref(hss);

	/* reopened without a load: rows and registrations are there */
	CU_ASSERT_EQUAL_FATAL(hss_alloc(&hss, "hss1", path, "ims.test", err,
					sizeof(err)), 0);
	CU_ASSERT_EQUAL(hss_subscriber_count(hss), 1003);
	CU_ASSERT_TRUE(hss_has_impu(hss, "sip:user0500@ims.test"));
	CU_ASSERT_EQUAL(hssfx_lir(hss, "tel:+16328300100", &lia), CX_SUCCESS);
	ASSERT_STR(lia.scscf, SCSCF);
	CU_ASSERT_EQUAL(hssfx_mar(hss, ALICE, SIP_DIGEST, NULL, &maa),
			CX_SUCCESS);
	ASSERT_STR(maa.ha1, "303caad20d1a07dd0a9f409479078797");

	/* ... but profiles are compiled by a load only */
	CU_ASSERT_EQUAL(hssfx_sar(hss, ALICE, SCSCF, CX_SAR_RE_REGISTRATION,
				  &saa), CX_UNABLE_TO_COMPLY);
	CU_ASSERT_PTR_NULL(saa.profile);
	mem_deref(hss);

	CU_ASSERT_EQUAL(unlink(path), 0);

	CU_ASSERT_EQUAL(hss_alloc(&hss, "hss1", "/nonexistent/dir/x.db",
				  "ims.test", err, sizeof(err)), EIO);
	ASSERT_STR(err, "hss hss1: database "
		   "'/nonexistent/dir/x.db': unable to open "
		   "database file");
	CU_ASSERT_EQUAL(hss_alloc(&hss, NULL, NULL, "ims.test", err,
				  sizeof(err)), EINVAL);
}


/* The subscriber and impu tables as imsbed made them before sets: one
 * IMPI per IMPU (uri PRIMARY KEY), the state per IMPI.  alice is
 * registered at SCSCF with both IMPUs. */
static const char old_schema[] =
	"CREATE TABLE subscriber ("
	" impi TEXT PRIMARY KEY, password TEXT NOT NULL,"
	" profile TEXT NOT NULL DEFAULT '', scscf TEXT NOT NULL DEFAULT '',"
	" state INTEGER NOT NULL DEFAULT 0,"
	" src_line INTEGER, src_col INTEGER, src_n INTEGER,"
	" auth TEXT NOT NULL DEFAULT 'digest', k BLOB, opc BLOB, amf BLOB,"
	" sqn INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;"
	"CREATE TABLE impu ("
	" uri TEXT PRIMARY KEY,"
	" impi TEXT NOT NULL REFERENCES subscriber (impi),"
	" pos INTEGER NOT NULL,"
	" src_line INTEGER, src_col INTEGER, src_n INTEGER) WITHOUT ROWID;"
	"CREATE INDEX impu_by_impi ON impu (impi, pos);"
	"INSERT INTO subscriber (impi, password, profile, scscf, state)"
	" VALUES ('alice@ims.test', 'secret', 'as1-services',"
	" '" SCSCF "', 1), ('bob@ims.test', 'bobpw', '', '', 0);"
	"INSERT INTO impu VALUES ('sip:alice@ims.test', 'alice@ims.test', 0,"
	" 3, 11, 0), ('tel:+1-632-830-0100', 'alice@ims.test', 1, 3, 30, 0),"
	" ('sip:bob@ims.test', 'bob@ims.test', 0, 5, 11, 0);";

/* Two IMPIs share one IMPU: the old PRIMARY KEY would refuse it */
static const char shared[] =
	"subscribers:\n"
	"  - {impi: a@ims.test, impu: [sip:a@ims.test, sip:home@ims.test],\n"
	"     password: x}\n"
	"  - {impi: b@ims.test, impu: [sip:b@ims.test, sip:home@ims.test],\n"
	"     password: x}\n";


static void test_migrate(void)
{
	struct cx_uaa uaa;
	struct cx_lia lia;
	struct cx_maa maa;
	struct hss *hss;
	sqlite3 *raw;
	char path[64], err[256] = "";

	(void)re_snprintf(path, sizeof(path), "/tmp/imsbed-hss-old-%d.db",
			  (int)getpid());
	(void)unlink(path);

	CU_ASSERT_EQUAL_FATAL(sqlite3_open(path, &raw), SQLITE_OK);
	CU_ASSERT_EQUAL(sqlite3_exec(raw, old_schema, NULL, NULL, NULL),
			SQLITE_OK);
	(void)sqlite3_close(raw);

	/* opened: the rows are there in the new shape, registration too */
	CU_ASSERT_EQUAL_FATAL(hss_alloc(&hss, "hss1", path, "ims.test", err,
					sizeof(err)), 0);
	CU_ASSERT_EQUAL(hss_subscriber_count(hss), 2);
	CU_ASSERT_TRUE(hss_has_impu(hss, "sip:bob@ims.test"));
	/* the old row's key is its normal form */
	CU_ASSERT_TRUE(hss_has_impu(hss, "sip:+16328300100@ims.test;"
				    "user=phone"));
	CU_ASSERT_EQUAL(hssfx_lir(hss, "tel:+16328300100", &lia), CX_SUCCESS);
	ASSERT_STR(lia.scscf, SCSCF);
	CU_ASSERT_EQUAL(hssfx_uar(hss, ALICE, DEREG, &uaa), CX_SUCCESS);
	CU_ASSERT_EQUAL(hssfx_uar(hss, BOB, DEREG, &uaa),
			CX_ERROR_IDENTITY_NOT_REGISTERED);
	CU_ASSERT_EQUAL(hssfx_mar(hss, "alice@ims.test", "sip:bob@ims.test",
				  SIP_DIGEST, NULL, &maa),
			CX_ERROR_IDENTITIES_DONT_MATCH);
	CU_ASSERT_EQUAL(hssfx_mar(hss, ALICE, SIP_DIGEST, NULL, &maa),
			CX_SUCCESS);
	ASSERT_STR(maa.ha1, "303caad20d1a07dd0a9f409479078797");
	mem_deref(hss);

	/* migrated once: the file reopens as it is, and takes an IMPU
	 * shared by two IMPIs */
	CU_ASSERT_EQUAL_FATAL(hssfx_from(&hss, "hss1", path, shared, err,
					 sizeof(err)), 0);
	CU_ASSERT_EQUAL(hss_subscriber_count(hss), 2);
	CU_ASSERT_TRUE(hss_has_impu(hss, "sip:home@ims.test"));
	mem_deref(hss);

	CU_ASSERT_EQUAL(unlink(path), 0);
}


/* tel URIs and their sip:...;user=phone twins (TS 24.229 5.4.3.x) */
static void test_normalise(void)
{
	static const struct {
		const char *in, *out;
	} v[] = {
		{"tel:+16328300100", "tel:+16328300100"},
		{"tel:+1-632-830.(0100)", "tel:+16328300100"},
		{"TEL:+16328300100;ext=12", "tel:+16328300100;ext=12"},
		{"sip:+16328300100@ims.test;user=phone", "tel:+16328300100"},
		{"sip:+1-632-8300100@gw.example;transport=udp;user=phone",
		 "tel:+16328300100"},
		{"sip:+16328300100;isub=7@ims.test;user=phone",
		 "tel:+16328300100;isub=7"},
		/* not a global number, or not user=phone: as it is */
		{"sip:+16328300100@ims.test", "sip:+16328300100@ims.test"},
		{"tel:8300100;phone-context=ims.test",
		 "tel:8300100;phone-context=ims.test"},
		{"tel:+1632x", "tel:+1632x"},
		{"tel:+", "tel:+"},
		{"sip:alice@ims.test;user=phone",
		 "sip:alice@ims.test;user=phone"},
		{"sip:alice@ims.test", "sip:alice@ims.test"},
	};
	char buf[128], tiny[8];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(v); i++) {
		CU_ASSERT_EQUAL(hss_impu_normalise(buf, sizeof(buf), v[i].in),
				0);
		if (strcmp(buf, v[i].out))
			fprintf(stderr, "\nnormalise %s: %s\n", v[i].in, buf);
		ASSERT_STR(buf, v[i].out);
	}

	CU_ASSERT_EQUAL(hss_impu_normalise(tiny, sizeof(tiny),
					   "tel:+16328300100"), EOVERFLOW);
	CU_ASSERT_EQUAL(hss_impu_normalise(NULL, 1, "tel:+1"), EINVAL);
}


static const CU_TestInfo tests[] = {
	{"load and HSS filter", test_load},
	{"10000 templated users", test_bulk},
	{"template forms", test_template},
	{"template field the same for all", test_template_literal},
	{"load errors", test_errors},
	{"rollback", test_rollback},
	{"file database", test_file_db},
	{"older file database migrated", test_migrate},
	{"tel and sip forms of one IMPU", test_normalise},
	CU_TEST_INFO_NULL,
};


int test_hss_suite(void)
{
	return test_suite_add("hss", NULL, NULL, tests);
}
