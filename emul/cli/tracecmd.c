/* SPDX-License-Identifier: BSD-3-Clause */
/* The commands that work on a saved --trace file: show it as a ladder
 * again, or turn it into a capture. */

#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <re.h>
#include "host.h"
#include "sipkit.h"
#include "diam.h"
#include "report.h"
#include "scen.h"
#include "cmd.h"


int trec_decode(struct odict **odp, struct trec *tr, const char *line)
{
	const struct odict_entry *te;
	uint64_t t = 0;
	int err;

	err = json_decode_odict(odp, 8, line, strlen(line), 4);
	if (err)
		return err;

	tr->proto = odict_string(*odp, "proto");
	tr->src = odict_string(*odp, "src");
	tr->dst = odict_string(*odp, "dst");
	tr->raw = odict_string(*odp, "raw");
	if (!tr->proto || !tr->src || !tr->dst || !tr->raw)
		return EPROTO;

	tr->base64 = !str_cmp(odict_string(*odp, "encoding"), "base64");
	te = odict_get_type(*odp, ODICT_DOUBLE, "t");
	tr->t = te ? te->u.dbl :
		(odict_get_number(*odp, &t, "t") ? (double)t : 0);

	return 0;
}


int trec_bytes(const struct trec *tr, struct mbuf **mbp)
{
	size_t n = strlen(tr->raw);
	struct mbuf *mb = mbuf_alloc(n + 1);
	int err;

	if (!mb)
		return ENOMEM;

	if (tr->base64) {
		err = base64_decode(tr->raw, n, mb->buf, &n);
		mb->end = n;
	}
	else {
		err = mbuf_write_mem(mb, (const uint8_t *)tr->raw, n);
	}

	if (err) {
		mem_deref(mb);
		return err;
	}

	mb->pos = 0;
	*mbp = mb;

	return 0;
}


/* All the columns first, in the order the nodes appear, so that the
 * header is printed once. */
static void ladder_columns(struct diagram *dg, FILE *f, char *line,
			   size_t sz)
{
	while (fgets(line, (int)sz, f)) {
		struct odict *od = NULL;

		if (!json_decode_odict(&od, 8, line, strlen(line), 4)) {
			(void)diagram_column(dg, odict_string(od, "src"));
			(void)diagram_column(dg, odict_string(od, "dst"));
		}
		mem_deref(od);
	}
	rewind(f);
}


/* A SIP or HTTP record as an arrow of dg, or else as a ladder line. */
static int decode(const struct trec *tr, struct mbuf *mb,
		  struct sip_msg **smp, struct http_msg **hmp,
		  struct diam **dmp)
{
	if (!strcmp(tr->proto, "diameter"))
		return diam_decode(dmp, mbuf_buf(mb), mbuf_get_left(mb), NULL,
				   0);
	if (!strcmp(tr->proto, "http"))
		return http_msg_decode(hmp, mb, strncmp(tr->raw, "HTTP/", 5));

	return sip_msg_decode(smp, mb);
}


static void ladder_show(struct diagram *dg, const struct trec *tr)
{
	struct sip_msg *sm = NULL;
	struct http_msg *hm = NULL;
	struct diam *dm = NULL;
	struct mbuf *mb = NULL;
	char text[320];

	if (trec_bytes(tr, &mb) || decode(tr, mb, &sm, &hm, &dm)) {
		(void)re_printf("%8.3f  %s -> %s (undecodable)\n", tr->t,
				tr->src, tr->dst);
	}
	else if (dg) {
		(void)ladder_label(text, sizeof(text), sm, hm, dm);
		diagram_arrow(dg, tr->t, tr->src, tr->dst, text);
	}
	else {
		if (dm)
			(void)ladder_diam_line(text, sizeof(text), tr->t,
					       tr->src, tr->dst, dm);
		else if (hm)
			(void)ladder_http_line(text, sizeof(text), tr->t,
					       tr->src, tr->dst, hm);
		else
			(void)ladder_line(text, sizeof(text), tr->t, tr->src,
					  tr->dst, sm);
		(void)re_printf("%s\n", text);
	}
	mem_deref(sm);
	mem_deref(hm);
	mem_deref(dm);
	mem_deref(mb);
}


/* imsbed ladder TRACE: a saved trace shown again, as a diagram or one
 * line per message; media as a count per direction at the end. */
int cmd_ladder(int argc, char *argv[], const struct cli_opts *o)
{
	char line[65536 * 2];
	struct diagram *dg = NULL;
	unsigned lineno = 0, rtp = 0;
	bool columns;
	int rc = 0;
	FILE *f;

	if (argc != 1) {
		(void)re_fprintf(stderr, "imsbed ladder: one TRACE.jsonl\n");
		return EXIT_USAGE;
	}

	f = fopen(argv[0], "r");
	if (!f) {
		(void)re_fprintf(stderr, "imsbed ladder: %s: %m\n", argv[0],
				 errno);
		return EXIT_USAGE;
	}

	columns = o->ladder ? !strcmp(o->ladder, "columns") :
		isatty(STDOUT_FILENO);
	if (columns && diagram_alloc(&dg, isatty(STDOUT_FILENO))) {
		fclose(f);
		return EXIT_USAGE;
	}

	if (dg)
		ladder_columns(dg, f, line, sizeof(line));

	while (fgets(line, sizeof(line), f)) {
		struct odict *od = NULL;
		struct trec tr;

		++lineno;
		if (trec_decode(&od, &tr, line)) {
			(void)re_fprintf(stderr, "imsbed ladder: %s:%u: not a"
					 " trace record\n", argv[0], lineno);
			mem_deref(od);
			rc = 2;
			break;
		}

		if (!strcmp(tr.proto, "rtp"))
			++rtp;
		else
			ladder_show(dg, &tr);
		mem_deref(od);
	}

	if (rtp)
		(void)re_printf("          media: %u SRTP packets\n", rtp);

	fclose(f);
	mem_deref(dg);

	return rc;
}


static void pcap_record(struct pcapw *w, struct msgrec *rec,
			const struct odict *od)
{
	struct trec tr = {.proto = rec->proto};
	struct mbuf *mb = NULL;

	tr.raw = odict_string(od, "raw");
	tr.base64 = !str_cmp(odict_string(od, "encoding"), "base64");
	rec->src = rec->dst = "";
	if (!trec_bytes(&tr, &mb)) {
		rec->raw = mbuf_buf(mb);
		rec->len = mbuf_get_left(mb);
		pcapw_write(w, rec);
	}
	mem_deref(mb);
}


/* imsbed pcap TRACE OUT: a saved trace as a capture.  RTP records hold
 * no packet, only its description, so the capture has SIP and HTTP. */
int cmd_pcap(int argc, char *argv[], const struct cli_opts *o)
{
	struct pcapw *w = NULL;
	char line[65536 * 2];
	unsigned lineno = 0;
	int rc = 0;
	FILE *f;

	if (argc != 2) {
		(void)re_fprintf(stderr,
				 "imsbed pcap: TRACE.jsonl OUT.pcap\n");
		return EXIT_USAGE;
	}

	f = fopen(argv[0], "r");
	if (!f) {
		(void)re_fprintf(stderr, "imsbed pcap: %s: %m\n", argv[0],
				 errno);
		return EXIT_USAGE;
	}

	if (pcapw_open(&w, argv[1])) {
		(void)re_fprintf(stderr, "imsbed pcap: %s: cannot write\n",
				 argv[1]);
		fclose(f);
		return EXIT_USAGE;
	}

	while (fgets(line, sizeof(line), f)) {
		struct odict *od = NULL;
		const char *proto, *tp, *sa, *da, *raw;
		struct msgrec rec;

		++lineno;
		if (json_decode_odict(&od, 8, line, strlen(line), 4)) {
			(void)re_fprintf(stderr, "imsbed pcap: %s:%u: not a"
					 " JSON object\n", argv[0], lineno);
			rc = 2;
			break;
		}

		proto = odict_string(od, "proto");
		tp = odict_string(od, "transport");
		sa = odict_string(od, "src_addr");
		da = odict_string(od, "dst_addr");
		raw = odict_string(od, "raw");
		memset(&rec, 0, sizeof(rec));
		if (!proto || !tp || !sa || !da || !raw ||
		    sa_decode(&rec.src_addr, sa, strlen(sa)) ||
		    sa_decode(&rec.dst_addr, da, strlen(da))) {
			(void)re_fprintf(stderr, "imsbed pcap: %s:%u: needs"
					 " proto, transport, src_addr,"
					 " dst_addr and raw\n", argv[0],
					 lineno);
			mem_deref(od);
			rc = 2;
			break;
		}

		if (strcmp(proto, "rtp")) {
			rec.proto = proto;
			rec.tp = !strcmp(tp, "tcp") ? SIP_TRANSP_TCP :
				SIP_TRANSP_UDP;
			pcap_record(w, &rec, od);
		}
		mem_deref(od);
	}

	fclose(f);
	mem_deref(w);

	return rc;
}
