/* SPDX-License-Identifier: BSD-3-Clause */
/* The reginfo document: an encode/decode round trip field by field (the
 * GRUUs, +sip.instance, '&', '<' and quotes escaped), a hand-written
 * document with extensions to skip, each decode error with its line and
 * nothing from libxml2 on stderr, the look-ups and names, and a
 * subscriber's view through full, partial, stale and gapped NOTIFYs. */

#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <re.h>
#include "reginfo.h"
#include "tests.h"

#define XML_HEAD "<?xml version=\"1.0\"?>\n"
#define ROOT(v, st) "<reginfo xmlns=\"" REGINFO_NS "\" version=\"" v \
	"\" state=\"" st "\">\n"

static const char uri_odd[] = "sip:a@127.0.1.5:5060;x=\"&<'\"";
static const char name_odd[] = "Al \"&\" <Co> 'x'";
static const char instance[] = "\"<urn:uuid:00000000-0000-1000-8000-1>\"";


static int decode_str(struct reginfo **rip, const char *xml, char *err,
		      size_t sz)
{
	return reginfo_decode(rip, xml, strlen(xml), err, sz);
}


/* alice with one contact carrying every optional, bob with a bare one. */
static struct reginfo *doc_make(void)
{
	struct reginfo_contact *ct;
	struct reginfo_reg *reg;
	struct reginfo *ri;

	CU_ASSERT_FATAL(!reginfo_alloc(&ri, 42, REGINFO_PARTIAL));
	CU_ASSERT_FATAL(!reginfo_reg_add(&reg, ri, "sip:alice@ims.test",
					 "r1", REGINFO_REG_ACTIVE));
	CU_ASSERT_FATAL(!reginfo_contact_add(&ct, reg, "c1", uri_odd,
					     REGINFO_CT_ACTIVE,
					     REGINFO_EV_SHORTENED));
	ct->has_expires = true;
	ct->expires = 0;
	ct->has_q = true;
	ct->q = 125;
	ct->has_retry_after = true;
	ct->retry_after = 30;
	ct->has_duration = true;
	ct->duration = 4000000000u;
	(void)str_dup(&ct->callid, "a\"b@host");
	ct->has_cseq = true;
	ct->cseq = 77;
	CU_ASSERT_FATAL(!str_dup(&ct->display_name, name_odd));
	CU_ASSERT_FATAL(!reginfo_param_add(ct, "+sip.instance", instance));
	CU_ASSERT_FATAL(!reginfo_param_add(ct, "reg-id", "1"));
	CU_ASSERT_FATAL(!reginfo_param_add(ct, "video", NULL));
	CU_ASSERT_FATAL(!reginfo_contact_gruu(ct, "sip:alice@ims.test;gr=u1",
					      "sip:t1@ims.test;gr", 17));

	CU_ASSERT_FATAL(!reginfo_reg_add(&reg, ri, "sip:bob@ims.test", "r2",
					 REGINFO_REG_TERMINATED));
	CU_ASSERT_FATAL(!reginfo_contact_add(NULL, reg, "c2",
					     "sip:bob@127.0.1.6",
					     REGINFO_CT_TERMINATED,
					     REGINFO_EV_REJECTED));

	return ri;
}


static void test_roundtrip(void)
{
	static const char head[] = XML_HEAD "<reginfo xmlns=\"" REGINFO_NS
		"\" xmlns:gr=\"" REGINFO_GRUU_NS "\" version=\"42\" "
		"state=\"partial\">\n";
	struct reginfo *ri = doc_make(), *back = NULL;
	const struct reginfo_contact *ct;
	const struct reginfo_param *p;
	const struct reginfo_reg *reg;
	struct mbuf *mb = mbuf_alloc(1024);
	char err[128] = "";
	char *xml = NULL;

	CU_ASSERT_FATAL(mb != NULL);
	CU_ASSERT_EQUAL_FATAL(reginfo_encode(mb, ri), 0);
	mb->pos = 0;
	CU_ASSERT_FATAL(!mbuf_strdup(mb, &xml, mb->end));

	CU_ASSERT(!strncmp(xml, head, strlen(head)));
	/* libxml2 escaped them: no raw '<' or '&' inside a value */
	CU_ASSERT(strstr(xml, "<uri>sip:a@127.0.1.5:5060;x=&quot;&amp;&lt;"
			 "'&quot;</uri>") != NULL);
	CU_ASSERT(strstr(xml, "q=\"0.125\"") != NULL);

	CU_ASSERT_EQUAL_FATAL(decode_str(&back, xml, err, sizeof(err)), 0);
	ASSERT_STR(err, "");
	CU_ASSERT_EQUAL(back->version, 42);
	CU_ASSERT_EQUAL(back->state, REGINFO_PARTIAL);
	CU_ASSERT_EQUAL_FATAL(list_count(&back->regl), 2);

	reg = list_head(&back->regl)->data;
	ASSERT_STR(reg->aor, "sip:alice@ims.test");
	ASSERT_STR(reg->id, "r1");
	CU_ASSERT_EQUAL(reg->state, REGINFO_REG_ACTIVE);
	CU_ASSERT_EQUAL_FATAL(list_count(&reg->ctl), 1);
	ct = list_head(&reg->ctl)->data;
	ASSERT_STR(ct->id, "c1");
	ASSERT_STR(ct->uri, uri_odd);
	ASSERT_STR(ct->display_name, name_odd);
	CU_ASSERT_EQUAL(ct->state, REGINFO_CT_ACTIVE);
	CU_ASSERT_EQUAL(ct->event, REGINFO_EV_SHORTENED);
	CU_ASSERT(ct->has_expires && ct->expires == 0);
	CU_ASSERT(ct->has_q && ct->q == 125);
	CU_ASSERT(ct->has_retry_after && ct->retry_after == 30);
	CU_ASSERT(ct->has_duration && ct->duration == 4000000000u);
	ASSERT_STR(ct->callid, "a\"b@host");
	CU_ASSERT(ct->has_cseq && ct->cseq == 77);
	ASSERT_STR(ct->pub_gruu, "sip:alice@ims.test;gr=u1");
	ASSERT_STR(ct->temp_gruu, "sip:t1@ims.test;gr");
	CU_ASSERT_EQUAL(ct->temp_first_cseq, 17);
	CU_ASSERT_EQUAL_FATAL(list_count(&ct->paraml), 3);
	p = list_head(&ct->paraml)->data;
	ASSERT_STR(p->name, "+sip.instance");
	ASSERT_STR(p->value, instance);
	p = list_tail(&ct->paraml)->data;
	ASSERT_STR(p->name, "video");
	CU_ASSERT_PTR_NULL(p->value);
	ASSERT_STR(reginfo_contact_param(ct, "reg-id"), "1");

	reg = list_tail(&back->regl)->data;
	ASSERT_STR(reg->aor, "sip:bob@ims.test");
	CU_ASSERT_EQUAL(reg->state, REGINFO_REG_TERMINATED);
	CU_ASSERT_EQUAL_FATAL(list_count(&reg->ctl), 1);
	ct = list_head(&reg->ctl)->data;
	ASSERT_STR(ct->uri, "sip:bob@127.0.1.6");
	CU_ASSERT_EQUAL(ct->state, REGINFO_CT_TERMINATED);
	CU_ASSERT_EQUAL(ct->event, REGINFO_EV_REJECTED);
	CU_ASSERT(!ct->has_expires && !ct->has_q && !ct->has_retry_after &&
		  !ct->has_duration);
	CU_ASSERT(!ct->display_name && !ct->pub_gruu && !ct->temp_gruu);
	CU_ASSERT_EQUAL(list_count(&ct->paraml), 0);

	mem_deref(xml);
	mem_deref(back);
	mem_deref(mb);
	mem_deref(ri);
}


/* A document as an S-CSCF of another make might send, written for this
 * test: an extension namespace on elements and attributes, a URI split
 * over lines, a registration without contacts. */
static const char doc_joe[] =
	XML_HEAD
	"<reginfo xmlns=\"urn:ietf:params:xml:ns:reginfo\"\n"
	"         xmlns:ex=\"urn:example:reg-ext\"\n"
	"         version=\"1\" state=\"full\" ex:origin=\"scscf2\">\n"
	"  <registration aor=\"sip:joe@ims.test\" id=\"a7\""
	" state=\"active\">\n"
	"    <contact id=\"76\" state=\"active\" event=\"registered\"\n"
	"             duration-registered=\"7322\" q=\"0.8\""
	" ex:colour=\"blue\">\n"
	"      <uri>sip:joe@[2001:db8::5]:5060</uri>\n"
	"      <ex:note><uri>sip:not-this@ims.test</uri></ex:note>\n"
	"    </contact>\n"
	"    <!-- the desk phone's registration ran out -->\n"
	"    <contact id=\"77\" state=\"terminated\" event=\"expired\"\n"
	"             expires=\"0\" q=\"1.000\">\n"
	"      <uri>\n"
	"        sip:joe@127.0.1.9;transport=tcp\n"
	"      </uri>\n"
	"      <display-name xml:lang=\"en\">Joe's desk</display-name>\n"
	"    </contact>\n"
	"    <ex:policy level=\"3\"/>\n"
	"  </registration>\n"
	"  <registration aor=\"tel:+15550100\" id=\"a8\" state=\"init\"/>\n"
	"</reginfo>\n";


static void test_document(void)
{
	struct reginfo *ri = NULL;
	struct reginfo_reg *reg;
	struct reginfo_contact *ct;
	char err[128], *line = NULL;

	CU_ASSERT_EQUAL_FATAL(decode_str(&ri, doc_joe, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(ri->version, 1);
	CU_ASSERT_EQUAL(ri->state, REGINFO_FULL);

	reg = reginfo_reg_find(ri, "sip:joe@ims.test");
	CU_ASSERT_PTR_NOT_NULL_FATAL(reg);
	CU_ASSERT_EQUAL(list_count(&reg->ctl), 2);
	ct = reginfo_contact_find(reg, "sip:joe@127.0.1.9;transport=tcp");
	CU_ASSERT_PTR_NOT_NULL_FATAL(ct);
	ASSERT_STR(ct->id, "77");
	ASSERT_STR(ct->display_name, "Joe's desk");
	CU_ASSERT(ct->has_q && ct->q == 1000);
	ct = reginfo_contact_find_id(reg, "76");
	CU_ASSERT_PTR_NOT_NULL_FATAL(ct);
	ASSERT_STR(ct->uri, "sip:joe@[2001:db8::5]:5060");
	CU_ASSERT(ct->has_duration && ct->duration == 7322);
	CU_ASSERT(!ct->has_expires);

	CU_ASSERT_PTR_NULL(reginfo_reg_find(ri, "sip:nobody@ims.test"));
	reg = reginfo_reg_find_id(ri, "a8");
	CU_ASSERT_PTR_NOT_NULL_FATAL(reg);
	CU_ASSERT_EQUAL(reg->state, REGINFO_REG_INIT);

	CU_ASSERT_FATAL(!re_sdprintf(&line, "%H", reginfo_print, ri));
	ASSERT_STR(line,
		   "sip:joe@ims.test active: sip:joe@[2001:db8::5]:5060 "
		   "active registered q=0.8 duration=7322\n"
		   "sip:joe@ims.test active: sip:joe@127.0.1.9;transport=tcp"
		   " terminated expired expires=0 q=1\n"
		   "tel:+15550100 init: no contact\n");

	mem_deref(line);
	mem_deref(ri);
}


#define JOE "<registration aor=\"sip:joe@ims.test\" id=\"a7\" " \
	"state=\"active\">\n"

static const struct {
	const char *xml;
	const char *err;
} bad[] = {
	{XML_HEAD "<reginfo xmlns=\"" REGINFO_NS "\" state=\"full\"/>\n",
	 "line 2: <reginfo> without 'version'"},
	{XML_HEAD ROOT("x1", "full") "</reginfo>\n",
	 "line 2: <reginfo> version 'x1' is no number"},
	{XML_HEAD "<reginfo xmlns=\"" REGINFO_NS "\" version=\"0\"/>\n",
	 "line 2: <reginfo> without 'state'"},
	{XML_HEAD "<presence xmlns=\"" REGINFO_NS "\"/>\n",
	 "line 2: root <presence>, not <reginfo>"},
	{XML_HEAD "<reginfo xmlns=\"urn:ietf:params:xml:ns:pidf\" "
	 "version=\"0\" state=\"full\"/>\n",
	 "line 2: <reginfo> not in namespace " REGINFO_NS},
	{XML_HEAD ROOT("0", "full") JOE
	 "<contact id=\"1\" state=\"active\">\n<uri>sip:j@h</uri>\n"
	 "</contact>\n</registration>\n</reginfo>\n",
	 "line 4: <contact> without 'event'"},
	{XML_HEAD ROOT("0", "full") JOE
	 "<contact id=\"1\" state=\"active\" event=\"created\"/>\n"
	 "</registration>\n</reginfo>\n",
	 "line 4: <contact> without <uri>"},
	{XML_HEAD ROOT("0", "full")
	 "<registration aor=\"sip:joe@ims.test\" id=\"a7\" state=\"gone\"/>\n"
	 "</reginfo>\n",
	 "line 3: <registration> state 'gone' unknown"},
	{XML_HEAD ROOT("0", "full") JOE
	 "<contact id=\"1\" state=\"active\" event=\"moved\">\n"
	 "<uri>sip:j@h</uri></contact>\n</registration>\n</reginfo>\n",
	 "line 4: <contact> event 'moved' unknown"},
	{XML_HEAD ROOT("0", "full") JOE
	 "<contact id=\"1\" state=\"active\" event=\"created\" q=\"1.5\">\n"
	 "<uri>sip:j@h</uri></contact>\n</registration>\n</reginfo>\n",
	 "line 4: <contact> q '1.5' is no qvalue"},
	{XML_HEAD ROOT("0", "full") JOE
	 "<contact id=\"1\" state=\"active\" event=\"created\">\n"
	 "<uri>sip:j@h</uri>\n<url>sip:j@h</url>\n</contact>\n"
	 "</registration>\n</reginfo>\n",
	 "line 6: <url> unknown in <contact>"},
	{XML_HEAD "<!DOCTYPE reginfo [\n<!ENTITY a \"aaaaaaaa\">\n"
	 "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">\n]>\n"
	 ROOT("0", "full") JOE
	 "<contact id=\"&b;\" state=\"active\" event=\"created\">\n"
	 "<uri>sip:j@h</uri></contact>\n</registration>\n</reginfo>\n",
	 "line 2: DOCTYPE refused: a reginfo document has no DTD"},
	{XML_HEAD ROOT("0", "full") JOE
	 "<contact id=\"&b;\" state=\"active\" event=\"created\">\n",
	 "line 4: Entity 'b' not defined"},
	{XML_HEAD ROOT("0", "full") JOE
	 "<contact id=\"1\" state=\"active\" event=\"created\">\n"
	 "<uri>sip:j@h</uri></contact>\n",
	 "line 6: Premature end of data in tag registration line 3"},
	{"", "line 1: empty document"},
};


static void test_decode_errors(void)
{
	char err[160];
	long out;
	FILE *cap;
	size_t i;
	int fd;

	/* Whatever libxml2 says goes into err: fd 2 is captured around the
	 * whole table and must stay empty. */
	cap = tmpfile();
	CU_ASSERT_FATAL(cap != NULL);
	fflush(stderr);
	fd = dup(STDERR_FILENO);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_FATAL(dup2(fileno(cap), STDERR_FILENO) >= 0);

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		struct reginfo *ri = NULL;
		int e;

		err[0] = '\0';
		e = decode_str(&ri, bad[i].xml, err, sizeof(err));
		CU_ASSERT_EQUAL(e, EBADMSG);
		CU_ASSERT_PTR_NULL(ri);
		ASSERT_STR(err, bad[i].err);
		if (strcmp(err, bad[i].err))
			printf("\ncase %zu: '%s'\n", i, err);
		mem_deref(ri);
	}

	fflush(stderr);
	out = ftell(cap);
	(void)dup2(fd, STDERR_FILENO);
	close(fd);
	fclose(cap);
	CU_ASSERT_EQUAL(out, 0);
}


static void test_names_find(void)
{
	static const char bare[] = "urn:uuid:00000000-0000-1000-8000-1";
	struct reginfo *ri = doc_make();
	struct reginfo_reg *reg, *bob;
	struct reginfo_contact *first;
	enum reginfo_event ev;
	enum reginfo_reg_state rs;
	unsigned i;

	for (i = REGINFO_EV_REGISTERED; i <= REGINFO_EV_REJECTED; i++) {
		const char *name = reginfo_event_name(i);

		CU_ASSERT_EQUAL(reginfo_event_parse(&ev, name), 0);
		CU_ASSERT_EQUAL(ev, i);
	}
	ASSERT_STR(reginfo_event_name(REGINFO_EV_PROBATION), "probation");
	ASSERT_STR(reginfo_event_name(99), "?");
	CU_ASSERT_EQUAL(reginfo_event_parse(&ev, "Registered"), ENOENT);
	CU_ASSERT_EQUAL(reginfo_event_parse(&ev, NULL), EINVAL);
	CU_ASSERT_EQUAL(reginfo_reg_state_parse(&rs, "terminated"), 0);
	CU_ASSERT_EQUAL(rs, REGINFO_REG_TERMINATED);
	ASSERT_STR(reginfo_doc_state_name(REGINFO_PARTIAL), "partial");
	ASSERT_STR(reginfo_ct_state_name(REGINFO_CT_TERMINATED),
		   "terminated");

	reg = reginfo_reg_find(ri, "sip:alice@ims.test");
	CU_ASSERT_PTR_NOT_NULL_FATAL(reg);
	first = list_head(&reg->ctl)->data;
	CU_ASSERT_PTR_EQUAL(reginfo_contact_find_instance(reg, bare), first);
	CU_ASSERT_PTR_EQUAL(reginfo_contact_find_instance(reg, instance),
			    first);
	CU_ASSERT_PTR_NULL(reginfo_contact_find_instance(reg, "urn:uuid:2"));
	CU_ASSERT_PTR_NULL(reginfo_contact_find(reg, "sip:bob@127.0.1.6"));
	bob = reginfo_reg_find(ri, "sip:bob@ims.test");
	CU_ASSERT_PTR_NOT_NULL(reginfo_contact_find(bob,
						    "sip:bob@127.0.1.6"));
	/* Parameter names are case-insensitive (RFC 3261 7.3.1). */
	ASSERT_STR(reginfo_contact_param(first, "REG-ID"), "1");

	mem_deref(ri);
}


/* One NOTIFY's document: version, state, then contacts of sip:a as id,
 * uri, state and event. */
static struct reginfo *ntf(uint32_t v, enum reginfo_doc_state st,
			   const char *rid, size_t n, const char *const *ct)
{
	struct reginfo_reg *reg;
	struct reginfo *ri;
	size_t i;

	CU_ASSERT_FATAL(!reginfo_alloc(&ri, v, st));
	CU_ASSERT_FATAL(!reginfo_reg_add(&reg, ri, "sip:a@ims.test", rid,
					 REGINFO_REG_ACTIVE));
	for (i = 0; i < n; i++) {
		enum reginfo_ct_state cs;
		enum reginfo_event ev;

		CU_ASSERT_FATAL(!reginfo_ct_state_parse(&cs, ct[4 * i + 2]));
		CU_ASSERT_FATAL(!reginfo_event_parse(&ev, ct[4 * i + 3]));
		CU_ASSERT_FATAL(!reginfo_contact_add(NULL, reg, ct[4 * i],
						     ct[4 * i + 1], cs, ev));
	}

	return ri;
}


static void view_is(const struct reginfo *view, const char *want)
{
	char *s = NULL;

	CU_ASSERT_FATAL(!re_sdprintf(&s, "%H", reginfo_print, view));
	ASSERT_STR(s, want);
	mem_deref(s);
}


static void test_apply(void)
{
	static const char *const full0[] = {
		"1", "sip:a@127.0.1.5", "active", "registered",
		"2", "sip:a@127.0.1.7", "active", "registered",
	};
	static const char *const part1[] = {
		"2", "sip:a@127.0.1.7", "terminated", "unregistered",
		"3", "sip:a@127.0.1.8", "active", "created",
	};
	static const char *const full7[] = {
		"9", "sip:a@127.0.1.9", "active", "refreshed",
	};
	struct reginfo *view, *n;
	char err[96];
	const char *after1 =
		"sip:a@ims.test active: sip:a@127.0.1.5 active registered\n"
		"sip:a@ims.test active: sip:a@127.0.1.7 terminated "
		"unregistered\n"
		"sip:a@ims.test active: sip:a@127.0.1.8 active created\n";

	CU_ASSERT_FATAL(!reginfo_alloc(&view, 0, REGINFO_PARTIAL));

	/* A partial before any full state cannot be merged. */
	n = ntf(0, REGINFO_PARTIAL, "r", 1, part1);
	CU_ASSERT_EQUAL(reginfo_apply(view, n, err, sizeof(err)), EPROTO);
	ASSERT_STR(err, "partial version 0 before any full state");
	mem_deref(n);

	n = ntf(0, REGINFO_FULL, "r", 2, full0);
	CU_ASSERT_EQUAL(reginfo_apply(view, n, err, sizeof(err)), 0);
	mem_deref(n);
	CU_ASSERT_EQUAL(view->state, REGINFO_FULL);
	CU_ASSERT_EQUAL(view->version, 0);

	n = ntf(1, REGINFO_PARTIAL, "r", 2, part1);
	CU_ASSERT_EQUAL(reginfo_apply(view, n, err, sizeof(err)), 0);
	mem_deref(n);
	CU_ASSERT_EQUAL(view->version, 1);
	view_is(view, after1);

	/* The same version again: stale, the view unchanged. */
	n = ntf(1, REGINFO_PARTIAL, "r", 1, full7);
	CU_ASSERT_EQUAL(reginfo_apply(view, n, err, sizeof(err)), EALREADY);
	ASSERT_STR(err, "version 1 after 1: stale, ignored");
	mem_deref(n);

	/* Version 3 after 1: one NOTIFY was missed. */
	n = ntf(3, REGINFO_PARTIAL, "r", 1, full7);
	CU_ASSERT_EQUAL(reginfo_apply(view, n, err, sizeof(err)), EPROTO);
	ASSERT_STR(err, "version 3 after 1: a gap, full state needed");
	mem_deref(n);
	CU_ASSERT_EQUAL(view->version, 1);
	view_is(view, after1);

	/* A partial with a new registration id adds it beside the old. */
	n = ntf(2, REGINFO_PARTIAL, "r-b", 1, full7);
	CU_ASSERT_EQUAL(reginfo_apply(view, n, err, sizeof(err)), 0);
	mem_deref(n);
	CU_ASSERT_EQUAL(list_count(&view->regl), 2);

	/* Full state with any version replaces everything. */
	n = ntf(7, REGINFO_FULL, "r", 1, full7);
	CU_ASSERT_EQUAL(reginfo_apply(view, n, err, sizeof(err)), 0);
	mem_deref(n);
	CU_ASSERT_EQUAL(view->version, 7);
	view_is(view, "sip:a@ims.test active: sip:a@127.0.1.9 active "
		"refreshed\n");

	mem_deref(view);
}


int test_reginfo_suite(void)
{
	static CU_TestInfo tests[] = {
		{"encode, decode: every field", test_roundtrip},
		{"decode: a document with extensions", test_document},
		{"decode: each error at its line", test_decode_errors},
		{"names and look-ups", test_names_find},
		{"apply: full, partial, stale, gap", test_apply},
		CU_TEST_INFO_NULL,
	};

	return test_suite_add("reginfo", NULL, NULL, tests);
}
