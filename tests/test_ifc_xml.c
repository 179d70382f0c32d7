/* SPDX-License-Identifier: BSD-3-Clause */
/* TS 29.228's IMSSubscription XML: the writer's document element by
 * element in Annex E's order and read back, and the round trip YAML ->
 * model -> XML -> model -> YAML -> model for every part of an iFC and for
 * every profile the scenarios ship.  The parser's errors are
 * test_ifc_xml_parse.c's. */

#include <dirent.h>
#include <string.h>
#include <re.h>
#include "yml.h"
#include "hss.h"
#include "tests.h"


/* One ServiceProfile of one IMPU, written */
static int write_one(struct mbuf *mb, const struct ifc_profile *p,
		     const char *name)
{
	static const struct hss_xml_impu impu = {.uri = "sip:a@ims.test"};
	struct hss_xml_sp sp = {&impu, 1, p, name};
	struct hss_xml_sub sub = {"a@ims.test", &sp, 1};

	return hss_subscription_xml(mb, &sub);
}


static int decode(struct hss_xml_doc **dp, const struct mbuf *mb,
		  char *err, size_t sz)
{
	return hss_subscription_decode(dp, (const char *)mb->buf, mb->end,
				       "t.xml", NULL, err, sz);
}


/* The profile of the document's first ServiceProfile */
static const struct ifc_profile *first(const struct hss_xml_doc *d)
{
	const struct hss_xml_sub *s = hss_xml_doc_sub(d);

	return s && s->spc ? s->spv[0].profile : NULL;
}


/* The model as the topology's YAML, read back */
static bool yaml_again(const struct ifc_profile *want,
		       const struct ifc_profile *p)
{
	struct ifc_profile *back = NULL;
	struct yml *y = NULL;
	char *text = NULL, err[256] = "";
	bool eq = false;

	if (re_sdprintf(&text, "profiles:\n  p:%H", ifc_profile_yaml, p))
		return false;

	if (yml_load_str(&y, "t.yaml", text, err, sizeof(err)) ||
	    ifc_profile_load(&back, "p", y, yml_get(y, yml_get(y, yml_root(y),
							       "profiles"),
						  "p"), err, sizeof(err)))
		fprintf(stderr, "\nYAML again: %s\n%s\n", err, text);
	else
		eq = ifc_profile_equal(want, back);

	if (!eq)
		fprintf(stderr, "\nYAML again differs:\n%s\n", text);

	mem_deref(back);
	mem_deref(y);
	mem_deref(text);

	return eq;
}


/* YAML -> model -> XML -> model -> YAML -> model: the same profile */
static bool round_trip(const struct ifc_profile *p)
{
	struct hss_xml_doc *d = NULL;
	struct mbuf *mb = mbuf_alloc(1024);
	char err[256] = "";
	bool eq = false;

	if (!mb || write_one(mb, p, ifc_profile_name(p)))
		goto out;

	if (decode(&d, mb, err, sizeof(err))) {
		fprintf(stderr, "\nround trip: %s\n%.*s\n", err,
			(int)mb->end, (char *)mb->buf);
		goto out;
	}

	eq = ifc_profile_equal(p, first(d));
	if (!eq)
		fprintf(stderr, "\nround trip differs:\n%.*s\n",
			(int)mb->end, (char *)mb->buf);
	else
		eq = yaml_again(p, first(d));

 out:
	mem_deref(d);
	mem_deref(mb);

	return eq;
}


/* Every part of an iFC, in one profile: each SPT type, negation, SPTs
 * in several groups, CNF and DNF, priorities out of order, both default
 * handlings, ServiceInfo with what XML must escape, both profile parts,
 * RegistrationTypes, and an iFC without trigger point. */
static const char rich_yaml[] =
	"ifc:\n"
	"  - priority: 7\n"
	"    trigger:\n"
	"      cnf: true\n"
	"      spt:\n"
	"        - {group: [0, 2], method: INVITE}\n"
	"        - {group: 1, negated: true,\n"
	"           request_uri: '^sip:.*@x\\.test$'}\n"
	"        - {group: 1, header: {name: Event, content: '^a&b<c>\"d'}}\n"
	"        - {group: 2, header: {name: Subject}}\n"
	"        - {group: 3, session_case: originating_cdiv}\n"
	"        - {group: 3, sdp: {line: m, content: '^audio'}}\n"
	"        - {group: 3, sdp: {line: b}}\n"
	"    as: sip:as1.ims.test\n"
	"    default_handling: terminate\n"
	"    service_info: \"<x>&amp; 'q' \\\"z\\\"\"\n"
	"    profile_part: unregistered\n"
	"  - priority: 2\n"
	"    trigger:\n"
	"      spt:\n"
	"        - {method: REGISTER, registration_type: [initial, "
	"de-registration]}\n"
	"        - {group: 1, session_case: 2, negated: true}\n"
	"    as: sip:as2.ims.test:5070;transport=tcp\n"
	"    default_handling: continue\n"
	"    profile_part: registered\n"
	"  - priority: 0\n"
	"    as: sip:always.ims.test\n"
	"    service_info: ''\n";


/* Each part alone, so that a failure names it */
static const char *const part_yaml[] = {
	"ifc: [{priority: 0, as: sip:a, trigger: {spt: [{method: MESSAGE}]}}]",
	"ifc: [{priority: 0, as: sip:a, trigger: {spt: "
	"[{request_uri: '^tel:'}]}}]",
	"ifc: [{priority: 0, as: sip:a, trigger: {spt: "
	"[{header: {name: Event}}]}}]",
	"ifc: [{priority: 0, as: sip:a, trigger: {spt: "
	"[{header: {name: Event, content: presence}}]}}]",
	"ifc: [{priority: 0, as: sip:a, trigger: {spt: "
	"[{session_case: terminating_registered}]}}]",
	"ifc: [{priority: 0, as: sip:a, trigger: {spt: "
	"[{sdp: {line: a, content: sendonly}}]}}]",
	"ifc: [{priority: 0, as: sip:a, trigger: {spt: "
	"[{negated: true, method: BYE}]}}]",
	"ifc: [{priority: 0, as: sip:a, trigger: {cnf: true, spt: "
	"[{group: [3, 1], method: BYE}, {group: 1, session_case: 0}]}}]",
	"ifc: [{priority: 0, as: sip:a, trigger: {spt: "
	"[{method: REGISTER, registration_type: re-registration}]}}]",
	"ifc: [{priority: 2147483647, as: sip:a}, {priority: 1, as: sip:b}]",
	"ifc: [{priority: 0, as: sip:a, default_handling: terminate}]",
	"ifc: [{priority: 0, as: sip:a, service_info: '  spaced  '}]",
	"ifc: [{priority: 0, as: sip:a, profile_part: registered}]",
	"ifc: [{priority: 0, as: sip:a, profile_part: unregistered}]",
	"{}",
};


static void test_round_trip(void)
{
	struct ifc_profile *p = NULL;
	size_t i;

	CU_ASSERT_EQUAL_FATAL(hssfx_profile(&p, rich_yaml), 0);
	CU_ASSERT_EQUAL(ifc_profile_count(p), 3);
	CU_ASSERT_TRUE(round_trip(p));
	p = mem_deref(p);

	for (i = 0; i < ARRAY_SIZE(part_yaml); i++) {
		CU_ASSERT_EQUAL_FATAL(hssfx_profile(&p, part_yaml[i]), 0);
		if (!round_trip(p))
			fprintf(stderr, "part %zu: %s\n", i, part_yaml[i]);
		CU_ASSERT_TRUE(round_trip(p));
		p = mem_deref(p);
	}
}


/* The comparison the round trip relies on sees every field: each pair
 * differs in one thing. */
static void test_equal_sees(void)
{
	static const char *const pairv[][2] = {
		{"ifc: [{priority: 0, as: sip:a}]",
		 "ifc: [{priority: 1, as: sip:a}]"},
		{"ifc: [{priority: 0, as: sip:a}]",
		 "ifc: [{priority: 0, as: sip:b}]"},
		{"ifc: [{priority: 0, as: sip:a}]",
		 "ifc: [{priority: 0, as: sip:a, default_handling: "
		 "terminate}]"},
		{"ifc: [{priority: 0, as: sip:a}]",
		 "ifc: [{priority: 0, as: sip:a, service_info: ''}]"},
		{"ifc: [{priority: 0, as: sip:a}]",
		 "ifc: [{priority: 0, as: sip:a, profile_part: registered}]"},
		{"ifc: [{priority: 0, as: sip:a}]",
		 "ifc: [{priority: 0, as: sip:a}, {priority: 0, as: sip:a}]"},
		{"ifc: [{priority: 0, as: sip:a}]",
		 "ifc: [{priority: 0, as: sip:a, trigger: {spt: "
		 "[{method: A}]}}]"},
		{"ifc: [{priority: 0, as: sip:a, trigger: {spt: "
		 "[{method: A}]}}]",
		 "ifc: [{priority: 0, as: sip:a, trigger: {spt: "
		 "[{method: B}]}}]"},
		{"ifc: [{priority: 0, as: sip:a, trigger: {spt: "
		 "[{method: A}]}}]",
		 "ifc: [{priority: 0, as: sip:a, trigger: {cnf: true, spt: "
		 "[{method: A}]}}]"},
		{"ifc: [{priority: 0, as: sip:a, trigger: {spt: "
		 "[{method: A}]}}]",
		 "ifc: [{priority: 0, as: sip:a, trigger: {spt: "
		 "[{method: A, negated: true}]}}]"},
		{"ifc: [{priority: 0, as: sip:a, trigger: {spt: "
		 "[{method: A}]}}]",
		 "ifc: [{priority: 0, as: sip:a, trigger: {spt: "
		 "[{method: A, group: 1}]}}]"},
		{"ifc: [{priority: 0, as: sip:a, trigger: {spt: "
		 "[{method: REGISTER}]}}]",
		 "ifc: [{priority: 0, as: sip:a, trigger: {spt: "
		 "[{method: REGISTER, registration_type: initial}]}}]"},
		{"ifc: [{priority: 0, as: sip:a, trigger: {spt: "
		 "[{session_case: 0}]}}]",
		 "ifc: [{priority: 0, as: sip:a, trigger: {spt: "
		 "[{session_case: 1}]}}]"},
		{"ifc: [{priority: 0, as: sip:a, trigger: {spt: "
		 "[{header: {name: A}}]}}]",
		 "ifc: [{priority: 0, as: sip:a, trigger: {spt: "
		 "[{header: {name: A, content: x}}]}}]"},
		{"ifc: [{priority: 0, as: sip:a, trigger: {spt: "
		 "[{header: {name: m}}]}}]",
		 "ifc: [{priority: 0, as: sip:a, trigger: {spt: "
		 "[{sdp: {line: m}}]}}]"},
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(pairv); i++) {
		struct ifc_profile *a = NULL, *b = NULL;

		CU_ASSERT_EQUAL_FATAL(hssfx_profile(&a, pairv[i][0]), 0);
		CU_ASSERT_EQUAL_FATAL(hssfx_profile(&b, pairv[i][1]), 0);
		if (ifc_profile_equal(a, b))
			fprintf(stderr, "\npair %zu compares equal\n", i);
		CU_ASSERT_FALSE(ifc_profile_equal(a, b));
		CU_ASSERT_FALSE(ifc_profile_equal(b, a));
		CU_ASSERT_TRUE(ifc_profile_equal(a, a));
		mem_deref(a);
		mem_deref(b);
	}
}


static const char doc_topo[] =
	"shared_ifc_sets:\n"
	"  12: {ifc: [{priority: 4, as: 'sip:shared.ims.test'}]}\n"
	"profiles:\n"
	"  full:\n"
	"    ifc:\n"
	"      - priority: 1\n"
	"        trigger:\n"
	"          cnf: true\n"
	"          spt:\n"
	"            - {group: [0, 1], negated: true, method: REGISTER,\n"
	"               registration_type: [re-registration]}\n"
	"            - {group: 0, request_uri: '^sip:'}\n"
	"            - {group: 1, header: {name: Event, content: reg}}\n"
	"            - {group: 1, session_case: terminating_unregistered}\n"
	"            - {group: 1, sdp: {line: m}}\n"
	"        as: sip:as1.ims.test\n"
	"        default_handling: terminate\n"
	"        service_info: 'a<b'\n"
	"        profile_part: unregistered\n"
	"      - {priority: 0, as: 'sip:as2.ims.test'}\n"
	"    shared_ifc_sets: [12]\n"
	"subscribers:\n"
	"  - {impi: u@ims.test, impu: sip:u@ims.test, password: x,\n"
	"     profile: full}\n";

/* Annex E's sequences, element by element */
static const char doc_xml[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<IMSSubscription xmlns:imsbed=\"urn:x-imsbed:hss:1\">\n"
	"  <PrivateID>u@ims.test</PrivateID>\n"
	"  <ServiceProfile>\n"
	"    <PublicIdentity>\n"
	"      <BarringIndication>1</BarringIndication>\n"
	"      <Identity>sip:u@ims.test</Identity>\n"
	"      <Extension>\n"
	"        <IdentityType>0</IdentityType>\n"
	"        <Extension>\n"
	"          <DisplayName>U &lt;1&gt;</DisplayName>\n"
	"        </Extension>\n"
	"      </Extension>\n"
	"    </PublicIdentity>\n"
	"    <PublicIdentity>\n"
	"      <Identity>sip:u2@ims.test</Identity>\n"
	"      <Extension>\n"
	"        <IdentityType>3</IdentityType>\n"
	"        <Extension>\n"
	"          <Extension>\n"
	"            <WildcardedIMPU>sip:u!.*!@ims.test</WildcardedIMPU>\n"
	"          </Extension>\n"
	"        </Extension>\n"
	"      </Extension>\n"
	"    </PublicIdentity>\n"
	"    <InitialFilterCriteria>\n"
	"      <Priority>0</Priority>\n"
	"      <ApplicationServer>\n"
	"        <ServerName>sip:as2.ims.test</ServerName>\n"
	"        <DefaultHandling>0</DefaultHandling>\n"
	"      </ApplicationServer>\n"
	"    </InitialFilterCriteria>\n"
	"    <InitialFilterCriteria>\n"
	"      <Priority>1</Priority>\n"
	"      <TriggerPoint>\n"
	"        <ConditionTypeCNF>1</ConditionTypeCNF>\n"
	"        <SPT>\n"
	"          <ConditionNegated>1</ConditionNegated>\n"
	"          <Group>0</Group>\n"
	"          <Group>1</Group>\n"
	"          <Method>REGISTER</Method>\n"
	"          <Extension>\n"
	"            <RegistrationType>1</RegistrationType>\n"
	"          </Extension>\n"
	"        </SPT>\n"
	"        <SPT>\n"
	"          <ConditionNegated>0</ConditionNegated>\n"
	"          <Group>0</Group>\n"
	"          <RequestURI>^sip:</RequestURI>\n"
	"        </SPT>\n"
	"        <SPT>\n"
	"          <ConditionNegated>0</ConditionNegated>\n"
	"          <Group>1</Group>\n"
	"          <SIPHeader>\n"
	"            <Header>Event</Header>\n"
	"            <Content>reg</Content>\n"
	"          </SIPHeader>\n"
	"        </SPT>\n"
	"        <SPT>\n"
	"          <ConditionNegated>0</ConditionNegated>\n"
	"          <Group>1</Group>\n"
	"          <SessionCase>2</SessionCase>\n"
	"        </SPT>\n"
	"        <SPT>\n"
	"          <ConditionNegated>0</ConditionNegated>\n"
	"          <Group>1</Group>\n"
	"          <SessionDescription>\n"
	"            <Line>m</Line>\n"
	"          </SessionDescription>\n"
	"        </SPT>\n"
	"      </TriggerPoint>\n"
	"      <ApplicationServer>\n"
	"        <ServerName>sip:as1.ims.test</ServerName>\n"
	"        <DefaultHandling>1</DefaultHandling>\n"
	"        <ServiceInfo>a&lt;b</ServiceInfo>\n"
	"      </ApplicationServer>\n"
	"      <ProfilePartIndicator>1</ProfilePartIndicator>\n"
	"    </InitialFilterCriteria>\n"
	"    <Extension>\n"
	"      <SharedIFCSetID>12</SharedIFCSetID>\n"
	"    </Extension>\n"
	"    <imsbed:name>full</imsbed:name>\n"
	"  </ServiceProfile>\n"
	"  <ServiceProfile>\n"
	"    <PublicIdentity>\n"
	"      <Identity>sip:w!.*!@ims.test</Identity>\n"
	"      <Extension>\n"
	"        <IdentityType>4</IdentityType>\n"
	"      </Extension>\n"
	"    </PublicIdentity>\n"
	"  </ServiceProfile>\n"
	"</IMSSubscription>\n";


static const struct hss_xml_impu doc_impu1[] = {
	{.uri = "sip:u@ims.test", .barred = true,
	 .display_name = "U <1>"},
	{.uri = "sip:u2@ims.test", .type = HSS_ID_NON_DISTINCT,
	 .wildcard = "sip:u!.*!@ims.test"},
};
static const struct hss_xml_impu doc_impu2[] = {
	{.uri = "sip:w!.*!@ims.test", .type = HSS_ID_WILDCARDED},
};


static void test_document(void)
{
	struct hss_xml_sp spv[] = {
		{doc_impu1, ARRAY_SIZE(doc_impu1), NULL, "full"},
		{doc_impu2, ARRAY_SIZE(doc_impu2), NULL, NULL},
	};
	struct hss_xml_sub sub = {"u@ims.test", spv, ARRAY_SIZE(spv)};
	struct mbuf *mb = mbuf_alloc(4096);
	struct hss *hss = NULL;
	char err[256] = "", *got = NULL;

	CU_ASSERT_EQUAL_FATAL(hssfx_from(&hss, "hss", NULL, doc_topo, err,
					 sizeof(err)), 0);
	spv[0].profile = hss_impu_profile(hss, NULL, "sip:u@ims.test");
	CU_ASSERT_EQUAL(ifc_profile_count(spv[0].profile), 3);

	CU_ASSERT_EQUAL(hss_subscription_xml(mb, &sub), 0);
	mb->pos = 0;
	CU_ASSERT_EQUAL(mbuf_strdup(mb, &got, mb->end), 0);
	if (strcmp(test_nn(got), doc_xml))
		fprintf(stderr, "\ngot:\n%s\n", got);
	ASSERT_STR(got, doc_xml);

	/* what the XSD refuses, the writer refuses */
	mbuf_rewind(mb);
	sub.spc = 0;
	CU_ASSERT_EQUAL(hss_subscription_xml(mb, &sub), EINVAL);
	sub.spc = 1;
	spv[0].impuc = 0;
	CU_ASSERT_EQUAL(hss_subscription_xml(mb, &sub), EINVAL);
	sub.impi = NULL;
	CU_ASSERT_EQUAL(hss_subscription_xml(mb, &sub), EINVAL);

	mem_deref(got);
	mem_deref(mb);
	mem_deref(hss);
}


/* The document read back: every identity's fields, the names, the
 * profile (its set named, not expanded: no sets given), and written
 * again, the same bytes. */
static void test_read_back(void)
{
	const struct hss_xml_sub *s;
	struct hss_xml_doc *d = NULL;
	struct hss *hss = NULL;
	struct mbuf *mb = mbuf_alloc(4096);
	char err[256] = "";

	CU_ASSERT_EQUAL_FATAL(hssfx_from(&hss, "hss", NULL, doc_topo, err,
					 sizeof(err)), 0);
	CU_ASSERT_EQUAL_FATAL(hss_subscription_decode(&d, doc_xml,
						      strlen(doc_xml), "t.xml",
						      NULL, err, sizeof(err)),
			      0);
	s = hss_xml_doc_sub(d);
	ASSERT_STR(s->impi, "u@ims.test");
	CU_ASSERT_EQUAL_FATAL(s->spc, 2);
	CU_ASSERT_EQUAL(hss_xml_doc_line(d, 0), 4);
	CU_ASSERT_EQUAL(hss_xml_doc_line(d, 1), 84);

	CU_ASSERT_EQUAL_FATAL(s->spv[0].impuc, 2);
	ASSERT_STR(s->spv[0].impuv[0].uri, "sip:u@ims.test");
	CU_ASSERT_TRUE(s->spv[0].impuv[0].barred);
	CU_ASSERT_EQUAL(s->spv[0].impuv[0].type, HSS_ID_IMPU);
	ASSERT_STR(s->spv[0].impuv[0].display_name, "U <1>");
	CU_ASSERT_PTR_NULL(s->spv[0].impuv[0].wildcard);
	CU_ASSERT_FALSE(s->spv[0].impuv[1].barred);
	CU_ASSERT_EQUAL(s->spv[0].impuv[1].type, HSS_ID_NON_DISTINCT);
	ASSERT_STR(s->spv[0].impuv[1].wildcard, "sip:u!.*!@ims.test");
	CU_ASSERT_PTR_NULL(s->spv[0].impuv[1].display_name);
	ASSERT_STR(s->spv[0].name, "full");
	ASSERT_STR(ifc_profile_name(s->spv[0].profile), "full");
	CU_ASSERT_EQUAL(ifc_profile_count(s->spv[0].profile), 2);
	CU_ASSERT_TRUE(ifc_profile_equal(s->spv[0].profile,
					 hss_impu_profile(hss, NULL,
							  "sip:u@ims.test")));

	CU_ASSERT_EQUAL_FATAL(s->spv[1].impuc, 1);
	CU_ASSERT_EQUAL(s->spv[1].impuv[0].type, HSS_ID_WILDCARDED);
	CU_ASSERT_PTR_NULL(s->spv[1].name);
	ASSERT_STR(ifc_profile_name(s->spv[1].profile), "");
	CU_ASSERT_EQUAL(ifc_profile_count(s->spv[1].profile), 0);

	/* an empty ServiceProfile's profile is written as none */
	CU_ASSERT_EQUAL(hss_subscription_xml(mb, s), 0);
	CU_ASSERT_EQUAL(mb->end, strlen(doc_xml));
	CU_ASSERT_EQUAL(memcmp(mb->buf, doc_xml, strlen(doc_xml)), 0);

	mem_deref(mb);
	mem_deref(d);
	mem_deref(hss);
}


/* Every profile the scenarios ship, from each topology (a file's own or
 * a scenario's inline one), through XML and back. */
static void test_scenarios(void)
{
	struct dirent *de;
	size_t n = 0;
	DIR *dir;

	dir = opendir("scenarios");
	CU_ASSERT_PTR_NOT_NULL_FATAL(dir);

	while ((de = readdir(dir))) {
		const yml_node *root, *ps;
		struct yml *y = NULL;
		char path[512], err[256];
		size_t i, l = strlen(de->d_name);

		if (l < 6 || strcmp(de->d_name + l - 5, ".yaml"))
			continue;

		(void)re_snprintf(path, sizeof(path), "scenarios/%s",
				  de->d_name);
		CU_ASSERT_EQUAL_FATAL(yml_load_file(&y, path, err,
						    sizeof(err)), 0);
		root = yml_root(y);
		if (yml_is_map(yml_get(y, root, "topology")))
			root = yml_get(y, root, "topology");
		ps = yml_get(y, root, "profiles");

		for (i = 0; i < yml_count(ps); i++) {
			const char *name = yml_str(yml_key(y, ps, i));
			struct ifc_profile *p = NULL;

			CU_ASSERT_EQUAL(ifc_profile_load(&p, name, y,
							 yml_val(y, ps, i),
							 err, sizeof(err)),
					0);
			if (!p)
				continue;
			if (!round_trip(p))
				fprintf(stderr, "%s: profile %s\n", path,
					name);
			CU_ASSERT_TRUE(round_trip(p));
			mem_deref(p);
			++n;
		}

		mem_deref(y);
	}

	(void)closedir(dir);

	/* the scenarios hold some thirty profiles: none may go unread */
	CU_ASSERT(n >= 20);
}


int test_ifc_xml_suite(void)
{
	static const CU_TestInfo tv[] = {
		{"round trip of each part", test_round_trip},
		{"the comparison sees each field", test_equal_sees},
		{"the document, in Annex E's order", test_document},
		{"the document read back", test_read_back},
		{"every profile of the scenarios", test_scenarios},
		CU_TEST_INFO_NULL
	};

	return test_suite_add("ifc_xml", NULL, NULL, tv);
}
