/* SPDX-License-Identifier: BSD-3-Clause */
/* appdb: the 'appdata' loader (documents, errors with line:column, all or
 * nothing) and the exact JSON each module serves from it. */

#include <string.h>
#include <re.h>
#include "yml.h"
#include "as.h"
#include "tests.h"

/* user1 has every kind of entry; user2 a presence; user3 nothing more.
 * Strings carry what JSON must escape: quotes, '\', '/', a newline. */
static const char appdata[] =
	"appdata:\n"
	"  db: \":memory:\"\n"
	"  directory:\n"
	"    - {name: Mary, department: Cardiology,\n"
	"       numbers: [\"+16328300101\", \"+16328300102\"]}\n"
	"    - {name: Mary, department: R&D/Labs}\n"
	"    - {name: \"Dr. \\\"Who\\\" \\\\ Zo\\u00eb\", numbers: []}\n"
	"  users:\n"
	"    - impu: sip:user1@ims.test\n"
	"      name: User One\n"
	"      contacts:\n"
	"        - {name: Bob, number: \"+16328300002\",\n"
	"           uri: \"sip:user2@ims.test\", groups: [friends, "
	"favourites]}\n"
	"        - {name: Carol, uri: \"sip:User3@ims.test\", "
	"groups: [friends]}\n"
	"        - {name: Dave, number: \"+16328300004\", "
	"groups: [friends]}\n"
	"        - {name: Eve, uri: \"tel:+16328300005\", "
	"groups: [blacklist]}\n"
	"        - {name: Zed, uri: \"sip:nobody@ims.test\", "
	"groups: [friends]}\n"
	"        - {name: Bob, number: \"+16328300002\"}\n"
	"      presence: {status: online, note: \"at the desk\"}\n"
	"      messages:\n"
	"        - {from: \"sip:user2@ims.test\", "
	"time: \"2026-11-25T09:00:00Z\", text: hello}\n"
	"        - {from: \"tel:+16328300002\", "
	"time: \"2026-11-25T09:01:00.5+01:00\",\n"
	"           text: \"two\\nlines \\\"q\\\"\"}\n"
	"    - impu: sip:user2@ims.test\n"
	"      name: User Two\n"
	"      presence: {status: busy}\n"
	"    - {impu: \"tel:+16328300003\", name: User Three,\n"
	"       presence: {status: away, note: \"\"}}\n"
	"    - {impu: sip:user3@ims.test, name: User Three,\n"
	"       presence: {status: offline, note: gone}}\n";


/* Loads text's 'appdata' into a new in-memory database */
static int db_from(struct appdb **dbp, const char *text, char *err,
		   size_t sz)
{
	struct appdb *db = NULL;
	struct yml *y = NULL;
	int e;

	*dbp = NULL;

	e = appdb_alloc(&db, NULL, err, sz);
	if (e)
		return e;

	e = yml_load_str(&y, "t.yaml", text, err, sz);
	if (!e)
		e = appdb_load(db, y, yml_get(y, yml_root(y), "appdata"), err,
			       sz);

	mem_deref(y);
	if (e)
		mem_deref(db);
	else
		*dbp = db;

	return e;
}


typedef int (doc_h)(struct appdb *db, const char *impu, char **jsonp);


static int directory(struct appdb *db, const char *impu, char **jsonp)
{
	(void)impu;

	return appdb_directory(db, jsonp);
}


/* Each document of appdata as the modules serve it, byte for byte */
static const struct {
	doc_h *doc;
	const char *impu;
	const char *json;
} docs[] = {
	{appdb_profile, "sip:user1@ims.test",
	 "{\"impu\":\"sip:user1@ims.test\","
	 "\"name\":\"User One\",\"groups\":{"
	 "\"favourites\":[{\"name\":\"Bob\","
	 "\"uri\":\"sip:user2@ims.test\","
	 "\"number\":\"+16328300002\"}],"
	 "\"friends\":[{\"name\":\"Bob\","
	 "\"uri\":\"sip:user2@ims.test\","
	 "\"number\":\"+16328300002\"},"
	 "{\"name\":\"Carol\",\"uri\":\"sip:User3@ims.test\","
	 "\"number\":null},"
	 "{\"name\":\"Dave\",\"uri\":null,"
	 "\"number\":\"+16328300004\"},"
	 "{\"name\":\"Zed\",\"uri\":\"sip:nobody@ims.test\","
	 "\"number\":null}],"
	 "\"blacklist\":[{\"name\":\"Eve\","
	 "\"uri\":\"tel:+16328300005\",\"number\":null}]}}"},
	/* IMPUs compare without case; the document shows the stored one */
	{appdb_profile, "SIP:USER2@IMS.TEST",
	 "{\"impu\":\"sip:user2@ims.test\","
	 "\"name\":\"User Two\",\"groups\":{\"favourites\":[],"
	 "\"friends\":[],\"blacklist\":[]}}"},
	/* a loaded book is version 1; ids in the order of the topology */
	{appdb_addressbook, "sip:user1@ims.test",
	 "{\"impu\":\"sip:user1@ims.test\",\"version\":1,"
	 "\"entries\":["
	 "{\"id\":1,\"name\":\"Bob\",\"number\":\"+16328300002\","
	 "\"uri\":\"sip:user2@ims.test\","
	 "\"groups\":[\"friends\",\"favourites\"]},"
	 "{\"id\":2,\"name\":\"Carol\",\"number\":null,"
	 "\"uri\":\"sip:User3@ims.test\",\"groups\":[\"friends\"]},"
	 "{\"id\":3,\"name\":\"Dave\",\"number\":\"+16328300004\","
	 "\"uri\":null,\"groups\":[\"friends\"]},"
	 "{\"id\":4,\"name\":\"Eve\",\"number\":null,"
	 "\"uri\":\"tel:+16328300005\",\"groups\":[\"blacklist\"]},"
	 "{\"id\":5,\"name\":\"Zed\",\"number\":null,"
	 "\"uri\":\"sip:nobody@ims.test\",\"groups\":[\"friends\"]},"
	 "{\"id\":6,\"name\":\"Bob\",\"number\":\"+16328300002\","
	 "\"uri\":null,\"groups\":[]}]}"},
	{appdb_addressbook, "sip:user3@ims.test",
	 "{\"impu\":\"sip:user3@ims.test\",\"version\":1,"
	 "\"entries\":[]}"},
	/* libre's JSON escape writes '/' as '\/', which JSON allows */
	{directory, NULL,
	 "{\"entries\":["
	 "{\"name\":\"Mary\",\"department\":\"Cardiology\","
	 "\"numbers\":[\"+16328300101\",\"+16328300102\"]},"
	 "{\"name\":\"Mary\",\"department\":\"R&D\\/Labs\","
	 "\"numbers\":[]},"
	 "{\"name\":\"Dr. \\\"Who\\\" \\\\ Zo\xc3\xab\","
	 "\"department\":null,\"numbers\":[]}]}"},
	/* friends with a URI: user2 is busy, User3 is user3 whatever the
	 * case, nobody has no entry at all */
	{appdb_presence, "sip:user1@ims.test",
	 "{\"impu\":\"sip:user1@ims.test\",\"friends\":["
	 "{\"uri\":\"sip:user2@ims.test\",\"name\":\"Bob\","
	 "\"status\":\"busy\",\"note\":null},"
	 "{\"uri\":\"sip:User3@ims.test\",\"name\":\"Carol\","
	 "\"status\":\"offline\",\"note\":\"gone\"},"
	 "{\"uri\":\"sip:nobody@ims.test\",\"name\":\"Zed\","
	 "\"status\":\"unknown\",\"note\":null}]}"},
	{appdb_presence, "tel:+16328300003",
	 "{\"impu\":\"tel:+16328300003\",\"friends\":[]}"},
	{appdb_messages, "sip:user1@ims.test",
	 "{\"impu\":\"sip:user1@ims.test\",\"messages\":["
	 "{\"from\":\"sip:user2@ims.test\","
	 "\"time\":\"2026-11-25T09:00:00Z\",\"text\":\"hello\"},"
	 "{\"from\":\"tel:+16328300002\","
	 "\"time\":\"2026-11-25T09:01:00.5+01:00\","
	 "\"text\":\"two\\nlines \\\"q\\\"\"}]}"},
	{appdb_messages, "sip:user2@ims.test",
	 "{\"impu\":\"sip:user2@ims.test\",\"messages\":[]}"},
};


static void test_documents(void)
{
	struct appdb *db;
	char err[256] = "";
	char *json = NULL;
	size_t i;

	CU_ASSERT_EQUAL_FATAL(db_from(&db, appdata, err, sizeof(err)), 0);
	ASSERT_STR(err, "");

	for (i = 0; i < ARRAY_SIZE(docs); i++) {
		CU_ASSERT_EQUAL(docs[i].doc(db, docs[i].impu, &json), 0);
		ASSERT_STR(json, docs[i].json);
		if (!json || strcmp(json, docs[i].json))
			re_fprintf(stderr, "\ndocument %zu: %s\n", i,
				   test_nn(json));
		json = mem_deref(json);
	}

	mem_deref(db);
}


static void test_unknown_user(void)
{
	struct appdb *db;
	char err[256] = "";
	char *json = NULL;

	CU_ASSERT_EQUAL_FATAL(db_from(&db, appdata, err, sizeof(err)), 0);

	CU_ASSERT_EQUAL(appdb_profile(db, "sip:who@ims.test", &json), ENOENT);
	CU_ASSERT_EQUAL(appdb_addressbook(db, "sip:who@ims.test", &json),
			ENOENT);
	CU_ASSERT_EQUAL(appdb_presence(db, "sip:who@ims.test", &json),
			ENOENT);
	CU_ASSERT_EQUAL(appdb_messages(db, "sip:who@ims.test", &json),
			ENOENT);
	/* a contact's URI is no user entry */
	CU_ASSERT_EQUAL(appdb_profile(db, "sip:nobody@ims.test", &json),
			ENOENT);
	CU_ASSERT_PTR_NULL(json);

	CU_ASSERT_EQUAL(appdb_profile(db, NULL, &json), EINVAL);
	CU_ASSERT_EQUAL(appdb_directory(NULL, &json), EINVAL);

	mem_deref(db);
}


static void test_empty(void)
{
	struct appdb *db = NULL;
	struct yml *y = NULL;
	char err[256] = "";
	char *json = NULL;

	CU_ASSERT_EQUAL_FATAL(appdb_alloc(&db, ":memory:", err, sizeof(err)),
			      0);
	CU_ASSERT_EQUAL_FATAL(yml_load_str(&y, "t.yaml", "domain: x\n", err,
					   sizeof(err)), 0);

	/* no 'appdata': an empty database, and the directory is no user */
	CU_ASSERT_EQUAL(appdb_load(db, y, yml_get(y, yml_root(y), "appdata"),
				   err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(appdb_directory(db, &json), 0);
	ASSERT_STR(json, "{\"entries\":[]}");
	json = mem_deref(json);
	CU_ASSERT_EQUAL(appdb_profile(db, "sip:user1@ims.test", &json),
			ENOENT);

	mem_deref(y);
	mem_deref(db);

	CU_ASSERT_EQUAL(appdb_alloc(&db, "/nonexistent/dir/app.db", err,
				    sizeof(err)), EIO);
	ASSERT_STR(err, "appdata: database '/nonexistent/dir/app.db': "
		   "unable to open database file");
}


/* A failed load leaves what the last good one wrote; a good one
 * replaces it all */
static void test_rollback(void)
{
	static const char bad[] =
		"appdata:\n"
		"  directory: [{name: Ann}]\n"
		"  users:\n"
		"    - {impu: sip:new@ims.test, name: New}\n"
		"    - {impu: sip:new@ims.test, name: Again}\n";
	static const char good[] =
		"appdata:\n"
		"  users: [{impu: sip:new@ims.test, name: New}]\n";
	struct appdb *db;
	struct yml *y = NULL;
	char err[256] = "";
	char *json = NULL;

	CU_ASSERT_EQUAL_FATAL(db_from(&db, appdata, err, sizeof(err)), 0);

	CU_ASSERT_EQUAL_FATAL(yml_load_str(&y, "t.yaml", bad, err,
					   sizeof(err)), 0);
	CU_ASSERT_EQUAL(appdb_load(db, y, yml_get(y, yml_root(y), "appdata"),
				   err, sizeof(err)), EINVAL);
	ASSERT_STR(err, "t.yaml:5:14: appdata.users[1].impu: duplicate IMPU "
		   "'sip:new@ims.test', first at t.yaml:4:14");
	y = mem_deref(y);

	CU_ASSERT_EQUAL(appdb_profile(db, "sip:new@ims.test", &json), ENOENT);
	CU_ASSERT_EQUAL(appdb_messages(db, "sip:user1@ims.test", &json), 0);
	json = mem_deref(json);
	CU_ASSERT_EQUAL(appdb_directory(db, &json), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(test_nn(json), "Cardiology"));
	json = mem_deref(json);

	CU_ASSERT_EQUAL_FATAL(yml_load_str(&y, "t.yaml", good, err,
					   sizeof(err)), 0);
	CU_ASSERT_EQUAL(appdb_load(db, y, yml_get(y, yml_root(y), "appdata"),
				   err, sizeof(err)), 0);
	mem_deref(y);

	CU_ASSERT_EQUAL(appdb_profile(db, "sip:user1@ims.test", &json),
			ENOENT);
	CU_ASSERT_EQUAL(appdb_addressbook(db, "sip:new@ims.test", &json), 0);
	ASSERT_STR(json, "{\"impu\":\"sip:new@ims.test\",\"version\":1,"
		   "\"entries\":[]}");
	json = mem_deref(json);
	CU_ASSERT_EQUAL(appdb_directory(db, &json), 0);
	ASSERT_STR(json, "{\"entries\":[]}");
	json = mem_deref(json);

	mem_deref(db);
}


static const struct {
	const char *text;
	const char *err;
} bad_inputs[] = {
	{"appdata: [1]\n",
	 "t.yaml:1:10: appdata must be a mapping"},
	{"appdata:\n  dbx: x\n",
	 "t.yaml:2:3: unknown key 'dbx' in appdata"},
	{"appdata:\n  db: [a]\n",
	 "t.yaml:2:7: appdata.db must be a scalar"},
	/* the key is a secret: an error never repeats it */
	{"appdata:\n  key: 00112233\n",
	 "t.yaml:2:8: appdata.key must be 64 hex digits (a 256-bit key)"},
	{"appdata:\n  key: 00112233445566778899aabbccddeeff"
	 "00112233445566778899aabbccddeefg\n",
	 "t.yaml:2:8: appdata.key must be 64 hex digits (a 256-bit key)"},
	{"appdata:\n  key: [1]\n",
	 "t.yaml:2:8: appdata.key must be a scalar"},
	{"appdata:\n  directory: {name: a}\n",
	 "t.yaml:2:14: appdata.directory must be a list"},
	{"appdata:\n  directory: [{department: a}]\n",
	 "t.yaml:2:15: appdata.directory[0]: missing 'name'"},
	{"appdata:\n  directory: [{name: \"\"}]\n",
	 "t.yaml:2:22: appdata.directory[0].name must not be empty"},
	{"appdata:\n  directory: [{name: [a]}]\n",
	 "t.yaml:2:22: appdata.directory[0].name must be a scalar"},
	{"appdata:\n  directory: [{name: a, phone: b}]\n",
	 "t.yaml:2:25: unknown key 'phone' in appdata.directory[0]"},
	{"appdata:\n  directory: [{name: a, numbers: \"+1234\"}]\n",
	 "t.yaml:2:34: appdata.directory[0].numbers must be a list"},
	{"appdata:\n  directory:\n    - {name: a, numbers: [\"+123\", "
	 "\"1234\"]}\n",
	 "t.yaml:3:35: appdata.directory[0].numbers[1]: '1234' is not an "
	 "E.164 number (+ and 2 to 15 digits)"},
	{"appdata:\n  directory:\n    - {name: a, numbers: [\"+1\"]}\n",
	 "t.yaml:3:27: appdata.directory[0].numbers[0]: '+1' is not an "
	 "E.164 number (+ and 2 to 15 digits)"},
	{"appdata:\n  directory:\n    - {name: a, numbers: "
	 "[\"+1234567890123456\"]}\n",
	 "t.yaml:3:27: appdata.directory[0].numbers[0]: '+1234567890123456' "
	 "is not an E.164 number (+ and 2 to 15 digits)"},
	{"appdata:\n  users: {}\n",
	 "t.yaml:2:10: appdata.users must be a list"},
	{"appdata:\n  users: [x]\n",
	 "t.yaml:2:11: appdata.users[0] must be a mapping"},
	{"appdata:\n  users: [{name: a}]\n",
	 "t.yaml:2:11: appdata.users[0]: missing 'impu'"},
	{"appdata:\n  users: [{impu: mailto:a@ims.test, name: a}]\n",
	 "t.yaml:2:18: appdata.users[0].impu: 'mailto:a@ims.test' is not a "
	 "sip: or tel: URI"},
	{"appdata:\n  users: [{impu: \"sip:\", name: a}]\n",
	 "t.yaml:2:18: appdata.users[0].impu: 'sip:' is not a sip: or tel: "
	 "URI"},
	{"appdata:\n  users: [{impu: sip:a@ims.test}]\n",
	 "t.yaml:2:11: appdata.users[0]: missing 'name'"},
	{"appdata:\n  users:\n    - {impu: sip:a@ims.test, name: a}\n"
	 "    - {impu: sip:b@ims.test, name: b}\n"
	 "    - {impu: SIP:A@ims.test, name: a}\n",
	 "t.yaml:5:14: appdata.users[2].impu: duplicate IMPU "
	 "'SIP:A@ims.test', first at t.yaml:3:14"},
	{"appdata:\n  users:\n    - {impu: sip:a@ims.test, name: a, "
	 "book: []}\n",
	 "t.yaml:3:39: unknown key 'book' in appdata.users[0]"},
	{"appdata:\n  users:\n    - impu: sip:a@ims.test\n      name: a\n"
	 "      contacts: [{number: \"+123\"}]\n",
	 "t.yaml:5:18: appdata.users[0].contacts[0]: missing 'name'"},
	{"appdata:\n  users:\n    - impu: sip:a@ims.test\n      name: a\n"
	 "      contacts: [{name: b}]\n",
	 "t.yaml:5:18: appdata.users[0].contacts[0]: needs a number or a "
	 "uri"},
	{"appdata:\n  users:\n    - impu: sip:a@ims.test\n      name: a\n"
	 "      contacts: [{name: b, number: \"0800\"}]\n",
	 "t.yaml:5:36: appdata.users[0].contacts[0].number: '0800' is not an "
	 "E.164 number (+ and 2 to 15 digits)"},
	{"appdata:\n  users:\n    - impu: sip:a@ims.test\n      name: a\n"
	 "      contacts: [{name: b, uri: \"http://x\"}]\n",
	 "t.yaml:5:33: appdata.users[0].contacts[0].uri: 'http://x' is not a "
	 "sip: or tel: URI"},
	{"appdata:\n  users:\n    - impu: sip:a@ims.test\n      name: a\n"
	 "      contacts:\n        - {name: b, number: \"+123\",\n"
	 "           groups: [friends, family]}\n",
	 "t.yaml:7:30: appdata.users[0].contacts[0].groups[1]: unknown group "
	 "'family' (favourites, friends or blacklist)"},
	{"appdata:\n  users:\n    - impu: sip:a@ims.test\n      name: a\n"
	 "      contacts:\n        - {name: b, number: \"+123\",\n"
	 "           groups: [friends, friends]}\n",
	 "t.yaml:7:30: appdata.users[0].contacts[0].groups[1]: duplicate "
	 "group 'friends'"},
	{"appdata:\n  users:\n    - impu: sip:a@ims.test\n      name: a\n"
	 "      contacts: [{name: b, number: \"+123\", groups: friends}]\n",
	 "t.yaml:5:52: appdata.users[0].contacts[0].groups must be a list"},
	{"appdata:\n  users:\n    - impu: sip:a@ims.test\n      name: a\n"
	 "      presence: {status: sleeping}\n",
	 "t.yaml:5:26: appdata.users[0].presence.status: unknown status "
	 "'sleeping' (online, away, busy or offline)"},
	{"appdata:\n  users:\n    - impu: sip:a@ims.test\n      name: a\n"
	 "      presence: {note: hi}\n",
	 "t.yaml:5:17: appdata.users[0].presence: missing 'status'"},
	{"appdata:\n  users:\n    - impu: sip:a@ims.test\n      name: a\n"
	 "      presence: {status: away, mood: ok}\n",
	 "t.yaml:5:32: unknown key 'mood' in appdata.users[0].presence"},
	{"appdata:\n  users:\n    - impu: sip:a@ims.test\n      name: a\n"
	 "      presence: online\n",
	 "t.yaml:5:17: appdata.users[0].presence must be a mapping"},
	{"appdata:\n  users:\n    - impu: sip:a@ims.test\n      name: a\n"
	 "      messages:\n        - {from: bob, time: x, text: hi}\n",
	 "t.yaml:6:18: appdata.users[0].messages[0].from: 'bob' is not a "
	 "sip: or tel: URI"},
	{"appdata:\n  users:\n    - impu: sip:a@ims.test\n      name: a\n"
	 "      messages:\n        - {from: \"sip:b@x\", time: 2026-11-25,"
	 "\n           text: hi}\n",
	 "t.yaml:6:35: appdata.users[0].messages[0].time: '2026-11-25' is "
	 "not an RFC 3339 time such as 2026-11-25T09:00:00Z"},
	{"appdata:\n  users:\n    - impu: sip:a@ims.test\n      name: a\n"
	 "      messages:\n        - {from: \"sip:b@x\", "
	 "time: \"2026-11-25T09:00:00+0100\"}\n",
	 "t.yaml:6:35: appdata.users[0].messages[0].time: "
	 "'2026-11-25T09:00:00+0100' is not an RFC 3339 time such as "
	 "2026-11-25T09:00:00Z"},
	{"appdata:\n  users:\n    - impu: sip:a@ims.test\n      name: a\n"
	 "      messages:\n        - {from: \"sip:b@x\", "
	 "time: \"2026-11-25T09:00:00Z\"}\n",
	 "t.yaml:6:11: appdata.users[0].messages[0]: missing 'text'"},
	{"appdata:\n  users:\n    - impu: sip:a@ims.test\n      name: a\n"
	 "      messages: [{from: \"sip:b@x\", time: \"2026-11-25T09:00:00Z\","
	 "\n                  text: hi, to: me}]\n",
	 "t.yaml:6:29: unknown key 'to' in appdata.users[0].messages[0]"},
};


static void test_bad_input(void)
{
	size_t i;

	for (i = 0; i < sizeof(bad_inputs) / sizeof(bad_inputs[0]); i++) {
		struct appdb *db = NULL;
		char err[256] = "";
		int e;

		e = db_from(&db, bad_inputs[i].text, err, sizeof(err));
		CU_ASSERT_EQUAL(e, EINVAL);
		CU_ASSERT_PTR_NULL(db);
		if (strcmp(err, bad_inputs[i].err))
			re_fprintf(stderr, "\ncase %zu:\n  got  %s\n"
				   "  want %s\n", i, err, bad_inputs[i].err);
		ASSERT_STR(err, bad_inputs[i].err);
		mem_deref(db);
	}
}


int test_appdb_suite(void)
{
	CU_pSuite s = CU_add_suite("appdb", NULL, NULL);

	if (!s ||
	    !CU_add_test(s, "documents", test_documents) ||
	    !CU_add_test(s, "unknown user", test_unknown_user) ||
	    !CU_add_test(s, "empty", test_empty) ||
	    !CU_add_test(s, "rollback", test_rollback) ||
	    !CU_add_test(s, "bad input", test_bad_input))
		return CU_get_error();

	return 0;
}
