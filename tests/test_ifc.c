/* SPDX-License-Identifier: BSD-3-Clause */
/* iFC: trigger points as a table of (SPTs, request, verdict), priority
 * order and iteration, and the loader's errors with their line:col. */

#include <string.h>
#include <re.h>
#include "yml.h"
#include "hss.h"
#include "tests.h"

#define SPT(x) "        - " x "\n"

static const char ifc_head[] =
	"ifc:\n"
	"  - priority: 0\n"
	"    as: sip:as1.ims.test\n"
	"    trigger:\n"
	"      cnf: %s\n"
	"      spt:\n"
	"%s";

static const struct ifc_hdr h_sysinfo[] = {{"Event", "sysinfo"}};
static const struct ifc_hdr h_sysinfo_id[] = {{"Event", "sysinfo;id=1"}};
static const struct ifc_hdr h_presence[] = {{"Event", "presence"}};
static const struct ifc_hdr h_lower[] = {{"event", "x"}};
static const struct ifc_hdr h_from[] = {{"From", "<sip:a@ims.test>"}};
static const struct ifc_hdr h_both[] = {
	{"From", "<sip:a@ims.test>"},
	{"Event", "presence"},
	{"Event", "sysinfo"},
};

static const char sdp_audio[] =
	"v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\n"
	"t=0 0\r\nm=audio 4000 RTP/AVP 0\r\na=sendonly\r\n";
static const char sdp_video[] =
	"v=0\r\ns=-\r\nm=video 5000 RTP/AVP 96\r\n";
static const char sdp_both[] =
	"v=0\ns=-\nm=video 5000 RTP/AVP 96\nm=audio 4000 RTP/AVP 8";
static const char sdp_none[] = "v=0\r\ns=-\r\n";

#define HDRS(a) .hdrv = a, .hdrc = ARRAY_SIZE(a)

struct trig_case {
	const char *name;
	bool cnf;
	const char *spts;
	struct ifc_req req;
	bool match;
};

#define DNF_SYSINFO \
	SPT("{group: 0, method: SUBSCRIBE}") \
	SPT("{group: 0, header: {name: Event, content: '^sysinfo'}}") \
	SPT("{group: 1, method: MESSAGE}")
#define CNF_ORIG \
	SPT("{group: 0, method: INVITE}") \
	SPT("{group: 0, method: MESSAGE}") \
	SPT("{group: 1, session_case: originating}")
#define DNF_SHARED \
	SPT("{group: [0, 1], session_case: originating}") \
	SPT("{group: 0, method: INVITE}") \
	SPT("{group: 1, method: MESSAGE}")
#define CNF_SHARED \
	SPT("{group: [1, 0], method: INVITE}") \
	SPT("{group: 0, method: MESSAGE}") \
	SPT("{group: 1, session_case: terminating_registered}")
#define RURI SPT("{request_uri: '^sip:(alice|bob)@ims\\.test$'}")
#define EVENT_SYSINFO SPT("{header: {name: Event, content: '^sysinfo'}}")
#define NOT_SYSINFO \
	SPT("{negated: true, header: {name: Event, content: '^sysinfo'}}")
#define M_AUDIO SPT("{sdp: {line: m, content: '^audio'}}")
#define REG_INIT SPT("{method: REGISTER, registration_type: [initial]}")
#define REG_RE_DE \
	SPT("{method: REGISTER, registration_type: [re-registration, " \
	    "de-registration]}")
#define REG_ALL \
	SPT("{method: REGISTER, registration_type: [de-registration, " \
	    "initial, re-registration]}")

static const struct trig_case trigv[] = {
	{"method equal", 0, SPT("{method: INVITE}"),
	 {.method = "INVITE"}, true},
	{"method is case-sensitive", 0, SPT("{method: INVITE}"),
	 {.method = "invite"}, false},
	{"method absent", 0, SPT("{method: INVITE}"), {0}, false},
	{"R-URI regex", 0, RURI, {.ruri = "sip:bob@ims.test"}, true},
	{"R-URI regex escaped dot", 0, RURI,
	 {.ruri = "sip:bob@imsxtest"}, false},
	{"R-URI regex other user", 0, RURI,
	 {.ruri = "sip:carol@ims.test"}, false},
	{"R-URI regex unanchored", 0, SPT("{request_uri: 'user=phone'}"),
	 {.ruri = "sip:+16328300101@ims.test;user=phone"}, true},
	{"header present", 0, SPT("{header: {name: Event}}"),
	 {HDRS(h_presence)}, true},
	{"header name case-insensitive", 0, SPT("{header: {name: Event}}"),
	 {HDRS(h_lower)}, true},
	{"header absent", 0, SPT("{header: {name: Event}}"),
	 {HDRS(h_from)}, false},
	{"header content", 0, EVENT_SYSINFO, {HDRS(h_sysinfo)}, true},
	{"header content prefix", 0, EVENT_SYSINFO,
	 {HDRS(h_sysinfo_id)}, true},
	{"header content differs", 0, EVENT_SYSINFO,
	 {HDRS(h_presence)}, false},
	{"header any of several", 0, EVENT_SYSINFO, {HDRS(h_both)}, true},
	{"negated header, one matches", 0, NOT_SYSINFO,
	 {HDRS(h_both)}, false},
	{"negated header, none matches", 0, NOT_SYSINFO,
	 {HDRS(h_presence)}, true},
	{"negated header, absent", 0, NOT_SYSINFO, {HDRS(h_from)}, true},
	{"session case orig", 0, SPT("{session_case: originating}"),
	 {.scase = IFC_ORIG}, true},
	{"session case orig vs term", 0, SPT("{session_case: originating}"),
	 {.scase = IFC_TERM_REG}, false},
	{"session case number", 0, SPT("{session_case: 2}"),
	 {.scase = IFC_TERM_UNREG}, true},
	{"session case term reg", 0,
	 SPT("{session_case: terminating_registered}"),
	 {.scase = IFC_TERM_REG}, true},
	{"session case orig unreg", 0,
	 SPT("{session_case: originating_unregistered}"),
	 {.scase = IFC_ORIG_UNREG}, true},
	{"session case orig cdiv", 0, SPT("{session_case: originating_cdiv}"),
	 {.scase = IFC_ORIG_CDIV}, true},
	{"session case 4 vs orig", 0, SPT("{session_case: 4}"),
	 {.scase = IFC_ORIG}, false},
	{"session case orig vs cdiv", 0, SPT("{session_case: originating}"),
	 {.scase = IFC_ORIG_CDIV}, false},
	{"SDP m=audio", 0, M_AUDIO, {.sdp = sdp_audio}, true},
	{"SDP m=video only", 0, M_AUDIO, {.sdp = sdp_video}, false},
	{"SDP second m line, LF only", 0, M_AUDIO, {.sdp = sdp_both}, true},
	{"SDP absent", 0, M_AUDIO, {0}, false},
	{"SDP line present", 0, SPT("{sdp: {line: m}}"),
	 {.sdp = sdp_audio}, true},
	{"SDP line missing", 0, SPT("{sdp: {line: m}}"),
	 {.sdp = sdp_none}, false},
	{"SDP anchored at end of line", 0,
	 SPT("{sdp: {line: m, content: '^audio [0-9]+ RTP/AVP 0$'}}"),
	 {.sdp = sdp_audio}, true},
	{"SDP line type must agree", 0,
	 SPT("{sdp: {line: a, content: '^audio'}}"),
	 {.sdp = sdp_audio}, false},
	{"SDP a=sendonly", 0, SPT("{sdp: {line: a, content: sendonly}}"),
	 {.sdp = sdp_audio}, true},
	{"negated method, other", 0, SPT("{method: INVITE, negated: true}"),
	 {.method = "MESSAGE"}, true},
	{"negated method, same", 0, SPT("{method: INVITE, negated: true}"),
	 {.method = "INVITE"}, false},
	{"default group ANDs", 0,
	 SPT("{method: SUBSCRIBE}") EVENT_SYSINFO,
	 {.method = "SUBSCRIBE", HDRS(h_sysinfo)}, true},
	{"default group ANDs, one fails", 0,
	 SPT("{method: SUBSCRIBE}") EVENT_SYSINFO,
	 {.method = "SUBSCRIBE", HDRS(h_presence)}, false},
	{"DNF group 0 all true", 0, DNF_SYSINFO,
	 {.method = "SUBSCRIBE", HDRS(h_sysinfo)}, true},
	{"DNF group 0 half true", 0, DNF_SYSINFO,
	 {.method = "SUBSCRIBE", HDRS(h_presence)}, false},
	{"DNF group 1 true", 0, DNF_SYSINFO, {.method = "MESSAGE"}, true},
	{"DNF no group true", 0, DNF_SYSINFO, {.method = "INVITE"}, false},
	{"CNF INVITE orig", 1, CNF_ORIG,
	 {.method = "INVITE", .scase = IFC_ORIG}, true},
	{"CNF MESSAGE orig", 1, CNF_ORIG,
	 {.method = "MESSAGE", .scase = IFC_ORIG}, true},
	{"CNF INVITE term", 1, CNF_ORIG,
	 {.method = "INVITE", .scase = IFC_TERM_REG}, false},
	{"CNF SUBSCRIBE orig", 1, CNF_ORIG,
	 {.method = "SUBSCRIBE", .scase = IFC_ORIG}, false},
	{"DNF shared SPT, group 1", 0, DNF_SHARED,
	 {.method = "MESSAGE", .scase = IFC_ORIG}, true},
	{"DNF shared SPT, group 0", 0, DNF_SHARED,
	 {.method = "INVITE", .scase = IFC_ORIG}, true},
	{"DNF shared SPT false", 0, DNF_SHARED,
	 {.method = "MESSAGE", .scase = IFC_TERM_REG}, false},
	{"DNF shared SPT, no method", 0, DNF_SHARED,
	 {.method = "SUBSCRIBE", .scase = IFC_ORIG}, false},
	{"CNF shared SPT true in both", 1, CNF_SHARED,
	 {.method = "INVITE", .scase = IFC_ORIG}, true},
	{"CNF shared SPT, group 1 false", 1, CNF_SHARED,
	 {.method = "MESSAGE", .scase = IFC_ORIG}, false},
	{"CNF shared SPT, both via others", 1, CNF_SHARED,
	 {.method = "MESSAGE", .scase = IFC_TERM_REG}, true},
	{"CNF shared SPT, group 0 false", 1, CNF_SHARED,
	 {.method = "SUBSCRIBE", .scase = IFC_TERM_REG}, false},
	/* TS 29.228 B.2.2 RegistrationType */
	{"REGISTER initial, initial", 0, REG_INIT,
	 {.method = "REGISTER", .reg = IFC_REG_INITIAL}, true},
	{"REGISTER initial, refresh", 0, REG_INIT,
	 {.method = "REGISTER", .reg = IFC_REG_RE}, false},
	{"REGISTER initial, de-registration", 0, REG_INIT,
	 {.method = "REGISTER", .reg = IFC_REG_DE}, false},
	{"REGISTER initial, kind unknown", 0, REG_INIT,
	 {.method = "REGISTER"}, true},
	{"REGISTER re/de, de-registration", 0, REG_RE_DE,
	 {.method = "REGISTER", .reg = IFC_REG_DE}, true},
	{"REGISTER re/de, refresh", 0, REG_RE_DE,
	 {.method = "REGISTER", .reg = IFC_REG_RE}, true},
	{"REGISTER re/de, initial", 0, REG_RE_DE,
	 {.method = "REGISTER", .reg = IFC_REG_INITIAL}, false},
	{"REGISTER all three, initial", 0, REG_ALL,
	 {.method = "REGISTER", .reg = IFC_REG_INITIAL}, true},
	{"REGISTER as a scalar", 0,
	 SPT("{method: REGISTER, registration_type: de-registration}"),
	 {.method = "REGISTER", .reg = IFC_REG_DE}, true},
	{"REGISTER initial negated, refresh", 0,
	 SPT("{method: REGISTER, negated: true, "
	     "registration_type: [initial]}"),
	 {.method = "REGISTER", .reg = IFC_REG_RE}, true},
	{"REGISTER initial negated, initial", 0,
	 SPT("{method: REGISTER, negated: true, "
	     "registration_type: [initial]}"),
	 {.method = "REGISTER", .reg = IFC_REG_INITIAL}, false},
	{"REGISTER initial, an INVITE", 0, REG_INIT,
	 {.method = "INVITE", .reg = IFC_REG_INITIAL}, false},
	{"plain REGISTER, de-registration", 0, SPT("{method: REGISTER}"),
	 {.method = "REGISTER", .reg = IFC_REG_DE}, true},
};


static int load(struct ifc_profile **pp, const char *text, char *err,
		size_t sz)
{
	struct yml *y = NULL;
	int e;

	e = yml_load_str(&y, "t.yaml", text, err, sz);
	if (!e)
		e = ifc_profile_load(pp, "p", y, yml_root(y), err, sz);

	/* the profile keeps nothing of the document */
	mem_deref(y);

	return e;
}


static void test_triggers(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(trigv); i++) {
		const struct trig_case *c = &trigv[i];
		struct ifc_profile *p = NULL;
		const struct ifc *ifc;
		char *text = NULL, err[256] = "";
		size_t idx = 0;

		CU_ASSERT_EQUAL_FATAL(re_sdprintf(&text, ifc_head,
						  c->cnf ? "true" : "false",
						  c->spts), 0);
		CU_ASSERT_EQUAL(load(&p, text, err, sizeof(err)), 0);
		if (!p) {
			fprintf(stderr, "case '%s': %s\n", c->name, err);
			mem_deref(text);
			continue;
		}

		ifc = ifc_profile_next(p, &c->req, &idx);
		if ((ifc != NULL) != c->match)
			fprintf(stderr, "case '%s' failed\n", c->name);
		CU_ASSERT_EQUAL(ifc != NULL, c->match);
		CU_ASSERT_EQUAL(idx, 1);

		mem_deref(p);
		mem_deref(text);
	}
}


static void test_no_trigger(void)
{
	static const struct ifc_req empty = {0};
	static const struct ifc_req req = {
		.method = "MESSAGE", .ruri = "sip:x@y", .scase = IFC_TERM_REG
	};
	struct ifc_profile *p = NULL;
	const struct ifc *ifc;
	char err[256] = "";
	size_t idx = 0;

	CU_ASSERT_EQUAL_FATAL(load(&p, "ifc: [{priority: 0, as: 'sip:a.b'}]",
				   err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(ifc_profile_count(p), 1);
	ifc = ifc_profile_next(p, &empty, &idx);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ifc);
	CU_ASSERT_TRUE(ifc_match(ifc, &empty));
	CU_ASSERT_TRUE(ifc_match(ifc, &req));
	CU_ASSERT_FALSE(ifc_match(NULL, &req));
	CU_ASSERT_FALSE(ifc_match(ifc, NULL));
	ASSERT_STR(ifc_as(ifc), "sip:a.b");

	mem_deref(p);
}


static const char prio_yaml[] =
	"ifc:\n"
	"  - priority: 5\n"
	"    as: sip:as5.ims.test\n"
	"  - priority: 1\n"
	"    as: sip:as1a.ims.test:5060\n"
	"    trigger: {spt: [{method: INVITE}]}\n"
	"    default_handling: terminate\n"
	"    service_info: one-a\n"
	"  - priority: 3\n"
	"    as: sip:as3.ims.test\n"
	"    default_handling: continue\n"
	"  - priority: 1\n"
	"    as: sip:as1b.ims.test\n";


static void test_priority(void)
{
	static const char *const inv[] = {
		"sip:as1a.ims.test:5060", "sip:as1b.ims.test",
		"sip:as3.ims.test", "sip:as5.ims.test"
	};
	static const struct ifc_req invite = {.method = "INVITE"};
	static const struct ifc_req msg = {.method = "MESSAGE"};
	struct ifc_profile *p = NULL;
	const struct ifc *ifc, *all[4];
	char err[256] = "";
	size_t i, idx = 0;

	CU_ASSERT_EQUAL_FATAL(load(&p, prio_yaml, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(ifc_profile_count(p), 4);
	ASSERT_STR(ifc_profile_name(p), "p");

	/* ascending priority; the two of priority 1 keep their order */
	for (i = 0; i < ARRAY_SIZE(inv); i++) {
		ifc = ifc_profile_next(p, &invite, &idx);
		CU_ASSERT_PTR_NOT_NULL_FATAL(ifc);
		ASSERT_STR(ifc_as(ifc), inv[i]);
		CU_ASSERT_EQUAL(idx, i + 1);
		all[i] = ifc;
	}
	CU_ASSERT_PTR_NULL(ifc_profile_next(p, &invite, &idx));
	CU_ASSERT_EQUAL(idx, 4);

	/* MESSAGE skips the INVITE-only iFC at position 0 */
	idx = 0;
	ifc = ifc_profile_next(p, &msg, &idx);
	ASSERT_STR(ifc_as(ifc), "sip:as1b.ims.test");
	CU_ASSERT_EQUAL(idx, 2);

	/* resuming where an AS left off (TS 24.229 5.4.3.3) */
	idx = 2;
	ifc = ifc_profile_next(p, &invite, &idx);
	ASSERT_STR(ifc_as(ifc), "sip:as3.ims.test");
	CU_ASSERT_EQUAL(idx, 3);
	idx = 10;
	CU_ASSERT_PTR_NULL(ifc_profile_next(p, &invite, &idx));
	CU_ASSERT_PTR_NULL(ifc_profile_next(NULL, &invite, &idx));

	CU_ASSERT_EQUAL(ifc_priority(all[0]), 1);
	CU_ASSERT_EQUAL(ifc_default_handling(all[0]), IFC_DH_TERMINATE);
	ASSERT_STR(ifc_service_info(all[0]), "one-a");
	CU_ASSERT_EQUAL(ifc_priority(all[1]), 1);
	CU_ASSERT_EQUAL(ifc_priority(all[2]), 3);
	CU_ASSERT_EQUAL(ifc_default_handling(all[2]), IFC_DH_CONTINUE);
	CU_ASSERT_PTR_NULL(ifc_service_info(all[2]));
	CU_ASSERT_EQUAL(ifc_priority(all[3]), 5);

	ASSERT_STR(ifc_case_name(IFC_ORIG), "originating");
	ASSERT_STR(ifc_case_name(IFC_TERM_UNREG),
		   "terminating_unregistered");
	ASSERT_STR(ifc_case_name(IFC_ORIG_CDIV), "originating_cdiv");
	CU_ASSERT_EQUAL(ifc_profile_count(NULL), 0);

	mem_deref(p);
}


/* B.2.2 ProfilePartIndicator: the part follows the session case, the
 * trigger point still has its say. */
static void test_profile_part(void)
{
	static const char yaml[] =
		"ifc:\n"
		"  - {priority: 0, as: 'sip:reg.test', profile_part: "
		"registered}\n"
		"  - {priority: 1, as: 'sip:unreg.test', profile_part: "
		"unregistered,\n"
		"     trigger: {spt: [{method: INVITE}]}}\n"
		"  - {priority: 2, as: 'sip:any.test'}\n";
	static const struct {
		enum ifc_case scase;
		const char *method;
		const char *first, *second;
	} casev[] = {
		{IFC_ORIG, "INVITE", "sip:reg.test", "sip:any.test"},
		{IFC_TERM_REG, "INVITE", "sip:reg.test", "sip:any.test"},
		{IFC_ORIG_CDIV, "INVITE", "sip:reg.test", "sip:any.test"},
		{IFC_TERM_UNREG, "INVITE", "sip:unreg.test", "sip:any.test"},
		{IFC_ORIG_UNREG, "INVITE", "sip:unreg.test", "sip:any.test"},
		{IFC_TERM_UNREG, "MESSAGE", "sip:any.test", NULL},
	};
	struct ifc_profile *p = NULL;
	char err[256] = "";
	size_t i;

	CU_ASSERT_EQUAL_FATAL(load(&p, yaml, err, sizeof(err)), 0);

	for (i = 0; i < ARRAY_SIZE(casev); i++) {
		struct ifc_req req = {.method = casev[i].method,
				      .scase = casev[i].scase};
		const struct ifc *f;
		size_t idx = 0;

		f = ifc_profile_next(p, &req, &idx);
		ASSERT_STR(ifc_as(f), casev[i].first);
		f = ifc_profile_next(p, &req, &idx);
		if (casev[i].second) {
			ASSERT_STR(ifc_as(f), casev[i].second);
		}
		else {
			CU_ASSERT_PTR_NULL(f);
		}
	}

	mem_deref(p);
}


static void test_empty_profile(void)
{
	static const struct ifc_req req = {.method = "INVITE"};
	struct ifc_profile *p = NULL;
	char err[256] = "";
	size_t idx = 0;

	CU_ASSERT_EQUAL_FATAL(load(&p, "{}", err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(ifc_profile_count(p), 0);
	CU_ASSERT_PTR_NULL(ifc_profile_next(p, &req, &idx));
	CU_ASSERT_EQUAL(idx, 0);
	mem_deref(p);
}


/* ---- loader errors: the whole message, file:line:col included ---- */

struct err_case {
	const char *yaml;
	const char *err;
};

#define IFC0 "ifc:\n  - priority: 0\n    as: sip:as.test\n"
#define TRIG IFC0 "    trigger:\n      spt:\n"
#define P "t.yaml:"
#define S0 "profiles.p.ifc[0].trigger.spt[0]"

static const struct err_case errv[] = {
	{TRIG SPT("{method: INVITE, methd: X}"),
	 P "6:28: unknown key 'methd' in " S0},
	{TRIG SPT("{method: register}"),
	 P "6:20: " S0 ".method: 'register' would never match: SIP methods "
	 "are case-sensitive; did you mean 'REGISTER'?"},
	{TRIG SPT("{method: 'IN VITE'}"),
	 P "6:20: " S0 ".method: 'IN VITE' is not a SIP method (a token: "
	 "letters, digits and -.!%*_+`'~)"},
	{TRIG SPT("{request_uri: '('}"),
	 P "6:25: " S0 ".request_uri: bad regex '(': Unmatched ( or \\("},
	{TRIG SPT("{method: INVITE}")
	 SPT("{header: {name: Event, content: '[a'}}"),
	 P "7:43: profiles.p.ifc[0].trigger.spt[1].header.content: bad "
	 "regex '[a': Unmatched [, [^, [:, [., or [="},
	{TRIG SPT("{sdp: {line: m, content: 'a{1'}}"),
	 P "6:36: " S0 ".sdp.content: bad regex 'a{1': Unmatched \\{"},
	{"ifc:\n  - priority: 0\n",
	 P "2:5: profiles.p.ifc[0]: missing 'as'"},
	{"ifc:\n  - as: sip:as.test\n",
	 P "2:5: profiles.p.ifc[0]: missing 'priority'"},
	{"ifc:\n  - {as: sip:as.test, priority: high}\n",
	 P "2:33: profiles.p.ifc[0].priority must be a whole number, not "
	 "'high'"},
	{TRIG SPT("{session_case: orig}"),
	 P "6:26: " S0 ".session_case: 'orig' is not originating, "
	 "terminating_registered, terminating_unregistered, "
	 "originating_unregistered, originating_cdiv or 0-4"},
	{TRIG SPT("{session_case: 5}"),
	 P "6:26: " S0 ".session_case: '5' is not originating, "
	 "terminating_registered, terminating_unregistered, "
	 "originating_unregistered, originating_cdiv or 0-4"},
	{IFC0 "    default_handling: stop\n",
	 P "4:23: profiles.p.ifc[0].default_handling: 'stop' is not "
	 "continue or terminate"},
	{TRIG SPT("{method: INVITE, header: {name: Event}}"),
	 P "6:28: " S0 ": both 'method' and 'header'; an SPT holds exactly "
	 "one condition"},
	{TRIG SPT("{group: 1, negated: true}"),
	 P "6:11: " S0 ": no condition; give one of method, request_uri, "
	 "header, session_case, sdp"},
	{"ifc:\n  - priority: 0\n    as: mailto:x@y\n",
	 P "3:9: profiles.p.ifc[0].as: 'mailto:x@y' is not a SIP URI"},
	{TRIG SPT("{group: x, method: A}"),
	 P "6:19: " S0 ".group must be a whole number, not 'x'"},
	{TRIG SPT("{group: [0, -1], method: A}"),
	 P "6:23: " S0 ".group must be a whole number, not '-1'"},
	{TRIG SPT("{group: [], method: A}"),
	 P "6:19: " S0 ".group must list at least one group"},
	{IFC0 "    trigger:\n      spt: []\n",
	 P "5:12: profiles.p.ifc[0].trigger.spt must be a list of at least "
	 "one SPT"},
	{IFC0 "    trigger: {cnf: true}\n",
	 P "4:14: profiles.p.ifc[0].trigger: missing 'spt'"},
	{IFC0 "    trigger:\n      cnf: maybe\n      spt: [{method: A}]\n",
	 P "5:12: profiles.p.ifc[0].trigger.cnf must be true or false, not "
	 "'maybe'"},
	{TRIG SPT("{negated: 1, method: A}"),
	 P "6:21: " S0 ".negated must be true or false, not '1'"},
	{TRIG SPT("{sdp: {line: mm, content: x}}"),
	 P "6:24: " S0 ".sdp.line: 'mm' is not an SDP line type (one "
	 "letter, as in 'm')"},
	{TRIG SPT("{header: {content: x}}"),
	 P "6:20: " S0 ".header: missing 'name'"},
	{TRIG SPT("{header: Event}"),
	 P "6:20: " S0 ".header must be a mapping"},
	{TRIG SPT("{method: ''}"),
	 P "6:20: " S0 ".method must not be empty"},
	{TRIG SPT("{method: [A, B]}"),
	 P "6:20: " S0 ".method must be a scalar"},
	{"ifc: {}\n", P "1:6: profiles.p.ifc must be a list"},
	{"[1]\n", P "1:1: profiles.p must be a mapping"},
	{"ifcs: []\n", P "1:1: unknown key 'ifcs' in profiles.p"},
	{"ifc:\n  - {priority: 0, as: sip:a.b}\n  - {priority: 1, as: x}\n",
	 P "3:23: profiles.p.ifc[1].as: 'x' is not a SIP URI"},
	{IFC0 "    service_info: [a]\n",
	 P "4:19: profiles.p.ifc[0].service_info must be a scalar"},
	{IFC0 "    profile_part: both\n",
	 P "4:19: profiles.p.ifc[0].profile_part: 'both' is not registered "
	 "or unregistered"},
	{TRIG SPT("{method: INVITE, registration_type: [initial]}"),
	 P "6:47: " S0 ".registration_type goes with method: REGISTER only "
	 "(TS 29.228 B.2.2)"},
	{TRIG SPT("{session_case: 0, registration_type: initial}"),
	 P "6:48: " S0 ".registration_type goes with method: REGISTER only "
	 "(TS 29.228 B.2.2)"},
	{TRIG SPT("{method: REGISTER, registration_type: [first]}"),
	 P "6:50: " S0 ".registration_type: 'first' is not initial, "
	 "re-registration or de-registration"},
	{TRIG SPT("{method: REGISTER, registration_type: [initial, initial]}"),
	 P "6:59: " S0 ".registration_type: 'initial' twice"},
	{TRIG SPT("{method: REGISTER, registration_type: []}"),
	 P "6:49: " S0 ".registration_type must list at least one of "
	 "initial, re-registration, de-registration"},
	{"shared_ifc_sets: [3]\n",
	 P "1:19: profiles.p.shared_ifc_sets[0]: no shared iFC set 3 in "
	 "shared_ifc_sets"},
	{"shared_ifc_sets: 3\n",
	 P "1:18: profiles.p.shared_ifc_sets must be a list of set ids"},
};


static void test_errors(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(errv); i++) {
		struct ifc_profile *p = NULL;
		char err[512] = "";

		CU_ASSERT_EQUAL(load(&p, errv[i].yaml, err, sizeof(err)),
				EINVAL);
		CU_ASSERT_PTR_NULL(p);
		if (strcmp(err, errv[i].err))
			fprintf(stderr, "\nerror case %zu:\n  got  %s\n"
				"  want %s\n", i, err, errv[i].err);
		ASSERT_STR(err, errv[i].err);
		mem_deref(p);
	}
}


int test_ifc_suite(void)
{
	CU_pSuite s = CU_add_suite("ifc", NULL, NULL);

	if (!s ||
	    !CU_add_test(s, "trigger points", test_triggers) ||
	    !CU_add_test(s, "no trigger point", test_no_trigger) ||
	    !CU_add_test(s, "priority order and next", test_priority) ||
	    !CU_add_test(s, "profile part indicator", test_profile_part) ||
	    !CU_add_test(s, "empty profile", test_empty_profile) ||
	    !CU_add_test(s, "loader errors", test_errors))
		return CU_get_error();

	return 0;
}
