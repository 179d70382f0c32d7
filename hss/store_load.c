/* SPDX-License-Identifier: BSD-3-Clause */
/* store_load: what a topology load writes into the HSS's database, in
 * one transaction that replaces what was there. */

#include <string.h>
#include <sqlite3.h>
#include <re.h>
#include "hss.h"
#include "hssint.h"
#include "storeint.h"

/* The topology is the source of truth: a load replaces what was there */
static const char clear[] =
	"DELETE FROM spt_group; DELETE FROM spt; DELETE FROM ifc;"
	"DELETE FROM profile; DELETE FROM impu; DELETE FROM regset;"
	"DELETE FROM subscriber;";


/* ---- loading ---- */

int hss_db_begin(struct hss *hss)
{
	if (!hss)
		return EINVAL;

	if (sqlite3_exec(hss->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		return EIO;

	if (sqlite3_exec(hss->db, clear, NULL, NULL, NULL) != SQLITE_OK) {
		(void)sqlite3_exec(hss->db, "ROLLBACK", NULL, NULL, NULL);
		return EIO;
	}

	return 0;
}


int hss_db_end(struct hss *hss, bool commit)
{
	if (!hss)
		return EINVAL;

	return sqlite3_exec(hss->db, commit ? "COMMIT" : "ROLLBACK", NULL,
			    NULL, NULL) == SQLITE_OK ? 0 : EIO;
}


const char *hss_db_errmsg(const struct hss *hss)
{
	return hss ? sqlite3_errmsg(hss->db) : "";
}


/* "initial,de-registration": the RegistrationTypes by name */
static void regtypes_str(char *buf, size_t sz, unsigned regtypes)
{
	int r, n = 0;

	buf[0] = '\0';
	for (r = IFC_REG_INITIAL; r <= IFC_REG_DE; r++) {
		if (regtypes & (1u << r))
			n += re_snprintf(buf + n, sz - n, "%s%s", n ? "," : "",
					 ifc_reg_name(r));
	}
}


static int spt_store(struct hss *hss, const char *pname, size_t ifcpos,
		     size_t pos, const struct spt *spt)
{
	sqlite3_stmt *st = hss->stv[ST_INS_SPT];
	char scase[4], regs[64];
	size_t i;
	int e;

	(void)re_snprintf(scase, sizeof(scase), "%d", spt->scase);
	regtypes_str(regs, sizeof(regs), spt->regtypes);

	(void)st_bind_text(st, 1, pname);
	(void)sqlite3_bind_int64(st, 2, (sqlite3_int64)ifcpos);
	(void)sqlite3_bind_int64(st, 3, (sqlite3_int64)pos);
	(void)sqlite3_bind_int(st, 4, spt->negated);
	(void)st_bind_text(st, 5, spt_type_name(spt->type));
	(void)st_bind_text(st, 6, spt->type == SPT_SESSION_CASE ? scase :
			spt->str);
	(void)st_bind_text(st, 7, spt->content);
	(void)st_bind_text(st, 8, regs[0] ? regs : NULL);

	e = st_exec(st);
	if (e)
		return e;

	st = hss->stv[ST_INS_GROUP];
	for (i = 0; i < spt->groupc; i++) {
		(void)st_bind_text(st, 1, pname);
		(void)sqlite3_bind_int64(st, 2, (sqlite3_int64)ifcpos);
		(void)sqlite3_bind_int64(st, 3, (sqlite3_int64)pos);
		(void)sqlite3_bind_int64(st, 4, spt->groupv[i]);

		e = st_exec(st);
		if (e)
			return e;
	}

	return 0;
}


/* The profile as rows, so that the database alone shows each user's
 * services: ifc, then spt and spt_group (TS 29.228 B.2.2 shape). */
int hss_db_profile(struct hss *hss, const struct ifc_profile *p)
{
	sqlite3_stmt *st;
	size_t i, j;
	int e;

	if (!hss || !p)
		return EINVAL;

	st = hss->stv[ST_INS_PROFILE];
	(void)st_bind_text(st, 1, p->name);
	e = st_exec(st);
	if (e)
		return e;

	for (i = 0; i < p->ifcc; i++) {
		const struct ifc *ifc = p->ifcv[i];

		st = hss->stv[ST_INS_IFC];
		(void)st_bind_text(st, 1, p->name);
		(void)sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
		(void)sqlite3_bind_int(st, 3, ifc->priority);
		(void)st_bind_text(st, 4, ifc->as);
		(void)sqlite3_bind_int(st, 5, ifc->dh);
		(void)st_bind_text(st, 6, ifc->service_info);
		if (ifc->sptc)
			(void)sqlite3_bind_int(st, 7, ifc->cnf);
		else
			(void)sqlite3_bind_null(st, 7);
		if (ifc->part != IFC_PART_ANY)
			(void)sqlite3_bind_int(st, 8, ifc->part ==
					       IFC_PART_UNREG);
		else
			(void)sqlite3_bind_null(st, 8);
		if (ifc->shared)
			(void)sqlite3_bind_int64(st, 9, ifc->set_id);
		else
			(void)sqlite3_bind_null(st, 9);

		e = st_exec(st);
		if (e)
			return e;

		for (j = 0; j < ifc->sptc; j++) {
			e = spt_store(hss, p->name, i, j, &ifc->sptv[j]);
			if (e)
				return e;
		}
	}

	return 0;
}


static void bind_src(sqlite3_stmt *st, int i, const struct hss_src *src)
{
	(void)sqlite3_bind_int64(st, i, src ? src->line : 0);
	(void)sqlite3_bind_int64(st, i + 1, src ? src->col : 0);
	(void)sqlite3_bind_int64(st, i + 2, src ? src->n : 0);
}


int hss_db_sub(struct hss *hss, const char *impi, const char *password,
	       const char *profile, const struct hss_src *src,
	       const struct hss_aka *aka, const struct hss_caps *caps)
{
	sqlite3_stmt *st;

	if (!hss || !impi || !password)
		return EINVAL;

	st = hss->stv[ST_INS_SUB];
	(void)st_bind_text(st, 1, impi);
	(void)st_bind_text(st, 2, password);
	(void)st_bind_text(st, 3, profile ? profile : "");
	bind_src(st, 4, src);
	(void)st_bind_text(st, 7, aka && aka->auth ? aka->auth : "digest");
	if (aka && aka->has_key) {
		(void)sqlite3_bind_blob(st, 8, aka->key.k, AKA_KEY,
					SQLITE_TRANSIENT);
		(void)sqlite3_bind_blob(st, 9, aka->key.opc, AKA_KEY,
					SQLITE_TRANSIENT);
		(void)sqlite3_bind_blob(st, 10, aka->key.amf, AKA_AMF,
					SQLITE_TRANSIENT);
	}
	(void)sqlite3_bind_int64(st, 11, aka ? (sqlite3_int64)aka->sqn : 0);
	(void)st_bind_text(st, 12, caps && caps->mand ? caps->mand : "");
	(void)st_bind_text(st, 13, caps && caps->opt ? caps->opt : "");
	(void)st_bind_text(st, 14, caps && caps->servers ? caps->servers :
			   "");

	return st_exec(st);
}


int hss_db_impu(struct hss *hss, const struct hss_impu_row *r,
		const struct hss_src *src)
{
	sqlite3_stmt *st;

	if (!hss || !r || !r->uri || !r->key || !r->impi)
		return EINVAL;

	st = hss->stv[ST_INS_IMPU];
	(void)st_bind_text(st, 1, r->uri);
	(void)st_bind_text(st, 2, r->impi);
	(void)sqlite3_bind_int64(st, 3, (sqlite3_int64)r->pos);
	bind_src(st, 4, src);
	(void)st_bind_text(st, 7, r->key);
	(void)sqlite3_bind_int64(st, 8, r->iset);
	(void)sqlite3_bind_int(st, 9, r->barred);
	(void)st_bind_text(st, 10, r->profile ? r->profile : "");
	(void)sqlite3_bind_int(st, 11, r->wild);

	return st_exec(st);
}


int hss_db_src(struct hss *hss, const char *impi, const char *key,
	       struct hss_src *src)
{
	sqlite3_stmt *st;
	int rc;

	if (!hss || !impi || !src)
		return EINVAL;

	st = hss->stv[key ? ST_SRC_IMPU : ST_SRC_SUB];
	(void)st_bind_text(st, 1, impi);
	if (key)
		(void)st_bind_text(st, 2, key);

	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		src->line = (unsigned)sqlite3_column_int64(st, 0);
		src->col = (unsigned)sqlite3_column_int64(st, 1);
		src->n = (uint32_t)sqlite3_column_int64(st, 2);
	}
	st_done(st);

	return rc == SQLITE_ROW ? 0 : ENOENT;
}
