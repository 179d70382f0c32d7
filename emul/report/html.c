/* SPDX-License-Identifier: BSD-3-Clause */
/* --html: one self-contained page (no fetch of anything) with the run as
 * an SVG sequence diagram.  Each arrow is labelled and clickable to show
 * the whole message; the scenario's steps are marked with their notes;
 * a failure is shown in red at the step where it happened. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <re.h>
#include "host.h"
#include "sipkit.h"
#include "report.h"

enum {
	COL_W = 130, TOP = 70, ROW_H = 24, LEFT = 90, MARK_H = 36,
	MAX_NODES = 32,
};

static const char style[] =
	"body{font-family:sans-serif;margin:16px;color:#222}"
	"h1{font-size:20px}.pass{color:#176f2c}.fail{color:#b00020}"
	"svg text{font-size:12px;font-family:monospace}"
	".life{stroke:#bbb;stroke-dasharray:4 3}"
	".arrow{cursor:pointer}.arrow:hover line{stroke-width:3}"
	".lost line{stroke-dasharray:6 4;opacity:.6}.lost text{opacity:.6}"
	".req line{stroke:#1565c0}.ok line{stroke:#2e7d32}"
	".prov line{stroke:#888}.err line{stroke:#c62828}"
	".http line{stroke:#8e24aa}.diam line{stroke:#ef6c00}"
	".step{fill:#f3f3f3}"
	"#detail{white-space:pre-wrap;background:#fafafa;border:1px solid"
	" #ddd;padding:8px;font-family:monospace;font-size:12px}";


static void esc(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {

		case '<': fputs("&lt;", f);   break;
		case '>': fputs("&gt;", f);   break;
		case '&': fputs("&amp;", f);  break;
		case '"': fputs("&quot;", f); break;
		default:  fputc(*s, f);       break;
		}
	}
}


/* A JavaScript string literal; </script> can never close the block. */
static void js_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\r')
			continue;
		else if (c < 0x20 || c == '<' || c == '>' || c == '&')
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}


/* A page being written: its columns and how far down it has come. */
struct page {
	FILE *f;
	const struct run_view *e;
	enum scen_result res;
	const char *fail;
	char names[MAX_NODES][32];
	size_t n;                       /* columns */
	size_t rows;                    /* messages */
	size_t bad;                     /* the message a failure names */
	double y;
};


static int column(struct page *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		if (!strcmp(p->names[i], name))
			return (int)i;
	}

	if (p->n == MAX_NODES)
		return -1;

	str_ncpy(p->names[p->n], name[0] ? name : "(outside)", 32);

	return (int)p->n++;
}


/* What a fault did, after the arrow's label, as on the ladder line. */
static void fault_label(char *label, size_t sz, unsigned flags)
{
	static const struct {
		unsigned flag;
		const char *text;
	} marks[] = {
		{MSGREC_RETRANS, " [retransmission]"},
		{MSGREC_LOST, " [lost]"},
		{MSGREC_DUP, " [duplicated]"},
		{MSGREC_DELAYED, " [delayed]"},
		{MSGREC_HELD, " [held: reordered]"},
	};
	size_t i, n = strlen(label);

	for (i = 0; i < ARRAY_SIZE(marks) && n < sz; i++) {
		if (flags & marks[i].flag) {
			str_ncpy(label + n, marks[i].text, sz - n);
			n = strlen(label);
		}
	}
}


static const char *kind(const struct lrec *r)
{
	uint16_t sc;

	if (r->dmsg)
		return "diam";
	if (r->hmsg)
		return "http";
	if (r->msg->req)
		return "req";
	sc = r->msg->scode;

	return sc < 200 ? "prov" : sc < 300 ? "ok" : "err";
}


/* Title, verdict, and the diagram's frame: a lifeline per column. */
static void page_head(struct page *p, const char *scenario)
{
	FILE *f = p->f;
	const struct run_view *e = p->e;
	bool pass = p->res == SCEN_PASS;
	size_t i;

	fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\"><head>"
		"<meta charset=\"utf-8\"><title>imsbed: ");
	esc(f, scenario);
	fprintf(f, "</title><style>%s</style></head><body>\n<h1>", style);
	esc(f, scenario);
	fprintf(f, "</h1>\n<p class=\"%s\">%s", pass ? "pass" : "fail",
		pass ? "PASS" : "FAIL: ");
	esc(f, pass ? "" : p->fail);
	fprintf(f, "</p>\n<p>%zu messages; click an arrow for the whole"
		" message.</p>\n", p->rows);

	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%zu\""
		" height=\"%zu\">\n<defs><marker id=\"h\" markerWidth=\"8\""
		" markerHeight=\"8\" refX=\"7\" refY=\"3\" orient=\"auto\">"
		"<path d=\"M0,0 L7,3 L0,6 z\"/></marker></defs>\n",
		LEFT + p->n * COL_W + (pass ? 0 : 900),
		TOP + p->rows * ROW_H + e->nmarks * MARK_H + 60);

	for (i = 0; i < p->n; i++) {
		fprintf(f, "<text x=\"%zu\" y=\"40\" text-anchor=\"middle\">",
			LEFT + i * COL_W);
		esc(f, p->names[i]);
		fprintf(f, "</text><line class=\"life\" x1=\"%zu\" y1=\"50\""
			" x2=\"%zu\" y2=\"%zu\"/>\n", LEFT + i * COL_W,
			LEFT + i * COL_W, TOP + p->rows * ROW_H +
			e->nmarks * MARK_H + 40);
	}
}


/* The steps that begin at message k, with their notes; *mp is the next
 * step to mark. */
static void page_marks(struct page *p, size_t k, size_t *mp)
{
	const struct run_view *e = p->e;
	FILE *f = p->f;

	while (*mp < e->nmarks && e->marks[*mp].first == k) {
		fprintf(f, "<rect class=\"step\" x=\"0\" y=\"%.0f\""
			" width=\"%zu\" height=\"%d\"/><text x=\"4\""
			" y=\"%.0f\">step %zu", p->y - 14, LEFT + p->n * COL_W,
			MARK_H - 14, p->y + 2, *mp + 1);
		if (e->marks[*mp].note) {
			fputs(": ", f);
			esc(f, e->marks[*mp].note);
		}
		fputs("</text>\n", f);
		p->y += MARK_H;
		++*mp;
	}
}


/* Message k as an arrow; the one a failure names framed in red, with
 * what was expected beside it. */
static void page_arrow(struct page *p, const struct lrec *r, size_t k)
{
	FILE *f = p->f;
	char label[160];
	double y = p->y;
	int a, b;

	a = column(p, r->src);
	b = column(p, r->dst);
	(void)ladder_label(label, sizeof(label), r->msg, r->hmsg,
			   r->dmsg);
	fault_label(label, sizeof(label), r->flags);

	fprintf(f, "<g class=\"arrow %s%s\" onclick=\"show(%zu)\">",
		kind(r), r->flags & MSGREC_LOST ? " lost" : "", k);
	if (r->note) {
		fputs("<title>", f);
		esc(f, r->note);
		fputs("</title>", f);
	}
	fprintf(f, "<g>"
		"<line x1=\"%zu\" y1=\"%.0f\" x2=\"%zu\" y2=\"%.0f\""
		" stroke-width=\"1.5\" marker-end=\"url(#h)\"/>"
		"<text x=\"%zu\" y=\"%.0f\" text-anchor=\"middle\">",
		LEFT + (size_t)a * COL_W, y,
		LEFT + (size_t)b * COL_W + (a < b ? -4 : 4), y,
		LEFT + (size_t)(a + b) * COL_W / 2, y - 4);
	esc(f, label);
	fprintf(f, "</text><text x=\"4\" y=\"%.0f\">%.3f</text>"
		"</g></g>\n", y + 4, r->t);
	if (p->bad && r->idx == p->bad) {
		fprintf(f, "<rect x=\"0\" y=\"%.0f\" width=\"%zu\""
			" height=\"%d\" fill=\"none\""
			" stroke=\"#b00020\" stroke-width=\"2\"/>"
			"<text fill=\"#b00020\" x=\"%zu\""
			" y=\"%.0f\">", y - ROW_H + 6,
			LEFT + p->n * COL_W, ROW_H, LEFT + p->n * COL_W + 8,
			y + 4);
		esc(f, p->fail);
		fputs("</text>\n", f);
	}
	p->y += ROW_H;
}


/* Each message whole, for the arrow clicked. */
static void page_script(struct page *p)
{
	FILE *f = p->f;
	struct le *le;

	fputs("</svg>\n<div id=\"detail\">(no message chosen)</div>\n"
	      "<script>\nconst msgs = [\n", f);
	for (le = p->e->recs->head; le; le = le->next) {
		const struct lrec *r = le->data;

		js_str(f, r->raw ? r->raw : r->line);
		fputs(",\n", f);
	}
	fputs("];\nfunction show(i) {\n"
	      "  document.getElementById('detail').textContent = msgs[i];\n"
	      "}\n</script>\n</body></html>\n", f);
}


static void page_column(const char *name, void *arg)
{
	(void)column(arg, name);
}


/* --no-cx: the Cx arrows are left out; the others keep their numbers */
static bool hidden(const struct run_view *v, const struct lrec *r)
{
	return v->no_cx && r->dmsg;
}


int html_write(const char *path, const char *scenario,
	       const struct run_view *e, enum scen_result res,
	       const char *fail)
{
	struct page pg, *p = &pg;
	struct le *le;
	size_t m = 0, k = 0;

	if (!path || !e)
		return EINVAL;

	memset(p, 0, sizeof(*p));
	p->e = e;
	p->res = res;
	p->fail = fail;
	report_columns(page_column, p, e->no_cx);
	for (le = e->recs->head; le; le = le->next) {
		const struct lrec *r = le->data;

		if (hidden(e, r))
			continue;
		(void)column(p, r->src);
		(void)column(p, r->dst);
		++p->rows;
	}

	p->f = fopen(path, "w");
	if (!p->f)
		return errno;

	/* The message a failure names ("#N"). */
	if (res != SCEN_PASS && fail && strstr(fail, "#"))
		p->bad = (size_t)atol(strstr(fail, "#") + 1);

	page_head(p, scenario);

	p->y = TOP;
	for (le = e->recs->head; ; le = le->next, ++k) {
		page_marks(p, k, &m);
		if (!le)
			break;
		if (!hidden(e, le->data))
			page_arrow(p, le->data, k);
	}

	if (res != SCEN_PASS) {
		fputs("<text class=\"fail\" fill=\"#b00020\" x=\"4\"", p->f);
		fprintf(p->f, " y=\"%.0f\">", p->y + 10);
		esc(p->f, fail);
		fputs("</text>\n", p->f);
	}

	page_script(p);

	return fclose(p->f) ? EIO : 0;
}
