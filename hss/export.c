/* SPDX-License-Identifier: BSD-3-Clause */
/* export: every subscriber of an HSS as the IMSSubscription TS 29.228
 * gives an S-CSCF: its public identities grouped in one ServiceProfile
 * per service profile (TS 29.228 B.2.1: a ServiceProfile lists the IMPUs
 * that share it), in the order the topology gave them.  The implicit
 * registration sets are not the document's (the Cx answers carry them),
 * and neither are passwords nor keys. */

#include <string.h>
#include <sqlite3.h>
#include <re.h>
#include "hss.h"
#include "hssint.h"
#include "storeint.h"

/* One IMPU row of the IMPI */
struct row {
	char uri[HSS_ID_MAX];
	char profile[HSS_ID_MAX];
	bool barred;
	bool wild;
};

/* One IMPI's rows and the document made of them */
struct sub_rows {
	struct row *rowv;
	size_t rowc, rown;
	struct hss_xml_impu *impuv;     /* rowc, grouped by profile */
	struct hss_xml_sp *spv;
	size_t spc;
};


static int rows_read(struct sub_rows *r, struct hss *hss, const char *impi)
{
	sqlite3_stmt *st = hss->stv[ST_EXP_IMPUS];
	int rc = SQLITE_DONE, err = 0;

	r->rowc = 0;
	(void)st_bind_text(st, 1, impi);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct row *w;

		if (r->rowc == r->rown) {
			size_t n = r->rown ? 2 * r->rown : 8;
			struct row *v = r->rowv ?
				mem_realloc(r->rowv, n * sizeof(*v)) :
				mem_alloc(n * sizeof(*v), NULL);

			if (!v) {
				err = ENOMEM;
				break;
			}
			r->rowv = v;
			r->rown = n;
		}

		w = &r->rowv[r->rowc++];
		st_col_copy(w->uri, st, 0);
		w->barred = sqlite3_column_int(st, 1) != 0;
		st_col_copy(w->profile, st, 2);
		w->wild = sqlite3_column_int(st, 3) != 0;
	}
	if (!err && rc != SQLITE_DONE)
		err = EIO;
	st_done(st);

	return err;
}


/* The rows grouped by profile, each group a ServiceProfile, in the
 * order each profile first comes. */
static int rows_group(struct sub_rows *r, struct hss *hss)
{
	size_t i, j, n = 0;

	r->impuv = mem_zalloc(r->rowc * sizeof(*r->impuv), NULL);
	r->spv = mem_zalloc(r->rowc * sizeof(*r->spv), NULL);
	if (!r->impuv || !r->spv)
		return ENOMEM;

	r->spc = 0;
	for (i = 0; i < r->rowc; i++) {
		const char *prof = r->rowv[i].profile;
		struct hss_xml_sp *sp;

		for (j = 0; j < i; j++) {
			if (!strcmp(r->rowv[j].profile, prof))
				break;
		}
		if (j < i)
			continue;

		sp = &r->spv[r->spc++];
		sp->impuv = &r->impuv[n];
		sp->profile = prof[0] ? hss_profile_find(hss, prof) : NULL;
		sp->name = sp->profile ? prof : NULL;

		for (j = i; j < r->rowc; j++) {
			const struct row *w = &r->rowv[j];
			struct hss_xml_impu *u = &r->impuv[n];

			if (strcmp(w->profile, prof))
				continue;

			u->uri = w->uri;
			u->barred = w->barred;
			u->type = w->wild ? HSS_ID_WILDCARDED : HSS_ID_IMPU;
			++sp->impuc;
			++n;
		}
	}

	return 0;
}


static int sub_export(struct sub_rows *r, struct hss *hss, const char *impi,
		      hss_export_h *h, void *arg)
{
	struct hss_xml_sub sub;
	int err;

	err = rows_read(r, hss, impi);
	if (err || !r->rowc)
		return err;

	err = rows_group(r, hss);
	if (!err) {
		sub.impi = impi;
		sub.spv = r->spv;
		sub.spc = r->spc;
		err = h(&sub, arg);
	}

	r->impuv = mem_deref(r->impuv);
	r->spv = mem_deref(r->spv);

	return err;
}


int hss_export(struct hss *hss, hss_export_h *h, void *arg)
{
	struct sub_rows r;
	sqlite3_stmt *st;
	char impi[HSS_ID_MAX];
	int rc = SQLITE_DONE, err = 0;

	if (!hss || !h)
		return EINVAL;

	memset(&r, 0, sizeof(r));
	st = hss->stv[ST_EXP_SUBS];
	while (!err && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		st_col_copy(impi, st, 0);
		err = sub_export(&r, hss, impi, h, arg);
	}
	if (!err && rc != SQLITE_DONE)
		err = EIO;
	st_done(st);

	mem_deref(r.rowv);

	return err;
}
