/* SPDX-License-Identifier: BSD-3-Clause */
/* book http: the GM module's address book API over loopback: create,
 * replace, delete and sync by version, owner only, every error status,
 * the body checks, and a write that fails half way leaving nothing. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sqlite3.h>
#include <re.h>
#include "yml.h"
#include "host.h"
#include "sipkit.h"
#include "report.h"
#include "scen.h"
#include "as.h"
#include "tests.h"

#define BOOK_A "/gm/v1/users/sip:alice@ims.test/addressbook"
#define BOOK_B "/gm/v1/users/sip:bob@ims.test/addressbook"
#define BOOK_C "/gm/v1/users/sip:carol@ims.test/addressbook"
#define BOOK_D "/gm/v1/users/sip:dave@ims.test/addressbook"

enum {
	PORT_GM  = 18181,
	BODY_MAX = HTTP_BODY_MAX,
	BIG      = 16384,       /* the largest body the module takes */
};

static const char appdata[] =
	"appdata:\n"
	"  key: \"8f3a5e0c9b2d4f6071a8c3e5d7f90b1c"
	"2e4d6f8091a3b5c7d9e0f1a2b3c4d5e6\"\n"
	"  users:\n"
	"    - impu: sip:alice@ims.test\n"
	"      name: Alice\n"
	"      phone: \"+16328300001\"\n"
	"      contacts:\n"
	"        - {name: Bob, number: \"+16328300002\", "
	"uri: \"sip:bob@ims.test\",\n"
	"           groups: [friends]}\n"
	"    - impu: sip:bob@ims.test\n"
	"      name: Bob\n"
	"      contacts: [{name: Alice, uri: \"sip:alice@ims.test\"}]\n"
	"      presence: {status: busy}\n"
	"    - {impu: sip:carol@ims.test, name: Carol}\n"
	"    - {impu: sip:dave@ims.test, name: Dave}\n";

static const char bob_entry[] =
	"{\"id\":1,\"name\":\"Bob\",\"number\":\"+16328300002\","
	"\"uri\":\"sip:bob@ims.test\",\"groups\":[\"friends\"]}";

struct fixture {
	char path[64];
	struct http_bed bed;
	struct asmod *gm;
	struct sa addr;
	struct http_answer ans;         /* the last answer */
};

static struct fixture fx;


/* One request from ue9 to the GM module; the answer is in fx */
static void req(const char *method, const char *path, const char *auth,
		const char *body)
{
	struct httpc *h = NULL;

	http_answer_reset(&fx.ans);

	CU_ASSERT_EQUAL_FATAL(httpc_request(&h, fx.bed.ue, &fx.addr, "as9",
					    method, path, auth,
					    "application/json", body,
					    http_answer_h, &fx.ans), 0);
	test_run_for(3000);
	CU_ASSERT_EQUAL(fx.ans.err, 0);
	CU_ASSERT_PTR_NULL(h);
	mem_deref(h);
}


/* The status and body of the answer to a request */
static void expect(const char *method, const char *path, const char *auth,
		   const char *body, uint16_t scode, const char *answer)
{
	req(method, path, auth, body);
	CU_ASSERT_EQUAL(fx.ans.scode, scode);
	if (answer)
		ASSERT_STR(fx.ans.body, answer);
	if (fx.ans.scode != scode || (answer && strcmp(fx.ans.body, answer)))
		re_fprintf(stderr, "\n%s %s %s\n  -> %u %s\n", method, path,
			   test_nn(body), fx.ans.scode, fx.ans.body);
}


/* POSTs body to book as auth and gives the new entry's id */
static int add(const char *book, const char *auth, const char *body)
{
	int id = -1, ver = -1;

	req("POST", book, auth, body);
	CU_ASSERT_EQUAL(fx.ans.scode, 201);
	CU_ASSERT_EQUAL(sscanf(fx.ans.body, "{\"id\":%d,\"version\":%d}", &id,
			       &ver), 2);

	return id;
}


static const struct http_token tokens[] = {
	{"tokA", "sip:alice@ims.test"},
	{"tokB", "sip:bob@ims.test"},
	{"tokC", "sip:carol@ims.test"},
	{"tokD", "sip:dave@ims.test"},
	{"tokN", "sip:nobody@ims.test"},
	{NULL, NULL},
};


static int setup(void)
{
	int fd, e;

	memset(&fx, 0, sizeof(fx));

	/* a file, so that a second connection can break a write */
	str_ncpy(fx.path, "/tmp/imsbed-bookhttp-XXXXXX", sizeof(fx.path));
	fd = mkstemp(fx.path);
	if (fd < 0)
		return errno;
	(void)close(fd);

	e = http_bed_open(&fx.bed, "127.0.9", 9, fx.path, appdata);
	e = e ? e : sa_set_str(&fx.addr, "127.0.9.1", PORT_GM);
	e = e ? e : asmod_alloc(&fx.gm, ASMOD_GM, fx.bed.as, &fx.addr,
				fx.bed.db, http_token_impu, (void *)tokens);
	if (e)
		re_fprintf(stderr, "book http setup: %m\n", e);

	return e;
}


static int teardown(void)
{
	char journal[80];

	fx.gm = mem_deref(fx.gm);
	http_bed_close(&fx.bed);

	(void)re_snprintf(journal, sizeof(journal), "%s-journal", fx.path);
	(void)unlink(journal);
	(void)unlink(fx.path);

	return 0;
}


static void test_crud(void)
{
	char want[BODY_MAX];

	/* 201, the new id and version, and where the entry lives */
	expect("POST", BOOK_A, "Bearer tokA", "{\"name\":\"Frank\","
	       "\"number\":\"+16328300006\",\"groups\":[\"friends\"]}", 201,
	       "{\"id\":3,\"version\":2}");
	ASSERT_STR(fx.ans.location, BOOK_A "/3");

	expect("GET", BOOK_A, "Bearer tokA", NULL, 200,
	       "{\"impu\":\"sip:alice@ims.test\",\"version\":2,\"entries\":["
	       "{\"id\":1,\"name\":\"Bob\",\"number\":\"+16328300002\","
	       "\"uri\":\"sip:bob@ims.test\",\"groups\":[\"friends\"]},"
	       "{\"id\":3,\"name\":\"Frank\",\"number\":\"+16328300006\","
	       "\"uri\":null,\"groups\":[\"friends\"]}]}");
	ASSERT_STR(fx.ans.location, "");

	/* PUT replaces all of it, its groups too */
	expect("PUT", BOOK_A "/3", "Bearer tokA", "{\"name\":\"Frank F\","
	       "\"uri\":\"sip:frank@ims.test\","
	       "\"groups\":[\"favourites\",\"friends\"]}", 200,
	       "{\"id\":3,\"version\":3}");
	expect("GET", "/gm/v1/users/sip:alice@ims.test/profile",
	       "Bearer tokA", NULL, 200,
	       "{\"impu\":\"sip:alice@ims.test\",\"name\":\"Alice\","
	       "\"groups\":{\"favourites\":[{\"name\":\"Frank F\","
	       "\"uri\":\"sip:frank@ims.test\",\"number\":null}],"
	       "\"friends\":[{\"name\":\"Bob\",\"uri\":\"sip:bob@ims.test\","
	       "\"number\":\"+16328300002\"},{\"name\":\"Frank F\","
	       "\"uri\":\"sip:frank@ims.test\",\"number\":null}],"
	       "\"blacklist\":[]}}");

	expect("DELETE", BOOK_A "/3", "Bearer tokA", NULL, 200,
	       "{\"id\":3,\"version\":4}");

	/* gone, never there, or another owner's: all 404 alike */
	expect("DELETE", BOOK_A "/3", "Bearer tokA", NULL, 404,
	       "{\"error\":\"no such entry\"}");
	expect("PUT", BOOK_A "/3", "Bearer tokA", "{\"name\":\"x\","
	       "\"number\":\"+123\"}", 404, "{\"error\":\"no such entry\"}");
	expect("PUT", BOOK_A "/2", "Bearer tokA", "{\"name\":\"x\","
	       "\"number\":\"+123\"}", 404, "{\"error\":\"no such entry\"}");
	expect("DELETE", BOOK_A "/2", "Bearer tokA", NULL, 404,
	       "{\"error\":\"no such entry\"}");
	expect("DELETE", BOOK_A "/0", "Bearer tokA", NULL, 404, NULL);
	expect("DELETE", BOOK_A "/999999999999999999", "Bearer tokA", NULL,
	       404, NULL);
	expect("POST", "/gm/v1/users/sip:nobody@ims.test/addressbook",
	       "Bearer tokN", "{\"name\":\"x\",\"number\":\"+123\"}", 404,
	       "{\"error\":\"no such user\"}");

	(void)re_snprintf(want, sizeof(want), "{\"impu\":"
			  "\"sip:alice@ims.test\",\"version\":4,"
			  "\"entries\":[%s]}", bob_entry);
	expect("GET", BOOK_A, "Bearer tokA", NULL, 200, want);

	/* Bob's book saw none of it */
	expect("GET", BOOK_B, "Bearer tokB", NULL, 200,
	       "{\"impu\":\"sip:bob@ims.test\",\"version\":1,\"entries\":["
	       "{\"id\":2,\"name\":\"Alice\",\"number\":null,"
	       "\"uri\":\"sip:alice@ims.test\",\"groups\":[]}]}");

	/* {impu} percent-encoded, IMPU in another case: the same book */
	expect("POST", "/gm/v1/users/SIP%3Aalice%40ims.test/addressbook",
	       "Bearer tokA", "{\"name\":\"G\",\"number\":\"+16328300007\"}",
	       201, "{\"id\":4,\"version\":5}");
	ASSERT_STR(fx.ans.location,
		   "/gm/v1/users/SIP%3Aalice%40ims.test/addressbook/4");
	expect("DELETE", BOOK_A "/4", "Bearer tokA", NULL, 200,
	       "{\"id\":4,\"version\":6}");
}


/* Nobody but the owner writes or syncs a book; nothing changes */
static void test_owner(void)
{
	static const struct {
		const char *method;
		const char *path;
		const char *auth;
		uint16_t scode;
	} casev[] = {
		{"POST",   BOOK_A,          NULL,          401},
		{"POST",   BOOK_A,          "Bearer nope", 401},
		{"PUT",    BOOK_A "/1",     NULL,          401},
		{"DELETE", BOOK_A "/1",     NULL,          401},
		{"GET",    BOOK_A "?since=0", NULL,        401},
		{"POST",   BOOK_A,          "Bearer tokB", 403},
		{"PUT",    BOOK_A "/1",     "Bearer tokB", 403},
		{"DELETE", BOOK_A "/1",     "Bearer tokB", 403},
		{"DELETE", BOOK_A "/2",     "Bearer tokB", 403},
		{"GET",    BOOK_A "?since=0", "Bearer tokB", 403},
		{"GET",    BOOK_A,          "Bearer tokB", 403},
	};
	char before[BODY_MAX];
	size_t i;

	req("GET", BOOK_A, "Bearer tokA", NULL);
	str_ncpy(before, fx.ans.body, sizeof(before));

	for (i = 0; i < sizeof(casev) / sizeof(casev[0]); i++) {
		expect(casev[i].method, casev[i].path, casev[i].auth,
		       "{\"name\":\"x\",\"number\":\"+123\"}", casev[i].scode,
		       casev[i].scode == 401 ? "{\"error\":\"unauthorized\"}" :
		       "{\"error\":\"forbidden\"}");
		ASSERT_STR(fx.ans.www, casev[i].scode == 401 ?
			   "Bearer realm=\"ims.test\"" : "");
	}

	expect("GET", BOOK_A, "Bearer tokA", NULL, 200, before);
}


static void test_methods(void)
{
	static const struct {
		const char *method;
		const char *path;
		const char *allow;      /* NULL: 404 */
	} casev[] = {
		{"GET",    BOOK_A "/1", "PUT, DELETE"},
		{"POST",   BOOK_A "/1", "PUT, DELETE"},
		{"PATCH",  BOOK_A "/1", "PUT, DELETE"},
		{"DELETE", BOOK_A,      "GET, POST"},
		{"PUT",    BOOK_A,      "GET, POST"},
		{"POST",   "/gm/v1/users/sip:alice@ims.test/profile", "GET"},
		{"POST",   "/gm/v1/directory", "GET"},
		{"PUT",    BOOK_A "/x1", NULL},
		{"PUT",    BOOK_A "/-1", NULL},
		{"PUT",    BOOK_A "/", NULL},
		{"PUT",    BOOK_A "/1234567890123456789", NULL},
		{"PUT",    "/gm/v1/users/addressbook/1", NULL},
	};
	size_t i;

	for (i = 0; i < sizeof(casev) / sizeof(casev[0]); i++) {
		expect(casev[i].method, casev[i].path, "Bearer tokA",
		       "{\"name\":\"x\",\"number\":\"+123\"}",
		       casev[i].allow ? 405 : 404, casev[i].allow ?
		       "{\"error\":\"method not allowed\"}" :
		       "{\"error\":\"no such resource\"}");
		ASSERT_STR(fx.ans.allow, casev[i].allow ? casev[i].allow : "");
	}
}


/* A client that sends the version it has gets only what changed */
static void test_sync(void)
{
	char want[BODY_MAX], path[128], a_json[256];
	int a, b;

	expect("GET", BOOK_C "?since=0", "Bearer tokC", NULL, 200,
	       "{\"impu\":\"sip:carol@ims.test\",\"version\":1,"
	       "\"entries\":[]}");

	a = add(BOOK_C, "Bearer tokC", "{\"name\":\"A\","
		"\"number\":\"+16328300011\"}");
	b = add(BOOK_C, "Bearer tokC", "{\"name\":\"B\","
		"\"uri\":\"sip:b@ims.test\",\"groups\":[\"blacklist\"]}");
	CU_ASSERT_EQUAL(b, a + 1);

	(void)re_snprintf(path, sizeof(path), "%s/%d", BOOK_C, a);
	expect("PUT", path, "Bearer tokC", "{\"name\":\"A2\","
	       "\"number\":\"+16328300012\",\"groups\":[\"favourites\"]}",
	       200, NULL);
	(void)re_snprintf(want, sizeof(want), "{\"id\":%d,\"version\":4}",
			  a);
	ASSERT_STR(fx.ans.body, want);

	(void)re_snprintf(path, sizeof(path), "%s/%d", BOOK_C, b);
	expect("DELETE", path, "Bearer tokC", NULL, 200, NULL);
	(void)re_snprintf(want, sizeof(want), "{\"id\":%d,\"version\":5}",
			  b);
	ASSERT_STR(fx.ans.body, want);

	(void)re_snprintf(a_json, sizeof(a_json), "{\"id\":%d,"
			  "\"name\":\"A2\",\"number\":\"+16328300012\","
			  "\"uri\":null,\"groups\":[\"favourites\"]}", a);

	/* since 0 and since 3: A as it is now, B's tombstone */
	(void)re_snprintf(want, sizeof(want), "{\"impu\":"
			  "\"sip:carol@ims.test\","
			  "\"version\":5,\"entries\":[%s,"
			  "{\"id\":%d,\"deleted\":true}]}", a_json, b);
	expect("GET", BOOK_C "?since=0", "Bearer tokC", NULL, 200, want);
	expect("GET", BOOK_C "?since=3", "Bearer tokC", NULL, 200, want);

	(void)re_snprintf(want, sizeof(want), "{\"impu\":"
			  "\"sip:carol@ims.test\","
			  "\"version\":5,\"entries\":["
			  "{\"id\":%d,\"deleted\":true}]}", b);
	expect("GET", BOOK_C "?since=4", "Bearer tokC", NULL, 200, want);
	expect("GET", BOOK_C "?x=1&since=4&y", "Bearer tokC", NULL, 200,
	       want);

	expect("GET", BOOK_C "?since=5", "Bearer tokC", NULL, 200,
	       "{\"impu\":\"sip:carol@ims.test\",\"version\":5,"
	       "\"entries\":[]}");

	/* without since: the live entries, and the version to sync from */
	(void)re_snprintf(want, sizeof(want), "{\"impu\":"
			  "\"sip:carol@ims.test\","
			  "\"version\":5,\"entries\":[%s]}", a_json);
	expect("GET", BOOK_C, "Bearer tokC", NULL, 200, want);

	expect("GET", BOOK_C "?since=6", "Bearer tokC", NULL, 400,
	       "{\"error\":\"since: ahead of the book's version\"}");
	expect("GET", BOOK_C "?since=-1", "Bearer tokC", NULL, 400,
	       "{\"error\":\"since must be a version number\"}");
	expect("GET", BOOK_C "?since=", "Bearer tokC", NULL, 400, NULL);
	expect("GET", BOOK_C "?since=4x", "Bearer tokC", NULL, 400, NULL);
	expect("GET", "/gm/v1/users/sip:nobody@ims.test/addressbook?since=0",
	       "Bearer tokN", NULL, 404, "{\"error\":\"no such user\"}");
}


static const struct {
	const char *body;
	const char *error;
} bad_bodies[] = {
	{"", "malformed JSON at byte 0"},
	{"not json", "malformed JSON at byte 0"},
	{"[1]", "malformed JSON at byte 0"},
	{"\"name\"", "malformed JSON at byte 0"},
	{"{\"name\":\"x\"", "malformed JSON at byte 11"},
	{"{\"name\":\"x\",}", "malformed JSON at byte 12"},
	{"{\"name\":\"x\"} {}", "malformed JSON at byte 13"},
	{"{\"name\":tru}", "malformed JSON at byte 8"},
	{"{\"name\":\"x\" \"y\"}", "malformed JSON at byte 12"},
	{"{name:\"x\"}", "malformed JSON at byte 1"},
	{"{\"name\":01}", "malformed JSON at byte 9"},
	{"{\"name\":\"a\\x\"}", "malformed JSON at byte 10"},
	{"{\"name\":\"a\\u0000\"}", "malformed JSON at byte 10"},
	{"{\"name\":\"a\\ud800\"}", "malformed JSON at byte 10"},
	{"{\"name\":\"a\tb\"}", "malformed JSON at byte 10"},
	{"{\"name\":\"a\xff\"}", "malformed JSON at byte 10"},
	{"{\"name\":\"a\xc0\xae\"}", "malformed JSON at byte 10"},
	{"{\"a\":[[[[1]]]]}", "malformed JSON at byte 8"},
	{"{\"nick\":\"a\",\"number\":\"+123\"}", "unknown key 'nick'"},
	{"{\"name\":\"a\",\"name\":\"b\",\"number\":\"+123\"}",
	 "duplicate key 'name'"},
	{"{\"number\":\"+123\"}", "missing 'name'"},
	{"{\"name\":7,\"number\":\"+123\"}", "name must be a string"},
	{"{\"name\":null,\"number\":\"+123\"}", "name must be a string"},
	{"{\"name\":\"\",\"number\":\"+123\"}", "name must not be empty"},
	{"{\"name\":\"a\",\"number\":\"0800\"}",
	 "number: '0800' is not an E.164 number (+ and 2 to 15 digits)"},
	{"{\"name\":\"a\",\"number\":\"+1\"}",
	 "number: '+1' is not an E.164 number (+ and 2 to 15 digits)"},
	{"{\"name\":\"a\",\"number\":123}", "number must be a string"},
	{"{\"name\":\"a\",\"number\":\"x\\\"y\"}",
	 "number: 'x\\\"y' is not an E.164 number (+ and 2 to 15 digits)"},
	{"{\"name\":\"a\",\"uri\":\"http://x\"}",
	 "uri: 'http:\\/\\/x' is not a sip: or tel: URI"},
	{"{\"name\":\"a\",\"uri\":[]}", "uri must be a string"},
	{"{\"name\":\"a\"}", "needs a number or a uri"},
	{"{\"name\":\"a\",\"number\":null,\"uri\":null}",
	 "needs a number or a uri"},
	{"{\"name\":\"a\",\"uri\":\"sip:a@b\",\"groups\":\"friends\"}",
	 "groups must be a list"},
	{"{\"name\":\"a\",\"uri\":\"sip:a@b\",\"groups\":{}}",
	 "groups must be a list"},
	{"{\"name\":\"a\",\"uri\":\"sip:a@b\","
	 "\"groups\":[\"friends\",\"family\"]}",
	 "groups[1]: unknown group 'family' (favourites, friends or "
	 "blacklist)"},
	{"{\"name\":\"a\",\"uri\":\"sip:a@b\","
	 "\"groups\":[\"friends\",\"friends\"]}",
	 "groups[1]: duplicate group 'friends'"},
	{"{\"name\":\"a\",\"uri\":\"sip:a@b\",\"groups\":[1]}",
	 "groups[0] must be a string"},
};


/* Each body refused with 400 naming what is wrong; the book unchanged */
static void test_bad_bodies(void)
{
	char want[256], *big;
	size_t i, n;

	for (i = 0; i < sizeof(bad_bodies) / sizeof(bad_bodies[0]); i++) {
		(void)re_snprintf(want, sizeof(want), "{\"error\":\"%s\"}",
				  bad_bodies[i].error);
		expect("POST", BOOK_D, "Bearer tokD", bad_bodies[i].body,
		       400, want);
	}

	/* a PUT is checked before its entry is looked for */
	expect("PUT", BOOK_D "/1", "Bearer tokD", "{\"name\":\"a\"}", 400,
	       "{\"error\":\"needs a number or a uri\"}");

	big = mem_alloc(BIG + 2, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(big);

	/* one byte over: 413, whatever it holds */
	memset(big, ' ', BIG + 1);
	big[BIG + 1] = '\0';
	expect("POST", BOOK_D, "Bearer tokD", big, 413,
	       "{\"error\":\"body too large (16384 bytes at most)\"}");

	expect("GET", BOOK_D, "Bearer tokD", NULL, 200,
	       "{\"impu\":\"sip:dave@ims.test\",\"version\":1,"
	       "\"entries\":[]}");

	/* exactly the limit is taken */
	n = (size_t)re_snprintf(big, BIG + 1, "{\"name\":\"Dora\","
				"\"number\":\"+16328300044\"}");
	memset(big + n, ' ', BIG - n);
	big[BIG] = '\0';
	req("POST", BOOK_D, "Bearer tokD", big);
	CU_ASSERT_EQUAL(fx.ans.scode, 201);
	mem_deref(big);
}


/* The book's version is written last: a failure there must take the
 * row written before it along */
static void test_rollback(void)
{
	char before[BODY_MAX];
	sqlite3 *raw = NULL;
	int i;

	CU_ASSERT_EQUAL_FATAL(sqlite3_open(fx.path, &raw), SQLITE_OK);
	CU_ASSERT_EQUAL(sqlite3_exec(raw, "CREATE TRIGGER fail BEFORE "
				     "UPDATE OF book_version ON users BEGIN "
				     "SELECT RAISE(ABORT, 'injected'); END",
				     NULL, NULL, NULL), SQLITE_OK);

	req("GET", BOOK_B, "Bearer tokB", NULL);
	str_ncpy(before, fx.ans.body, sizeof(before));

	for (i = 0; i < 2; i++) {
		expect("POST", BOOK_B, "Bearer tokB", "{\"name\":\"N\","
		       "\"number\":\"+16328300055\"}", 500,
		       "{\"error\":\"internal error\"}");
		expect("PUT", BOOK_B "/2", "Bearer tokB", "{\"name\":\"N\","
		       "\"number\":\"+16328300055\"}", 500, NULL);
		expect("DELETE", BOOK_B "/2", "Bearer tokB", NULL, 500, NULL);
	}

	expect("GET", BOOK_B, "Bearer tokB", NULL, 200, before);
	expect("GET", BOOK_B "?since=1", "Bearer tokB", NULL, 200,
	       "{\"impu\":\"sip:bob@ims.test\",\"version\":1,"
	       "\"entries\":[]}");

	CU_ASSERT_EQUAL(sqlite3_exec(raw, "DROP TRIGGER fail", NULL, NULL,
				     NULL), SQLITE_OK);
	(void)sqlite3_close(raw);

	/* the next good write is the next version, as if none had failed */
	expect("PUT", BOOK_B "/2", "Bearer tokB", "{\"name\":\"N\","
	       "\"number\":\"+16328300055\"}", 200,
	       "{\"id\":2,\"version\":2}");
}


/* What a write does, appdb_blacklisted sees at once */
static void test_blacklist(void)
{
	char path[128];
	int id;

	id = add(BOOK_A, "Bearer tokA", "{\"name\":\"Pest\","
		 "\"number\":\"+16328309999\",\"groups\":[\"blacklist\"]}");
	CU_ASSERT(appdb_blacklisted(fx.bed.db, "+16328300001", NULL,
				    "+16328309999"));
	CU_ASSERT(!appdb_blacklisted(fx.bed.db, "+16328300001", NULL,
				     "+16328300002"));

	(void)re_snprintf(path, sizeof(path), "%s/%d", BOOK_A, id);
	expect("PUT", path, "Bearer tokA", "{\"name\":\"Pest\","
	       "\"number\":\"+16328309999\",\"groups\":[\"friends\"]}", 200,
	       NULL);
	CU_ASSERT(!appdb_blacklisted(fx.bed.db, "+16328300001", NULL,
				     "+16328309999"));

	expect("PUT", path, "Bearer tokA", "{\"name\":\"Pest\","
	       "\"uri\":\"sip:pest@ims.test\",\"groups\":[\"blacklist\"]}",
	       200, NULL);
	CU_ASSERT(appdb_blacklisted(fx.bed.db, "+16328300001",
				    "SIP:PEST@ims.test", NULL));
	CU_ASSERT(!appdb_blacklisted(fx.bed.db, "+16328300001", NULL,
				     "+16328309999"));

	expect("DELETE", path, "Bearer tokA", NULL, 200, NULL);
	CU_ASSERT(!appdb_blacklisted(fx.bed.db, "+16328300001",
				     "sip:pest@ims.test", NULL));
}


static const CU_TestInfo tests[] = {
	{"create, replace, delete", test_crud},
	{"owner only", test_owner},
	{"methods and paths", test_methods},
	{"sync by version", test_sync},
	{"bad bodies", test_bad_bodies},
	{"failed write rolls back", test_rollback},
	{"blacklist follows writes", test_blacklist},
	CU_TEST_INFO_NULL,
};


int test_book_http_suite(void)
{
	return test_suite_add("book http", setup, teardown, tests);
}
