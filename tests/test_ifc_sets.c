/* SPDX-License-Identifier: BSD-3-Clause */
/* Shared iFC sets (TS 29.228 B.2 SharedIFCSetID) in an HSS: a profile
 * that names sets evaluates their iFCs with its own, in priority order;
 * the loader's errors; and the rows the store keeps of the iFC parts
 * the XML carries (profile part, registration type, shared set), in a
 * new database and in one made before they existed. */

#include <string.h>
#include <unistd.h>
#include <sqlite3.h>
#include <re.h>
#include "yml.h"
#include "hss.h"
#include "tests.h"

static const char sets_topo[] =
	"shared_ifc_sets:\n"
	"  7:\n"
	"    ifc:\n"
	"      - {priority: 5, as: 'sip:set7.test',\n"
	"         trigger: {spt: [{method: INVITE}]}}\n"
	"  2:\n"
	"    ifc:\n"
	"      - {priority: 9, as: 'sip:set2b.test'}\n"
	"      - {priority: 0, as: 'sip:set2a.test', profile_part: "
	"registered,\n"
	"         trigger: {spt: [{method: REGISTER,\n"
	"                          registration_type: [initial]}]}}\n"
	"profiles:\n"
	"  p:\n"
	"    ifc:\n"
	"      - {priority: 3, as: 'sip:own.test'}\n"
	"    shared_ifc_sets: [7, 2]\n"
	"  q: {shared_ifc_sets: [2]}\n"
	"subscribers:\n"
	"  - {impi: alice@ims.test, impu: sip:alice@ims.test, password: x,\n"
	"     profile: p}\n"
	"  - {impi: bob@ims.test, impu: sip:bob@ims.test, password: x,\n"
	"     profile: q}\n";


/* The AS of each iFC req matches in p, in order, as one string */
static void next_all(char *buf, size_t sz, const struct ifc_profile *p,
		     const struct ifc_req *req)
{
	const struct ifc *f;
	size_t idx = 0;
	int n = 0;

	buf[0] = '\0';
	while ((f = ifc_profile_next(p, req, &idx)))
		n += re_snprintf(buf + n, sz - n, "%s%s", n ? " " : "",
				 ifc_as(f));
}


static void test_shared(void)
{
	static const struct ifc_req invite = {.method = "INVITE"};
	static const struct ifc_req reg = {.method = "REGISTER",
					   .reg = IFC_REG_INITIAL};
	static const struct ifc_req rereg = {.method = "REGISTER",
					     .reg = IFC_REG_RE};
	struct ifc_profile *p, *q;
	struct hss *hss;
	char err[256] = "", got[256];

	CU_ASSERT_EQUAL_FATAL(hssfx_from(&hss, "hss", NULL, sets_topo, err,
					 sizeof(err)), 0);

	p = hss_impu_profile(hss, NULL, "sip:alice@ims.test");
	q = hss_impu_profile(hss, NULL, "sip:bob@ims.test");
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_PTR_NOT_NULL_FATAL(q);
	CU_ASSERT_EQUAL(ifc_profile_count(p), 4);
	CU_ASSERT_EQUAL(ifc_profile_count(q), 2);

	/* the sets' iFCs sorted in among the profile's own */
	next_all(got, sizeof(got), p, &reg);
	ASSERT_STR(got, "sip:set2a.test sip:own.test sip:set2b.test");
	next_all(got, sizeof(got), p, &invite);
	ASSERT_STR(got, "sip:own.test sip:set7.test sip:set2b.test");
	next_all(got, sizeof(got), q, &rereg);
	ASSERT_STR(got, "sip:set2b.test");

	/* p and q are other profiles: their own iFCs differ */
	CU_ASSERT_FALSE(ifc_profile_equal(p, q));
	CU_ASSERT_TRUE(ifc_profile_equal(p, p));

	mem_deref(hss);
}


struct err_case {
	const char *yaml;
	const char *err;
};


static void test_errors(void)
{
	static const struct err_case casev[] = {
		{"shared_ifc_sets: [1]\n",
		 "t.yaml:1:18: shared_ifc_sets must be a mapping of set id "
		 "to {ifc: [...]}"},
		{"shared_ifc_sets: {x: {ifc: [{priority: 0, as: sip:a}]}}\n",
		 "t.yaml:1:19: shared_ifc_sets: a set id must be a whole "
		 "number, not 'x'"},
		{"shared_ifc_sets: {3000000000: {ifc: [{priority: 0, as: "
		 "sip:a}]}}\n",
		 "t.yaml:1:19: shared_ifc_sets: set id 3000000000 is too "
		 "large"},
		{"shared_ifc_sets:\n  1: {ifc: [{priority: 0, as: sip:a}]}\n"
		 "  1: {ifc: [{priority: 1, as: sip:b}]}\n",
		 "t.yaml:3:3: shared_ifc_sets: set 1 twice"},
		{"shared_ifc_sets: {1: {ifc: []}}\n",
		 "t.yaml:1:28: shared_ifc_sets.1.ifc must be a list of at "
		 "least one iFC"},
		{"shared_ifc_sets: {1: {ifcs: []}}\n",
		 "t.yaml:1:23: unknown key 'ifcs' in shared_ifc_sets.1"},
		{"shared_ifc_sets: {1: {ifc: [{priority: 0, as: mailto:a}]}}"
		 "\n",
		 "t.yaml:1:47: shared_ifc_sets.1.ifc[0].as: 'mailto:a' is not "
		 "a SIP URI"},
		{"shared_ifc_sets: {1: {ifc: [{priority: 0, as: sip:a}]}}"
		 "\nprofiles: {p: {shared_ifc_sets: [1, 2]}}\n",
		 "t.yaml:2:37: profiles.p.shared_ifc_sets[1]: no shared iFC "
		 "set 2 in shared_ifc_sets"},
		{"shared_ifc_sets: {1: {ifc: [{priority: 0, as: sip:a}]}}"
		 "\nprofiles: {p: {shared_ifc_sets: [1, 1]}}\n",
		 "t.yaml:2:37: profiles.p.shared_ifc_sets[1]: set 1 twice"},
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(casev); i++) {
		struct hss *hss = NULL;
		char err[256] = "";

		CU_ASSERT_EQUAL(hssfx_from(&hss, "hss", NULL, casev[i].yaml,
					   err, sizeof(err)), EINVAL);
		CU_ASSERT_PTR_NULL(hss);
		if (strcmp(err, casev[i].err))
			fprintf(stderr, "\ncase %zu:\n  got  %s\n  want %s\n",
				i, err, casev[i].err);
		ASSERT_STR(err, casev[i].err);
	}
}


/* The ifc and spt tables of imsbed before the XML's iFC parts */
static const char old_tables[] =
	"CREATE TABLE profile (name TEXT PRIMARY KEY) WITHOUT ROWID;"
	"CREATE TABLE ifc ("
	" profile TEXT NOT NULL REFERENCES profile (name),"
	" pos INTEGER NOT NULL, priority INTEGER NOT NULL,"
	" server_name TEXT NOT NULL, default_handling INTEGER NOT NULL,"
	" service_info TEXT, cnf INTEGER,"
	" PRIMARY KEY (profile, pos)) WITHOUT ROWID;"
	"CREATE TABLE spt ("
	" profile TEXT NOT NULL, ifc INTEGER NOT NULL, pos INTEGER NOT NULL,"
	" negated INTEGER NOT NULL, type TEXT NOT NULL, value TEXT NOT NULL,"
	" content TEXT,"
	" PRIMARY KEY (profile, ifc, pos)) WITHOUT ROWID;";


/* One line per iFC row of profile 'p': priority, part, set, and the
 * RegistrationTypes of its SPTs */
static void rows(char *buf, size_t sz, const char *path)
{
	static const char sql[] =
		"SELECT i.priority, COALESCE(i.profile_part, '-'),"
		" COALESCE(i.shared_set, '-'),"
		" COALESCE(group_concat(s.reg_types, '/'), '-')"
		" FROM ifc AS i LEFT JOIN spt AS s ON s.profile = i.profile"
		" AND s.ifc = i.pos WHERE i.profile = 'p'"
		" GROUP BY i.pos ORDER BY i.pos";
	sqlite3_stmt *st;
	sqlite3 *db;
	int n = 0;

	buf[0] = '\0';
	CU_ASSERT_EQUAL_FATAL(sqlite3_open(path, &db), SQLITE_OK);
	CU_ASSERT_EQUAL_FATAL(sqlite3_prepare_v2(db, sql, -1, &st, NULL),
			      SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW)
		n += re_snprintf(buf + n, sz - n, "%s %s %s %s;",
				 sqlite3_column_text(st, 0),
				 sqlite3_column_text(st, 1),
				 sqlite3_column_text(st, 2),
				 sqlite3_column_text(st, 3));
	(void)sqlite3_finalize(st);
	(void)sqlite3_close(db);
}


static void test_rows(void)
{
	static const char *const want =
		"0 0 2 initial;3 - - -;5 - 7 -;9 - 2 -;";
	struct hss *hss;
	char path[64], err[256] = "", got[256];
	sqlite3 *raw;
	int pass;

	(void)re_snprintf(path, sizeof(path), "/tmp/imsbed-sets-%d.db",
			  (int)getpid());

	/* a new file, then one whose tables lack the columns */
	for (pass = 0; pass < 2; pass++) {
		(void)unlink(path);
		if (pass) {
			CU_ASSERT_EQUAL_FATAL(sqlite3_open(path, &raw),
					      SQLITE_OK);
			CU_ASSERT_EQUAL(sqlite3_exec(raw, old_tables, NULL,
						     NULL, NULL), SQLITE_OK);
			(void)sqlite3_close(raw);
		}

		CU_ASSERT_EQUAL_FATAL(hssfx_from(&hss, "hss", path,
						 sets_topo, err, sizeof(err)),
				      0);
		mem_deref(hss);

		rows(got, sizeof(got), path);
		ASSERT_STR(got, want);
	}

	CU_ASSERT_EQUAL(unlink(path), 0);
}


int test_ifc_sets_suite(void)
{
	static const CU_TestInfo tv[] = {
		{"shared sets in a profile", test_shared},
		{"loader errors", test_errors},
		{"rows, new and migrated", test_rows},
		CU_TEST_INFO_NULL
	};

	return test_suite_add("ifc_sets", NULL, NULL, tv);
}
