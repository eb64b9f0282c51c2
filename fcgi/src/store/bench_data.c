/* Bulk lead generation with INSERT … SELECT over MariaDB's sequence engine:
 * each batch is a handful of prepared statements over seq_1_to_100000,
 * shifted by the batch's base id. Needs the demo settings (statuses, users). */
#include "store/bench_data.h"

#include "core/result.h"

#include <stdio.h>

#define BATCH 100000LL

/* Parameters: base, count. New ids are base + seq. */
static const char SQL_LEADS[] =
    "INSERT INTO leads (id, first_name, last_name, street, city, region, postal_code, country,"
    " incomplete, probability, target_amount, status_id, state, owner_id, group_id, start_date,"
    " created_at, updated_at, touched_at, follow_up_at, call_state, call_state_at, archived_at,"
    " idle_since)"
    " SELECT ? + s.seq,"
    " ELT(1 + s.seq % 12, 'Ada','Ben','Chloe','Dev','Elena','Farid','Grace','Hiro','Iris','Jonas','Kemal','Lena'),"
    " ELT(1 + (s.seq * 7) % 11, 'Bar','Kim','Lopez','Nguyen','Okafor','Patel','Quinn','Rossi','Smith','Tanaka','Weber'),"
    " CONCAT(s.seq % 997, ' Main St'), ELT(1 + s.seq % 3, 'Springfield','Chicago','Peoria'), 'IL',"
    " LPAD(60000 + s.seq % 3000, 5, '0'), 'US', 0, s.seq % 101, (s.seq % 5000) + 0.5,"
    " st.id, st.state,"
    " IF(s.seq % 9 = 4, NULL, (SELECT u.id FROM users u WHERE u.role = 'agent' ORDER BY u.id"
    "    LIMIT 1 OFFSET 0) + (s.seq % 2)),"
    " (SELECT MIN(id) FROM org_groups),"
    " UTC_TIMESTAMP(6) - INTERVAL (s.seq % 400) DAY, UTC_TIMESTAMP(6) - INTERVAL (s.seq % 400) DAY,"
    " UTC_TIMESTAMP(6) - INTERVAL (s.seq % 10) DAY,"
    /* call-log columns consistent with now, so a pass now moves nothing and
     * a pass hours later moves the leads whose time ran out meanwhile */
    " UTC_TIMESTAMP(6) - INTERVAL CASE s.seq % 9"
    "   WHEN 0 THEN s.seq % 48 WHEN 1 THEN 25 + s.seq % 20 WHEN 2 THEN s.seq % 40"
    "   WHEN 3 THEN 48 + s.seq % 20 WHEN 4 THEN 400 WHEN 5 THEN 96 + s.seq % 48"
    "   WHEN 6 THEN 48 + s.seq % 20 WHEN 7 THEN s.seq % 40 ELSE 100 END HOUR,"
    " CASE s.seq % 9 WHEN 0 THEN UTC_TIMESTAMP(6) + INTERVAL (1 + s.seq % 300) HOUR"
    "   WHEN 1 THEN UTC_TIMESTAMP(6) - INTERVAL (1 + s.seq % 20) HOUR ELSE NULL END,"
    " ELT(1 + s.seq % 9, 'scheduled','missed','not_scheduled','past_due','available',"
    "   'abandoned','past_due','not_scheduled','archived'),"
    " UTC_TIMESTAMP(6) - INTERVAL CASE s.seq % 9 WHEN 4 THEN 150 WHEN 5 THEN s.seq % 96"
    "   ELSE 1 END HOUR,"
    " IF(s.seq % 9 = 8, UTC_TIMESTAMP(6) - INTERVAL 3 DAY, NULL),"
    " UTC_TIMESTAMP(6) - INTERVAL CASE s.seq % 9"
    "   WHEN 0 THEN s.seq % 48 WHEN 1 THEN 1 + s.seq % 20 WHEN 2 THEN s.seq % 40"
    "   WHEN 3 THEN 48 + s.seq % 20 WHEN 4 THEN 400 WHEN 5 THEN 96 + s.seq % 48"
    "   WHEN 6 THEN 48 + s.seq % 20 WHEN 7 THEN s.seq % 40 ELSE 100 END HOUR"
    " FROM seq_1_to_100000 s"
    " JOIN (SELECT id, state, ROW_NUMBER() OVER (ORDER BY id) - 1 AS k FROM statuses"
    "       WHERE active = 1) st ON st.k = s.seq % (SELECT COUNT(*) FROM statuses WHERE active = 1)"
    " WHERE s.seq <= ?";
static const char SQL_PHONES[] =
    "INSERT INTO lead_phones (lead_id, position, phone, digits)"
    " SELECT ? + s.seq, 0, CONCAT('+1 555 ', LPAD((? + s.seq) % 10000000, 7, '0')),"
    " CONCAT('1555', LPAD((? + s.seq) % 10000000, 7, '0'))"
    " FROM seq_1_to_100000 s WHERE s.seq <= ?";
static const char SQL_EMAILS[] =
    "INSERT INTO lead_emails (lead_id, position, email)"
    " SELECT ? + s.seq, 0, CONCAT('lead', ? + s.seq, '@example.net')"
    " FROM seq_1_to_100000 s WHERE s.seq <= ?";
static const char SQL_CUSTOM[] =
    "INSERT INTO lead_custom_values (lead_id, field_id, seq, value_text)"
    " SELECT ? + s.seq, f.id, 0, ELT(1 + s.seq % 4, 'Delta Dental', 'Aetna', 'Cigna', 'None')"
    " FROM seq_1_to_100000 s JOIN custom_fields f ON f.field_key = 'insurance'"
    " WHERE s.seq <= ?";
static const char SQL_HISTORY[] =
    "INSERT INTO lead_history (lead_id, at, actor_kind, action)"
    " SELECT ? + s.seq, UTC_TIMESTAMP(6) - INTERVAL (s.seq % 400) DAY, 'system', 'created'"
    " FROM seq_1_to_100000 s WHERE s.seq <= ?";
static const char SQL_MAX_ID[] = "SELECT COALESCE(MAX(id), 0) FROM leads";
/* fresh index statistics, so the optimizer plans for the new size at once */
static const char SQL_ANALYZE[] =
    "ANALYZE TABLE leads, lead_phones, lead_emails, lead_custom_values, lead_history";

int lm_bench_data(struct lm_db *db, long long n, void (*progress)(long long done))
{
    struct lm_rows rows;
    long long base, done = 0;
    int rc = lm_db_query(db, &rows, SQL_MAX_ID, "");

    if (rc)
        return rc;
    base = lm_rows_int(&rows, 0, 0, 0);
    lm_rows_free(&rows);
    while (done < n && !rc) {
        long long count = n - done < BATCH ? n - done : BATCH;

        rc = lm_db_begin(db);
        if (!rc)
            rc = lm_db_exec(db, SQL_LEADS, "ii", base, count);
        if (!rc)
            rc = lm_db_exec(db, SQL_PHONES, "iiii", base, base, base, count);
        if (!rc)
            rc = lm_db_exec(db, SQL_EMAILS, "iii", base, base, count);
        if (!rc)
            rc = lm_db_exec(db, SQL_CUSTOM, "ii", base, count);
        if (!rc)
            rc = lm_db_exec(db, SQL_HISTORY, "ii", base, count);
        if (!rc)
            rc = lm_db_commit(db);
        if (rc)
            lm_db_rollback(db);
        base += count;
        done += count;
        if (!rc && progress)
            progress(done);
    }
    if (!rc) {
        struct lm_rows arows;
        rc = lm_db_query(db, &arows, SQL_ANALYZE, "");
        if (!rc)
            lm_rows_free(&arows);
    }
    return rc;
}
