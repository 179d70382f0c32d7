/* SPDX-License-Identifier: BSD-3-Clause */
/* The YAML reader: typed values, and errors that name file:line:col. */

#include <string.h>
#include <re.h>
#include "yml.h"
#include "host.h"
#include "sipkit.h"
#include "report.h"
#include "scen.h"
#include "tests.h"


static void test_types(void)
{
	struct yml *y = NULL;
	char err[256] = "";
	const char *s;
	uint32_t u;
	double d;
	bool b;
	yml_node *r;

	CU_ASSERT_EQUAL_FATAL(yml_load_str(&y, "t.yaml",
					   "a: 5\nb: 0.25\nc: yes\n"
					   "d: [x, y]\ne: {f: g}\n",
					   err, sizeof(err)), 0);
	r = yml_root(y);
	CU_ASSERT_EQUAL(yml_uint(y, yml_get(y, r, "a"), "a", &u, err,
				 sizeof(err)), 0);
	CU_ASSERT_EQUAL(u, 5);
	CU_ASSERT_EQUAL(yml_double(y, yml_get(y, r, "b"), "b", &d, err,
				   sizeof(err)), 0);
	CU_ASSERT_DOUBLE_EQUAL(d, 0.25, 1e-9);
	CU_ASSERT_EQUAL(yml_bool(y, yml_get(y, r, "c"), "c", &b, err,
				 sizeof(err)), 0);
	CU_ASSERT_TRUE(b);
	CU_ASSERT_EQUAL(yml_count(yml_get(y, r, "d")), 2);
	CU_ASSERT_STRING_EQUAL(yml_str(yml_item(y, yml_get(y, r, "d"), 1)),
			       "y");
	CU_ASSERT_EQUAL(yml_scalar(y, yml_get(y, yml_get(y, r, "e"), "f"),
				   "f", &s, err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(s, "g");
	CU_ASSERT_PTR_NULL(yml_get(y, r, "zz"));

	mem_deref(y);
}


static void test_errors(void)
{
	static const struct {
		const char *text;
		const char *key;
		const char *err;
	} tv[] = {
		{"a: -3\n", "a", "t.yaml:1:4: a must be a whole number, not"
		 " '-3'"},
		{"a: [1]\n", "a", "t.yaml:1:4: a must be a scalar"},
		{"x: 1\na: maybe\n", "a", "t.yaml:2:4: a must be true or"
		 " false, not 'maybe'"},
	};
	struct yml *y = NULL;
	char err[256];
	uint32_t u;
	bool b;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(tv); i++) {
		err[0] = '\0';
		CU_ASSERT_EQUAL_FATAL(yml_load_str(&y, "t.yaml", tv[i].text,
						   err, sizeof(err)), 0);
		if (i == 2)
			(void)yml_bool(y, yml_get(y, yml_root(y), tv[i].key),
				       tv[i].key, &b, err, sizeof(err));
		else
			(void)yml_uint(y, yml_get(y, yml_root(y), tv[i].key),
				       tv[i].key, &u, err, sizeof(err));
		CU_ASSERT_STRING_EQUAL(err, tv[i].err);
		y = mem_deref(y);
	}

	CU_ASSERT_EQUAL(yml_load_str(&y, "s.yaml", "a: [1,\n", err,
				     sizeof(err)), EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "s.yaml:2:1: YAML syntax"));
	CU_ASSERT_PTR_NULL(y);

	CU_ASSERT_NOT_EQUAL(yml_load_file(&y, "/nonexistent/x.yaml", err,
					  sizeof(err)), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "/nonexistent/x.yaml: cannot"
				      " open"));
}


static void test_keys(void)
{
	static const char *const allowed[] = {"a", "b", NULL};
	struct yml *y = NULL;
	char err[256] = "";

	CU_ASSERT_EQUAL_FATAL(yml_load_str(&y, "k.yaml", "a: 1\nc: 2\n",
					   err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(yml_check_keys(y, yml_root(y), allowed, "thing",
				       err, sizeof(err)), EINVAL);
	CU_ASSERT_STRING_EQUAL(err, "k.yaml:2:1: unknown key 'c' in thing");
	mem_deref(y);
}


/* A string written as a scalar reads back as it was, in a block and
 * in a flow mapping alike, and plain only where that is safe. */
static void test_print(void)
{
	static const struct {
		const char *s;
		const char *out;
	} casev[] = {
		{"sip:as1.ims.test", "sip:as1.ims.test"},
		{"tel:+1-632-830-0100", "tel:+1-632-830-0100"},
		{"de-registration", "de-registration"},
		{"", "''"},
		{"true", "'true'"},
		{"No", "'No'"},
		{"0", "'0'"},
		{"+1", "'+1'"},
		{"-a", "'-a'"},
		{"a: b", "'a: b'"},
		{"a:", "'a:'"},
		{"x #y", "'x #y'"},
		{"[a]", "'[a]'"},
		{"a,b", "'a,b'"},
		{"{a}", "'{a}'"},
		{"it's", "'it''s'"},
		{"^sysinfo", "'^sysinfo'"},
		{" spaced ", "' spaced '"},
		{"sip:a!.*!@b", "'sip:a!.*!@b'"},
		{"a\nb\t\"c\\", "\"a\\nb\\t\\\"c\\\\\""},
		{"\x01", "\"\\x01\""},
		{"caf\xc3\xa9", "'caf\xc3\xa9'"},
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(casev); i++) {
		char *text = NULL, out[128], err[256] = "";
		struct yml *y = NULL;

		(void)re_snprintf(out, sizeof(out), "%H", yml_str_print,
				  casev[i].s);
		ASSERT_STR(out, casev[i].out);

		CU_ASSERT_EQUAL(re_sdprintf(&text, "a: %H\nb: {c: %H, d: 1}\n",
					    yml_str_print, casev[i].s,
					    yml_str_print, casev[i].s), 0);
		CU_ASSERT_EQUAL(yml_load_str(&y, "t.yaml", text, err,
					     sizeof(err)), 0);
		ASSERT_STR(yml_str(yml_get(y, yml_root(y), "a")), casev[i].s);
		ASSERT_STR(yml_str(yml_get(y, yml_get(y, yml_root(y), "b"),
					   "c")), casev[i].s);
		mem_deref(y);
		mem_deref(text);
	}
}


int test_yml_suite(void)
{
	CU_pSuite s = CU_add_suite("yml", NULL, NULL);

	if (!s)
		return 1;

	return !CU_add_test(s, "typed values", test_types) ||
		!CU_add_test(s, "scalars written", test_print) ||
		!CU_add_test(s, "errors name file:line:col", test_errors) ||
		!CU_add_test(s, "unknown keys", test_keys);
}
