/* SPDX-License-Identifier: BSD-3-Clause */
/* TS 29.228's IMSSubscription XML read: what older HSSs write, every
 * error naming its element and line, and hostile documents (a DTD,
 * entities, nesting past the limit, malformed XML) refused. */

#include <string.h>
#include <re.h>
#include "hss.h"
#include "tests.h"


/* What older HSSs write (and Kamailio's S-CSCF reads): SharedIFCSetID in
 * the ServiceProfile, tBool as words, no IdentityType, foreign elements
 * and extensions with anything in them. */
static const char older_xml[] =
	"<?xml version=\"1.0\"?>\n"
	"<IMSSubscription xmlns:v=\"urn:vendor\">\n"
	"<PrivateID> a@ims.test </PrivateID>\n"
	"<ServiceProfile>\n"
	"<PublicIdentity><BarringIndication>true</BarringIndication>"
	"<Identity>sip:a@ims.test</Identity></PublicIdentity>\n"
	"<CoreNetworkServicesAuthorization><SubscribedMediaProfileId>1"
	"</SubscribedMediaProfileId></CoreNetworkServicesAuthorization>\n"
	"<InitialFilterCriteria><Priority>3</Priority>\n"
	"<TriggerPoint><ConditionTypeCNF>false</ConditionTypeCNF>\n"
	"<SPT><Group>0</Group><Method>INVITE</Method>"
	"<Extension><Extension><v:x/></Extension></Extension></SPT>\n"
	"<Extension><anything/></Extension></TriggerPoint>\n"
	"<ApplicationServer><ServerName> sip:as.ims.test </ServerName>"
	"<Extension><IncludeRegisterRequest/></Extension>"
	"</ApplicationServer>\n"
	"<Extension><v:y>z</v:y></Extension><v:after/>\n"
	"</InitialFilterCriteria>\n"
	"<SharedIFCSetID>5</SharedIFCSetID>\n"
	"<!-- a comment -->\n"
	"<Extension><SharedIFCSetID>6</SharedIFCSetID></Extension>\n"
	"<v:vendor>ignored</v:vendor>\n"
	"</ServiceProfile>\n"
	"<Extension><v:z/></Extension>\n"
	"</IMSSubscription>\n";

static const char older_yaml[] =
	"ifc: [{priority: 3, as: sip:as.ims.test,\n"
	"       trigger: {spt: [{method: INVITE}]}}]\n";


static void test_older(void)
{
	struct hss_xml_doc *d = NULL, *d2 = NULL;
	struct ifc_profile *want = NULL;
	const struct ifc_profile *p;
	const struct hss_xml_sub *s;
	struct mbuf *mb;
	char err[256] = "", *got = NULL;

	CU_ASSERT_EQUAL_FATAL(hss_subscription_decode(&d, older_xml,
						      strlen(older_xml),
						      "t.xml", NULL, err,
						      sizeof(err)), 0);
	s = hss_xml_doc_sub(d);
	ASSERT_STR(s->impi, "a@ims.test");
	CU_ASSERT_TRUE(s->spv[0].impuv[0].barred);
	CU_ASSERT_EQUAL(s->spv[0].impuv[0].type, HSS_ID_IMPU);
	p = s->spv[0].profile;
	CU_ASSERT_EQUAL(ifc_profile_count(p), 1);

	/* its own iFC as YAML has it, the set ids apart */
	CU_ASSERT_EQUAL_FATAL(hssfx_profile(&want, older_yaml), 0);
	CU_ASSERT_FALSE(ifc_profile_equal(p, want));

	/* written again, the ids in the order they came, in Annex E's
	 * place, and nothing of what was passed over */
	mb = mbuf_alloc(1024);
	CU_ASSERT_EQUAL(hss_subscription_xml(mb, s), 0);
	mb->pos = 0;
	CU_ASSERT_EQUAL(mbuf_strdup(mb, &got, mb->end), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(test_nn(got), "    <Extension>\n"
		"      <SharedIFCSetID>5</SharedIFCSetID>\n"
		"      <SharedIFCSetID>6</SharedIFCSetID>\n"
		"    </Extension>\n  </ServiceProfile>"));
	CU_ASSERT_PTR_NULL(strstr(test_nn(got), "vendor"));
	CU_ASSERT_PTR_NULL(strstr(test_nn(got), "Include"));
	CU_ASSERT_PTR_NULL(strstr(test_nn(got), "imsbed"));

	/* and read again: the same profile, the set ids included */
	CU_ASSERT_EQUAL(hss_subscription_decode(&d2, got, strlen(got),
						"t2.xml", NULL, err,
						sizeof(err)), 0);
	CU_ASSERT_TRUE(ifc_profile_equal(p,
					 hss_xml_doc_sub(d2)->spv[0].profile));

	mem_deref(d2);
	mem_deref(got);
	mem_deref(mb);
	mem_deref(want);
	mem_deref(d);
}


/* ---- the parser's errors: element and line ---- */

#define X_HEAD "<?xml version=\"1.0\"?>\n<IMSSubscription>\n" \
	"<PrivateID>a@ims.test</PrivateID>\n<ServiceProfile>\n"
#define X_IMPU "<PublicIdentity><Identity>sip:a@ims.test</Identity>" \
	"</PublicIdentity>\n"
/* the iFC's own elements from line 8 on */
#define I_HEAD X_HEAD X_IMPU \
	"<InitialFilterCriteria>\n<Priority>0</Priority>\n"
#define I_AS "<ApplicationServer><ServerName>sip:as.test</ServerName>" \
	"</ApplicationServer>\n"
#define I_TAIL "</InitialFilterCriteria>\n</ServiceProfile>\n" \
	"</IMSSubscription>\n"
/* a trigger point on line 8, its SPT on line 9 */
#define TP(spt) I_HEAD "<TriggerPoint><ConditionTypeCNF>0</ConditionTypeCNF>" \
	"\n<SPT>" spt "</SPT>\n</TriggerPoint>\n" I_AS I_TAIL
#define G0 "<Group>0</Group>"
#define COND_ONE "one of <RequestURI>, <Method>, <SIPHeader>, <SessionCase>" \
	" or <SessionDescription>"
#define X_TAIL "</ServiceProfile>\n</IMSSubscription>\n"

struct xerr_case {
	const char *xml;
	const char *err;
};

static const struct xerr_case xerrv[] = {
	{TP(G0 "<SessionCase>7</SessionCase>"),
	 "t.xml:9: <SessionCase>: 7 is not 0-4"},
	{TP(G0 "<Method>register</Method>"),
	 "t.xml:9: <Method>: 'register' would never match: SIP methods are "
	 "case-sensitive; did you mean 'REGISTER'?"},
	{TP(G0 "<Method>IN VITE</Method>"),
	 "t.xml:9: <Method>: 'IN VITE' is not a SIP method (a token: "
	 "letters, digits and -.!%*_+`'~)"},
	{TP(G0 "<Method></Method>"), "t.xml:9: <Method> must not be empty"},
	{TP(G0 "<RequestURI>(</RequestURI>"),
	 "t.xml:9: <RequestURI>: bad regex '(': Unmatched ( or \\("},
	{TP(G0 "<SIPHeader><Header>Event</Header><Content>[a</Content>"
	    "</SIPHeader>"),
	 "t.xml:9: <Content>: bad regex '[a': Unmatched [, [^, [:, [., or [="},
	{TP(G0 "<SIPHeader><Content>x</Content></SIPHeader>"),
	 "t.xml:9: <SIPHeader> without <Header>"},
	{TP(G0 "<SessionDescription><Line>mm</Line></SessionDescription>"),
	 "t.xml:9: <Line>: 'mm' is not an SDP line type (one letter, as in "
	 "'m')"},
	{TP("<Method>A</Method>"), "t.xml:9: <SPT> without <Group>"},
	{TP("<Method>A</Method>" G0),
	 "t.xml:9: <Method> out of place in <SPT>: <Group> goes before it"},
	{TP(G0 "<ConditionNegated>1</ConditionNegated><Method>A</Method>"),
	 "t.xml:9: <ConditionNegated> out of place in <SPT>"},
	{TP(G0 "<Method>A</Method><SessionCase>0</SessionCase>"),
	 "t.xml:9: <SPT> with <Method> and <SessionCase>: " COND_ONE " only"},
	{TP(G0 "<Method>A</Method><Method>B</Method>"),
	 "t.xml:9: <SPT> with a second <Method>"},
	{TP(G0), "t.xml:9: <SPT> without <RequestURI>, <Method>, <SIPHeader>,"
	 " <SessionCase> or <SessionDescription>"},
	{TP(G0 "<Methods>A</Methods>"), "t.xml:9: <Methods> unknown in <SPT>"},
	{TP("<Group>-1</Group><Method>A</Method>"),
	 "t.xml:9: <Group>: '-1' is not a whole number"},
	{TP("<ConditionNegated>maybe</ConditionNegated>" G0
	    "<Method>A</Method>"),
	 "t.xml:9: <ConditionNegated>: 'maybe' is not 0, 1, true or false"},
	{TP(G0 "<Method>INVITE</Method><Extension><RegistrationType>0"
	    "</RegistrationType></Extension>"),
	 "t.xml:9: <RegistrationType> goes with <Method>REGISTER</Method> "
	 "only (TS 29.228 B.2.2)"},
	{TP(G0 "<Method>REGISTER</Method><Extension><RegistrationType>3"
	    "</RegistrationType></Extension>"),
	 "t.xml:9: <RegistrationType>: 3 is not 0-2"},
	{TP(G0 "<Method>REGISTER</Method><Extension><RegistrationType>1"
	    "</RegistrationType><RegistrationType>1</RegistrationType>"
	    "</Extension>"),
	 "t.xml:9: <RegistrationType>: 1 twice"},
	{TP(G0 "<Method>REGISTER</Method><Extension><v:x xmlns:v=\"urn:v\"/>"
	    "</Extension>"),
	 "t.xml:9: <v:x> of namespace urn:v in <Extension>, which takes "
	 "none"},
	{TP("junk" G0 "<Method>A</Method>"),
	 "t.xml:9: <SPT> holds text where only elements go"},
	{I_HEAD "<TriggerPoint>\n<SPT>" G0 "<Method>A</Method></SPT>\n"
	 "</TriggerPoint>\n" I_AS I_TAIL,
	 "t.xml:9: <TriggerPoint> without <ConditionTypeCNF>"},
	{I_HEAD "<TriggerPoint><ConditionTypeCNF>yes</ConditionTypeCNF>\n"
	 "<SPT>" G0 "<Method>A</Method></SPT>\n</TriggerPoint>\n" I_AS I_TAIL,
	 "t.xml:8: <ConditionTypeCNF>: 'yes' is not 0, 1, true or false"},
	{I_HEAD "<TriggerPoint><ConditionTypeCNF>1</ConditionTypeCNF>\n"
	 "</TriggerPoint>\n" I_AS I_TAIL,
	 "t.xml:8: <TriggerPoint> without <SPT>"},
	{I_HEAD "<Foo/>\n" I_AS I_TAIL,
	 "t.xml:8: <Foo> unknown in <InitialFilterCriteria>"},
	{I_HEAD I_TAIL,
	 "t.xml:6: <InitialFilterCriteria> without <ApplicationServer>"},
	{I_HEAD "<Priority>1</Priority>\n" I_AS I_TAIL,
	 "t.xml:8: <InitialFilterCriteria> with a second <Priority>"},
	{X_HEAD X_IMPU "<InitialFilterCriteria>\n<Priority>x</Priority>\n"
	 I_AS I_TAIL, "t.xml:7: <Priority>: 'x' is not a whole number"},
	{X_HEAD X_IMPU "<InitialFilterCriteria>\n<Priority>2147483648"
	 "</Priority>\n" I_AS I_TAIL,
	 "t.xml:7: <Priority>: 2147483648 is too large"},
	{X_HEAD X_IMPU "<InitialFilterCriteria>\n<Priority><b/></Priority>\n"
	 I_AS I_TAIL, "t.xml:7: <b> in <Priority>, which holds text only"},
	{I_HEAD "<ApplicationServer><ServerName>mailto:x</ServerName>"
	 "</ApplicationServer>\n" I_TAIL,
	 "t.xml:8: <ServerName>: 'mailto:x' is not a SIP URI"},
	{I_HEAD "<ApplicationServer><ServerName>sip:a</ServerName>\n"
	 "<DefaultHandling>2</DefaultHandling></ApplicationServer>\n" I_TAIL,
	 "t.xml:9: <DefaultHandling>: 2 is not 0 or 1"},
	{I_HEAD "<ApplicationServer><ServiceInfo>x</ServiceInfo>\n"
	 "</ApplicationServer>\n" I_TAIL,
	 "t.xml:8: <ApplicationServer> without <ServerName>"},
	{I_HEAD I_AS "<ProfilePartIndicator>2</ProfilePartIndicator>\n"
	 I_TAIL, "t.xml:9: <ProfilePartIndicator>: 2 is not 0 or 1"},
	{I_HEAD "<ProfilePartIndicator>0</ProfilePartIndicator>\n" I_AS
	 I_TAIL, "t.xml:8: <ProfilePartIndicator> out of place in "
	 "<InitialFilterCriteria>: <ApplicationServer> goes before it"},
	{X_HEAD "<InitialFilterCriteria/>\n" X_IMPU X_TAIL,
	 "t.xml:5: <InitialFilterCriteria> out of place in <ServiceProfile>:"
	 " <PublicIdentity> goes before it"},
	{X_HEAD X_TAIL, "t.xml:4: <ServiceProfile> without <PublicIdentity>"},
	{X_HEAD "<PublicIdentity><BarringIndication>1</BarringIndication>"
	 "</PublicIdentity>\n" X_TAIL,
	 "t.xml:5: <PublicIdentity> without <Identity>"},
	{X_HEAD "<PublicIdentity><Identity>sip:a@b</Identity><Extension>\n"
	 "<IdentityType>1</IdentityType></Extension></PublicIdentity>\n"
	 X_TAIL, "t.xml:6: <IdentityType>: 1 is a PSI's; imsbed's HSS holds "
	 "user identities (0, 3 or 4)"},
	{X_HEAD "<PublicIdentity><Identity>sip:a@b</Identity><Extension>\n"
	 "<IdentityType>3</IdentityType></Extension></PublicIdentity>\n"
	 X_TAIL, "t.xml:5: <PublicIdentity>: IdentityType 3 "
	 "(NON_DISTINCT_IMPU) without <WildcardedIMPU>"},
	{X_HEAD "<PublicIdentity><Identity>sip:a@b</Identity><Extension>\n"
	 "<IdentityType>4</IdentityType></Extension></PublicIdentity>\n"
	 X_TAIL, "t.xml:5: <Identity>: 'sip:a@b' is no wildcarded IMPU "
	 "(TS 23.003 13.4: a range between '!')"},
	{X_HEAD X_IMPU "<Extension>\n<SharedIFCSetID>2</SharedIFCSetID>\n"
	 "<SharedIFCSetID>2</SharedIFCSetID></Extension>\n" X_TAIL,
	 "t.xml:8: <SharedIFCSetID>: 2 twice"},
	{X_HEAD X_IMPU "<SharedIFCSetID>x</SharedIFCSetID>\n" X_TAIL,
	 "t.xml:6: <SharedIFCSetID>: 'x' is not a whole number"},
	{"<?xml version=\"1.0\"?>\n<IMSSubscription>\n"
	 "<ServiceProfile/>\n</IMSSubscription>\n",
	 "t.xml:3: <IMSSubscription> without <PrivateID>"},
	{"<?xml version=\"1.0\"?>\n<IMSSubscription>\n<PrivateID>a"
	 "</PrivateID>\n</IMSSubscription>\n",
	 "t.xml:2: <IMSSubscription> without <ServiceProfile>"},
	{"<?xml version=\"1.0\"?>\n<IMS/>\n",
	 "t.xml:2: root <IMS>, not <IMSSubscription> (TS 29.228 Annex E, of "
	 "no namespace)"},
	{"<IMSSubscription xmlns=\"urn:x\"/>",
	 "t.xml:1: root <IMSSubscription> of a namespace, not "
	 "<IMSSubscription> (TS 29.228 Annex E, of no namespace)"},
	{TP(G0 "<Method>A</Method>\n</SPT><SPT>" G0 "<Method>B</Method>"
	    "</TriggerPoint>"),
	 "t.xml:10: Opening and ending tag mismatch: SPT line 10 and "
	 "TriggerPoint"},
	{"<IMSSubscription>", "t.xml:1: Premature end of data in tag "
	 "IMSSubscription line 1"},
	{"<IMSSubscription/>\n<x/>", "t.xml:2: Extra content at the end of "
	 "the document"},
	{"x", "t.xml:1: Start tag expected, '<' not found"},
};


static void test_errors(void)
{
	struct hss_xml_doc *d;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(xerrv); i++) {
		char err[512] = "";

		d = NULL;
		CU_ASSERT_EQUAL(hss_subscription_decode(&d, xerrv[i].xml,
							strlen(xerrv[i].xml),
							"t.xml", NULL, err,
							sizeof(err)),
				EBADMSG);
		CU_ASSERT_PTR_NULL(d);
		if (strcmp(err, xerrv[i].err))
			fprintf(stderr, "\nxml error case %zu:\n  got  %s\n"
				"  want %s\n", i, err, xerrv[i].err);
		ASSERT_STR(err, xerrv[i].err);
		mem_deref(d);
	}
}


/* ---- hostile documents: refused, with the line, nothing expanded ---- */

#define MIN_DOC(priv) "<IMSSubscription><PrivateID>" priv "</PrivateID>" \
	"<ServiceProfile><PublicIdentity><Identity>sip:a@b</Identity>" \
	"</PublicIdentity></ServiceProfile></IMSSubscription>\n"

static const struct xerr_case hostilev[] = {
	/* billion laughs */
	{"<?xml version=\"1.0\"?>\n<!DOCTYPE IMSSubscription [\n"
	 "<!ENTITY a \"aaaaaaaaaa\">\n"
	 "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n"
	 "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">\n"
	 "]>\n" MIN_DOC("&c;"),
	 "t.xml:2: DOCTYPE refused: an IMSSubscription has no DTD"},
	/* an external entity */
	{"<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "
	 "\"file:///etc/passwd\">]>\n" MIN_DOC("&e;"),
	 "t.xml:2: DOCTYPE refused: an IMSSubscription has no DTD"},
	/* an external DTD */
	{"<!DOCTYPE IMSSubscription SYSTEM \"http://192.0.2.1/x.dtd\">\n"
	 MIN_DOC("a"),
	 "t.xml:1: DOCTYPE refused: an IMSSubscription has no DTD"},
	/* an entity nobody declared */
	{"<?xml version=\"1.0\"?>\n" MIN_DOC("&xxe;"),
	 "t.xml:2: Entity 'xxe' not defined"},
	{"", "t.xml:1: empty document"},
	{"<IMSSubscription>\0</IMSSubscription>",
	 "t.xml:1: Premature end of data in tag IMSSubscription line 1"},
};


static const char xinclude[] =
	"<IMSSubscription><PrivateID>a</PrivateID><ServiceProfile>"
	"<PublicIdentity><Identity>sip:a@b</Identity>"
	"</PublicIdentity></ServiceProfile><Extension>"
	"<xi:include xmlns:xi=\"http://www.w3.org/2001/XInclude\" "
	"href=\"/etc/passwd\" parse=\"text\"/></Extension>"
	"</IMSSubscription>";


static void test_hostile(void)
{
	struct hss_xml_doc *d = NULL;
	char err[512], *deep;
	struct mbuf *mb;
	size_t i, len;

	for (i = 0; i < ARRAY_SIZE(hostilev); i++) {
		len = strlen(hostilev[i].xml);
		if (i == ARRAY_SIZE(hostilev) - 1)
			len += strlen(hostilev[i].xml + len + 1) + 1;

		err[0] = '\0';
		CU_ASSERT_EQUAL(hss_subscription_decode(&d, hostilev[i].xml,
							len, "t.xml", NULL,
							err, sizeof(err)),
				EBADMSG);
		CU_ASSERT_PTR_NULL(d);
		if (strcmp(err, hostilev[i].err))
			fprintf(stderr, "\nhostile case %zu:\n  got  %s\n"
				"  want %s\n", i, err, hostilev[i].err);
		ASSERT_STR(err, hostilev[i].err);
	}

	/* nesting past libxml2's limit, inside an Extension that takes
	 * anything */
	mb = mbuf_alloc(8192);
	CU_ASSERT_EQUAL(mbuf_printf(mb, "<IMSSubscription><PrivateID>a"
				    "</PrivateID><ServiceProfile>"
				    "<PublicIdentity><Identity>sip:a@b"
				    "</Identity></PublicIdentity>"
				    "</ServiceProfile>\n"), 0);
	for (i = 0; i < 3000; i++)
		CU_ASSERT_EQUAL(mbuf_write_str(mb, "<Extension>"), 0);
	err[0] = '\0';
	CU_ASSERT_EQUAL(hss_subscription_decode(&d, (char *)mb->buf, mb->end,
						"t.xml", NULL, err,
						sizeof(err)), EBADMSG);
	CU_ASSERT_PTR_NULL(d);
	CU_ASSERT_EQUAL(strncmp(err, "t.xml:2: Excessive depth in document",
				36), 0);
	mem_deref(mb);

	/* too large to be one */
	len = 4 * 1024 * 1024 + 1;
	deep = mem_zalloc(len, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(deep);
	memset(deep, ' ', len);
	CU_ASSERT_EQUAL(hss_subscription_decode(&d, deep, len, "t.xml", NULL,
						err, sizeof(err)), EBADMSG);
	ASSERT_STR(err, "t.xml:1: document larger than 4194304 bytes");
	mem_deref(deep);

	/* XInclude is not processed: the element is one an Extension may
	 * hold, and nothing is read */
	CU_ASSERT_EQUAL(hss_subscription_decode(&d, xinclude,
						strlen(xinclude), "t.xml",
						NULL, err, sizeof(err)), 0);
	CU_ASSERT_PTR_NOT_NULL(d);
	d = mem_deref(d);
}


int test_ifc_xml_parse_suite(void)
{
	static const CU_TestInfo tv[] = {
		{"what older HSSs write", test_older},
		{"errors: element and line", test_errors},
		{"hostile documents", test_hostile},
		CU_TEST_INFO_NULL
	};

	return test_suite_add("ifc_xml_parse", NULL, NULL, tv);
}
