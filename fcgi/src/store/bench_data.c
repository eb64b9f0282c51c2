/* Generated data for benchmarks: `leadmap bench-data N` adds N leads that
 * look like a practice's after a year or two of use, so that a benchmark sees
 * the index ranges, row sizes and access patterns of real data.
 *
 * DESIGN: everything is set-based. The 200 bench agents (password demo1234,
 * bench-agent-001@example.com …), 10 groups and 20 units are made with
 * INSERT IGNORE, so a second run reuses them. A small MEMORY table,
 * bench_pick, maps (kind, k) to the ids a lead draws from (agents with their
 * group and unit, every lookup kind, open and closed statuses, products, one
 * custom field per type), so that each generated row finds its references
 * with hash lookups. Leads then come in batches of 100,000: one
 * INSERT … SELECT over seq_1_to_100000 for the rows, and one statement per
 * child table that reads the batch's id range back. Every row's choices come
 * from CRC32 of its id with a salt per choice, so they are independent of one
 * another and the same N gives the same data.
 *
 * The shape (at 1,000,000 leads): lead x belongs to agent x % 200 (about
 * 5,000 each; agent k is in group k % 10 and unit k % 20, even agents also in
 * unit (k + 7) % 20); one lead in ten is assigned to its owner's first unit,
 * one in twenty has a team mate of the same group. Last names come from 200
 * common US surnames (Smith is 1 in 200), first names from 60. Call-log
 * states, as of the generation's now and the default aging settings (past
 * due after 2 days, abandoned after 3, available 5 days after that):
 *   35%  scheduled, follow-up in the next 14 days (2.5% in the next 6 hours)
 *   33%  not scheduled, idle for less than 2 days (a quarter after a passed
 *        follow-up; 8% never touched since created)
 *    8%  missed, follow-up passed within 2 days, untouched since
 *   10%  past due, idle between 2 and 3 days
 *    4%  abandoned, idle 3 to 8 days;  2% available (no owner)
 *    8%  archived
 * Each time is drawn inside its state's window, so an aging pass at the
 * generation's now moves nothing, and one at now + 6 hours moves about 10%
 * (every window's first 6 hours). Phones (95%, a second one 30%), e-mails
 * (90%, a second 10%), notes (60%, a second 20%), history (created; a status
 * edit; the aging step that led to the current call-log state), custom values
 * (70% for each of a text, number, date and dropdown field; bench fields are
 * created when no such field exists), products (40%) and competitors (10%).
 * Foreign-key and unique checks are off for this session only. */
#include "store/bench_data.h"

#include "core/crypto.h"
#include "core/result.h"

#include <stdio.h>

#define BATCH 100000LL

#define FIRST_NAMES \
    "'James','Mary','John','Patricia','Robert','Jennifer','Michael','Linda','William'," \
    "'Elizabeth','David','Barbara','Richard','Susan','Joseph','Jessica','Thomas'," \
    "'Sarah','Charles','Karen','Christopher','Lisa','Daniel','Nancy','Matthew','Betty'," \
    "'Anthony','Margaret','Mark','Sandra','Donald','Ashley','Steven','Kimberly','Paul'," \
    "'Emily','Andrew','Donna','Joshua','Michelle','Kenneth','Carol','Kevin','Amanda'," \
    "'Brian','Dorothy','George','Melissa','Timothy','Deborah','Ronald','Stephanie'," \
    "'Edward','Rebecca','Jason','Sharon','Jeffrey','Laura','Ryan','Cynthia'"

#define LAST_NAMES \
    "'Smith','Johnson','Williams','Brown','Jones','Garcia','Miller','Davis','Rodriguez'," \
    "'Martinez','Hernandez','Lopez','Gonzalez','Wilson','Anderson','Thomas','Taylor'," \
    "'Moore','Jackson','Martin','Lee','Perez','Thompson','White','Harris','Sanchez'," \
    "'Clark','Ramirez','Lewis','Robinson','Walker','Young','Allen','King','Wright'," \
    "'Scott','Torres','Nguyen','Hill','Flores','Green','Adams','Nelson','Baker','Hall'," \
    "'Rivera','Campbell','Mitchell','Carter','Roberts','Gomez','Phillips','Evans'," \
    "'Turner','Diaz','Parker','Cruz','Edwards','Collins','Reyes','Stewart','Morris'," \
    "'Morales','Murphy','Cook','Rogers','Gutierrez','Ortiz','Morgan','Cooper'," \
    "'Peterson','Bailey','Reed','Kelly','Howard','Ramos','Kim','Cox','Ward'," \
    "'Richardson','Watson','Brooks','Chavez','Wood','James','Bennett','Gray','Mendoza'," \
    "'Ruiz','Hughes','Price','Alvarez','Castillo','Sanders','Patel','Myers','Long'," \
    "'Ross','Foster','Jimenez','Powell','Jenkins','Perry','Russell','Sullivan','Bell'," \
    "'Coleman','Butler','Henderson','Barnes','Gonzales','Fisher','Vasquez','Simmons'," \
    "'Romero','Jordan','Patterson','Alexander','Hamilton','Graham','Reynolds','Griffin'," \
    "'Wallace','Moreno','West','Cole','Hayes','Bryant','Herrera','Gibson','Ellis'," \
    "'Tran','Medina','Aguilar','Stevens','Murray','Ford','Castro','Marshall','Owens'," \
    "'Harrison','Fernandez','McDonald','Woods','Washington','Kennedy','Wells','Vargas'," \
    "'Henry','Chen','Freeman','Webb','Tucker','Guzman','Burns','Crawford','Olson'," \
    "'Simpson','Porter','Hunter','Gordon','Mendez','Silva','Shaw','Snyder','Mason'," \
    "'Dixon','Munoz','Hunt','Hicks','Holmes','Palmer','Wagner','Black','Robertson'," \
    "'Boyd','Rose','Stone','Salazar','Fox','Warren','Mills','Meyer','Rice','Schmidt'," \
    "'Garza','Daniels','Ferguson','Nichols','Stephens','Soto','Weaver','Ryan','Gardner'," \
    "'Payne','Grant','Dunn','Spencer','Hawkins','Arnold'"

/* --- agents, groups, units ---------------------------------------------------- */

#define AGENT_EMAIL(n) "CONCAT('bench-agent-', LPAD(" n ", 3, '0'), '@example.com')"
#define GROUP_NAME(n) "CONCAT('Bench Group ', LPAD(" n ", 2, '0'))"
#define UNIT_NAME(n) "CONCAT('Bench Unit ', LPAD(" n ", 2, '0'))"

static const char SQL_SESSION[] =
    "SET SESSION foreign_key_checks = 0, unique_checks = 0,"
    " optimizer_switch = 'derived_merge=off'";
static const char SQL_NOW[] = "SET @bench_now = UTC_TIMESTAMP(6)";
static const char SQL_GROUPS[] =
    "INSERT IGNORE INTO org_groups (name) SELECT " GROUP_NAME("seq") " FROM seq_1_to_10";
static const char SQL_UNITS[] =
    "INSERT IGNORE INTO units (name) SELECT " UNIT_NAME("seq") " FROM seq_1_to_20";
/* Parameter: the password hash. Agent k (0-based) is seq k + 1. */
static const char SQL_AGENTS[] =
    "INSERT IGNORE INTO users (email, name, role, group_id, password_hash)"
    " SELECT " AGENT_EMAIL("s.seq") ","
    " CONCAT(ELT(1 + (s.seq * 7) % 60, " FIRST_NAMES "), ' ',"
    "        ELT(1 + (s.seq * 13) % 200, " LAST_NAMES ")),"
    " 'agent', g.id, ? FROM seq_1_to_200 s"
    " JOIN org_groups g ON g.name = " GROUP_NAME("(s.seq - 1) % 10 + 1");
static const char SQL_AGENT_UNITS[] =
    "INSERT IGNORE INTO user_units (user_id, unit_id)"
    " SELECT u.id, un.id FROM seq_1_to_200 s"
    " JOIN users u ON u.email = " AGENT_EMAIL("s.seq")
    " JOIN units un ON un.name = " UNIT_NAME("(s.seq - 1) % 20 + 1")
    "   OR (s.seq % 2 = 1 AND un.name = " UNIT_NAME("(s.seq + 6) % 20 + 1") ")";

/* --- settings the leads refer to --------------------------------------------- */

static const char SQL_STATUS_OPEN[] =
    "INSERT IGNORE INTO statuses (name, state, position) SELECT 'Bench open', 'new', 99"
    " FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM statuses"
    "   WHERE active = 1 AND state IN ('new', 'in_progress'))";
static const char SQL_STATUS_CLOSED[] =
    "INSERT IGNORE INTO statuses (name, state, position) SELECT 'Bench won', 'won', 99"
    " FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM statuses"
    "   WHERE active = 1 AND state NOT IN ('new', 'in_progress'))";
/* A field of each type the bench fills, unless one applies to every lead type. */
#define USABLE_FIELD(f)                                                                    \
    f ".active = 1 AND (" f ".type <> 'dropdown' OR JSON_LENGTH(" f ".options) > 0)"       \
    " AND NOT EXISTS (SELECT 1 FROM custom_field_types ct WHERE ct.field_id = " f ".id)"
static const char SQL_FIELDS[] =
    "INSERT IGNORE INTO custom_fields (field_key, label, type, options, position)"
    " SELECT CONCAT('bench_', t.type), CONCAT('Bench ', t.type), t.type,"
    " IF(t.type = 'dropdown', '[\"Gold\",\"Silver\",\"Bronze\",\"None\"]', NULL), 99"
    " FROM (SELECT 'text' AS type UNION ALL SELECT 'number' UNION ALL SELECT 'date'"
    "       UNION ALL SELECT 'dropdown') t"
    " WHERE NOT EXISTS (SELECT 1 FROM custom_fields f WHERE f.type = t.type AND "
    USABLE_FIELD("f") ")";

/* --- the pick table ---------------------------------------------------------- */

static const char SQL_PICK_DROP[] = "DROP TABLE IF EXISTS bench_pick";
static const char SQL_PICK_CREATE[] =
    "CREATE TABLE bench_pick (kind VARCHAR(20) NOT NULL, k INT NOT NULL,"
    " id BIGINT UNSIGNED NOT NULL, grp BIGINT UNSIGNED NULL, unit BIGINT UNSIGNED NULL,"
    " PRIMARY KEY (kind, k)) ENGINE=MEMORY";
/* Legend: kind "agent", k 0..199: the agent, its group, its first unit. */
static const char SQL_PICK_AGENTS[] =
    "INSERT INTO bench_pick (kind, k, id, grp, unit)"
    " SELECT 'agent', s.seq - 1, u.id, u.group_id, un.id FROM seq_1_to_200 s"
    " JOIN users u ON u.email = " AGENT_EMAIL("s.seq")
    " JOIN units un ON un.name = " UNIT_NAME("(s.seq - 1) % 20 + 1");
/* Other kinds have k 0..59, cycling through the active rows (60 divides
 * evenly by every list length up to 6, and by 10, 12, 15, 20 and 30). */
#define PICK_CYCLE(kind, from)                                                             \
    "INSERT INTO bench_pick (kind, k, id) SELECT r.kind, s.seq, r.id FROM seq_0_to_59 s"   \
    " JOIN (SELECT id, " kind " AS kind,"                                                  \
    "   ROW_NUMBER() OVER (PARTITION BY " kind " ORDER BY position, id) - 1 AS r,"         \
    "   COUNT(*) OVER (PARTITION BY " kind ") AS n FROM " from " WHERE active = 1) r"      \
    " ON r.r = s.seq % r.n"
static const char SQL_PICK_LOOKUPS[] = PICK_CYCLE("CONCAT('', kind)", "lookups");
static const char SQL_PICK_STATUSES[] = PICK_CYCLE(
    "IF(state IN ('new', 'in_progress'), 'status_open', 'status_closed')", "statuses");
static const char SQL_PICK_PRODUCTS[] = PICK_CYCLE("'product'", "products");
static const char SQL_PICK_FIELDS[] =
    "INSERT INTO bench_pick (kind, k, id) SELECT CONCAT('cf_', f.type), 0, MIN(f.id)"
    " FROM custom_fields f WHERE f.type IN ('text', 'number', 'date', 'dropdown') AND "
    USABLE_FIELD("f") " GROUP BY f.type";

/* --- one batch ------------------------------------------------------------------ */

/* Parameters: base id, count. New ids are base + 1 … base + count. */
static const char SQL_BATCH[] = "SET @bench_base = ?, @bench_n = ?";
#define IN_BATCH "l.id > @bench_base AND l.id <= @bench_base + @bench_n"
#define H(salt, id) "CAST(CRC32(CONCAT('" salt "', " id ")) AS SIGNED)"

/* Legend of the derived tables: a draws the row's random numbers (hn names,
 * m address and numbers, q times and choices, r the position in its state's
 * window, b the state's bucket in 1/1000); c turns b into the call-log state,
 * o (seconds from now: idle_since) and gap (how long before o it was last
 * touched, for leads whose follow-up passed untouched). */
/* created_at: new leads (bucket 920 and up) were created when last touched;
 * the others up to 400 days before their earliest time. */
#define CREATED "(c.o + IF(c.b >= 920, 0, -c.gap - 266400 - c.m % 34560000))"
static const char SQL_LEADS[] =
    "INSERT INTO leads (id, first_name, last_name, street, city, region, postal_code, country,"
    " incomplete, type_id, category_id, priority_id, importance_id, source_id, lost_reason_id,"
    " probability, target_amount, status_id, state, archived_at, archive_reason, start_date,"
    " expected_completion, duration_value, duration_unit, owner_id, group_id, unit_id,"
    " created_by, created_at, updated_at, version, follow_up_at, touched_at, call_state,"
    " call_state_at, idle_since)"
    " SELECT c.x, ELT(1 + c.hn % 60, " FIRST_NAMES "),"
    " ELT(1 + (c.hn DIV 60) % 200, " LAST_NAMES "),"
    " IF(c.m % 10 = 9, NULL, CONCAT(1 + c.m % 9899, ' ', ELT(1 + (c.m DIV 9899) % 10,"
    "   'Main St', 'Oak Ave', 'Maple Dr', 'Cedar Ln', 'Elm St', 'Park Ave', 'Lake Rd',"
    "   'Hill St', 'Washington Blvd', 'Lincoln Ave'))),"
    " IF(c.m % 10 = 9, NULL, ELT(1 + (c.m DIV 7) % 10, 'Chicago', 'Springfield', 'Peoria',"
    "   'Naperville', 'Rockford', 'Joliet', 'Aurora', 'Elgin', 'Evanston', 'Champaign')),"
    " 'IL', IF(c.m % 10 = 9, NULL, LPAD(60000 + (c.m DIV 13) % 3000, 5, '0')), 'US',"
    " c.m % 10 = 9,"
    " pt.id, pc.id, pp.id, pi.id, ps.id, IF(st.state = 'lost', pl.id, NULL),"
    " c.m % 101, 500 + (c.q % 200) * 25, st.id, st.state,"
    " IF(c.cs = 'archived', @bench_now + INTERVAL c.o SECOND, NULL),"
    " IF(c.cs = 'archived', ELT(1 + c.q % 3, 'Asked not to be contacted', 'Moved away',"
    "   'Duplicate of another lead'), NULL),"
    " @bench_now + INTERVAL " CREATED " SECOND,"
    " IF(c.q % 2 = 0, @bench_now + INTERVAL " CREATED " SECOND + INTERVAL (30 + c.m % 180) DAY, NULL),"
    " IF(c.q % 2 = 1, 2 + c.m % 10, NULL), IF(c.q % 2 = 1, 'weeks', NULL),"
    " IF(c.cs = 'available', NULL, ag.id), ag.grp, IF(c.hn % 10 = 0, ag.unit, NULL), ag.id,"
    " @bench_now + INTERVAL " CREATED " SECOND, @bench_now + INTERVAL (c.o - c.gap) SECOND,"
    " 1 + c.m % 5,"
    " @bench_now + INTERVAL (CASE WHEN c.b < 25 THEN 60 + c.r % 21480"
    "   WHEN c.b < 350 THEN 21600 + c.r % 1209600"
    "   WHEN c.b < 600 THEN IF(c.b % 4 = 0, c.o - 3600 - c.q % 259200, NULL)"
    "   WHEN c.b < 680 THEN c.o WHEN c.b < 780 AND c.b % 2 = 0 THEN c.o END) SECOND,"
    " @bench_now + INTERVAL (c.o - c.gap) SECOND, c.cs,"
    " @bench_now + INTERVAL (c.o + CASE c.cs WHEN 'missed' THEN 30 WHEN 'past_due' THEN 172800"
    "   WHEN 'abandoned' THEN 259200 WHEN 'available' THEN 691200 ELSE 0 END) SECOND,"
    " @bench_now + INTERVAL c.o SECOND"
    " FROM (SELECT a.*,"
    "   CASE WHEN a.b < 350 THEN 'scheduled' WHEN a.b < 600 THEN 'not_scheduled'"
    "   WHEN a.b < 680 THEN 'missed' WHEN a.b < 780 THEN 'past_due'"
    "   WHEN a.b < 820 THEN 'abandoned' WHEN a.b < 840 THEN 'available'"
    "   WHEN a.b < 920 THEN 'archived' ELSE 'not_scheduled' END AS cs,"
    "   CASE WHEN a.b < 350 THEN -(600 + a.q % 864000)"
    "   WHEN a.b < 680 THEN -(60 + a.r % 172680)"
    "   WHEN a.b < 780 THEN -(172860 + a.r % 86280)"
    "   WHEN a.b < 820 THEN -(259260 + a.r % 431880)"
    "   WHEN a.b < 840 THEN -(691260 + a.r % 1728000)"
    "   WHEN a.b < 920 THEN -(60 + a.r % 5184000)"
    "   ELSE -(60 + a.r % 172680) END AS o,"
    "   IF(a.b >= 600 AND a.b < 680 OR a.b >= 680 AND a.b < 780 AND a.b % 2 = 0,"
    "      3600 + a.q % 432000, 0) AS gap"
    "   FROM (SELECT s.seq + @bench_base AS x, " H("n", "s.seq + @bench_base") " AS hn,"
    "     " H("m", "s.seq + @bench_base") " AS m, " H("q", "s.seq + @bench_base") " AS q,"
    "     " H("r", "s.seq + @bench_base") " AS r,"
    "     " H("b", "s.seq + @bench_base") " % 1000 AS b"
    "     FROM seq_1_to_100000 s WHERE s.seq <= @bench_n) a) c"
    " JOIN bench_pick ag ON ag.kind = 'agent' AND ag.k = c.x % 200"
    " LEFT JOIN bench_pick so ON so.kind = 'status_open' AND so.k = (c.q DIV 10) % 60"
    " LEFT JOIN bench_pick sc ON sc.kind = 'status_closed' AND sc.k = (c.q DIV 10) % 60"
    " JOIN statuses st ON st.id = IF(c.q % 10 < 2 AND sc.id IS NOT NULL, sc.id, so.id)"
    " LEFT JOIN bench_pick pt ON pt.kind = 'lead_type' AND pt.k = (c.m DIV 3) % 60"
    " LEFT JOIN bench_pick pc ON pc.kind = 'category' AND pc.k = (c.m DIV 5) % 60"
    " LEFT JOIN bench_pick pp ON pp.kind = 'priority' AND pp.k = (c.q DIV 7) % 60"
    " LEFT JOIN bench_pick pi ON pi.kind = 'importance' AND pi.k = (c.q DIV 11) % 60"
    " LEFT JOIN bench_pick ps ON ps.kind = 'source' AND ps.k = (c.m DIV 17) % 60"
    " LEFT JOIN bench_pick pl ON pl.kind = 'lost_reason' AND pl.k = (c.q DIV 19) % 60";

/* Phones: position 0 for 95% of leads, position 1 for 30% of them. */
static const char SQL_PHONES[] =
    "INSERT INTO lead_phones (lead_id, position, phone, digits)"
    " SELECT v.id, v.pos, CONCAT('+1 (', v.area, ') ', LEFT(v.num, 3), '-', RIGHT(v.num, 4)),"
    " CONCAT('1', v.area, v.num)"
    " FROM (SELECT l.id, p.seq AS pos, 201 + " H("a", "l.id * 2 + p.seq") " % 798 AS area,"
    "   LPAD(IF(p.seq = 0, l.id, l.id * 7 + 3) % 10000000, 7, '0') AS num"
    "   FROM leads l JOIN seq_0_to_1 p"
    "   WHERE " IN_BATCH " AND " H("p", "l.id") " % 100 < IF(p.seq = 0, 95, 30)) v";
/* E-mails: 90% have one, 10% a second; the id keeps them unique. */
static const char SQL_EMAILS[] =
    "INSERT INTO lead_emails (lead_id, position, email)"
    " SELECT l.id, e.seq, LOWER(CONCAT(IF(e.seq = 0, CONCAT(l.first_name, '.', l.last_name),"
    "   CONCAT(LEFT(l.first_name, 1), l.last_name)), l.id, '@',"
    "   ELT(1 + " H("d", "l.id * 2 + e.seq") " % 4, 'example.com', 'example.net',"
    "   'example.org', 'mail.example.com')))"
    " FROM leads l JOIN seq_0_to_1 e"
    " WHERE " IN_BATCH " AND " H("e", "l.id") " % 100 < IF(e.seq = 0, 90, 10)";
/* Notes by the lead's creator, between its creation and its last touch. */
static const char SQL_NOTES[] =
    "INSERT INTO lead_notes (lead_id, author_id, body, created_at)"
    " SELECT l.id, l.created_by, ELT(1 + " H("t", "l.id * 2 + n.seq") " % 6,"
    "   CONCAT('First call: ', l.first_name, ' asked about prices and opening hours.'),"
    "   'Called, no answer. Left a voicemail with our number and the opening hours.',"
    "   CONCAT('Sent the brochure by e-mail. ', l.first_name, ' wants a call back next week,"
    " preferably in the morning before work.'),"
    "   'Booked a consultation; needs a reminder the day before and directions to the parking.',"
    "   CONCAT('Spoke with ', l.first_name, ' ', l.last_name, '; comparing us with another"
    " practice, mostly on price. Mentioned the payment plan.'),"
    "   'Asked whether the insurance covers the treatment. Checking with the insurer.'),"
    " l.created_at + INTERVAL (TIMESTAMPDIFF(SECOND, l.created_at, l.touched_at)"
    "   * (n.seq + 1) DIV 3) SECOND"
    " FROM leads l JOIN seq_0_to_1 n"
    " WHERE " IN_BATCH " AND " H("o", "l.id") " % 100 < IF(n.seq = 0, 60, 20)";
/* History: created; a status edit for leads past the first open status; and
 * the aging step that led to the current call-log state. */
static const char SQL_HISTORY[] =
    "INSERT INTO lead_history (lead_id, at, actor_kind, actor_id, action, field, before_value,"
    " after_value, rule)"
    " SELECT l.id, l.created_at, 'agent', l.created_by, 'created', NULL, NULL, NULL, NULL"
    " FROM leads l WHERE " IN_BATCH
    " UNION ALL"
    " SELECT l.id, l.created_at + INTERVAL (TIMESTAMPDIFF(SECOND, l.created_at, l.touched_at)"
    "   DIV 2) SECOND, 'agent', l.created_by, 'edited', 'status', s0.name, s.name, NULL"
    " FROM leads l JOIN bench_pick p ON p.kind = 'status_open' AND p.k = 0"
    " JOIN statuses s0 ON s0.id = p.id JOIN statuses s ON s.id = l.status_id"
    " WHERE " IN_BATCH " AND l.status_id <> p.id"
    " UNION ALL"
    " SELECT l.id, l.call_state_at, 'system', NULL, 'call_log', 'call_state',"
    " CASE l.call_state WHEN 'missed' THEN 'scheduled' WHEN 'past_due' THEN 'not_scheduled'"
    "   WHEN 'abandoned' THEN 'past_due' ELSE 'abandoned' END, l.call_state,"
    " CASE l.call_state WHEN 'missed' THEN 'follow_up_passed'"
    "   WHEN 'past_due' THEN 'untouched_past_due_days'"
    "   WHEN 'abandoned' THEN 'untouched_abandoned_days' ELSE 'abandoned_available_days' END"
    " FROM leads l WHERE " IN_BATCH
    " AND l.call_state IN ('missed', 'past_due', 'abandoned', 'available')";
/* Custom values: each bench field type for 70% of leads. */
static const char SQL_CUSTOM[] =
    "INSERT INTO lead_custom_values (lead_id, field_id, seq, value_text, value_num, value_time)"
    " SELECT v.id, v.fid, 0,"
    " CASE v.kind WHEN 'cf_text' THEN ELT(1 + v.h % 8, 'Dr. Kim', 'A friend', 'Google search',"
    "   'Facebook ad', 'Radio', 'Newspaper', 'Walked by', 'Existing patient')"
    "   WHEN 'cf_dropdown' THEN JSON_UNQUOTE(JSON_EXTRACT(f.options,"
    "   CONCAT('$[', v.h % JSON_LENGTH(f.options), ']'))) END,"
    " IF(v.kind = 'cf_number', v.h % 20, NULL),"
    " IF(v.kind = 'cf_date', DATE('1940-01-01') + INTERVAL v.h % 25000 DAY, NULL)"
    " FROM (SELECT l.id, p.id AS fid, p.kind, CRC32(CONCAT(p.kind, l.id)) AS h"
    "   FROM leads l JOIN bench_pick p ON p.kind IN ('cf_text', 'cf_number', 'cf_date',"
    "   'cf_dropdown') AND p.k = 0 WHERE " IN_BATCH ") v"
    " JOIN custom_fields f ON f.id = v.fid WHERE v.h % 10 < 7";
static const char SQL_PRODUCTS[] =
    "INSERT INTO lead_products (lead_id, product_id, notes)"
    " SELECT l.id, p.id, IF(l.id % 3 = 0, 'Asked about financing', NULL)"
    " FROM leads l JOIN bench_pick p ON p.kind = 'product' AND p.k = " H("u", "l.id") " % 60"
    " WHERE " IN_BATCH " AND " H("v", "l.id") " % 10 < 4";
/* A team mate from the owner's group: agent k + 10 has group k % 10 too. */
static const char SQL_TEAM[] =
    "INSERT INTO lead_team (lead_id, user_id)"
    " SELECT l.id, p.id FROM leads l"
    " JOIN bench_pick p ON p.kind = 'agent' AND p.k = (l.id + 10) % 200"
    " WHERE " IN_BATCH " AND " H("w", "l.id") " % 20 = 0";
static const char SQL_COMPETITORS[] =
    "INSERT INTO lead_competitors (lead_id, competitor_id)"
    " SELECT l.id, p.id FROM leads l"
    " JOIN bench_pick p ON p.kind = 'competitor' AND p.k = " H("c", "l.id") " % 60"
    " WHERE " IN_BATCH " AND " H("x", "l.id") " % 10 = 0";

static const char SQL_MAX_ID[] = "SELECT COALESCE(MAX(id), 0) FROM leads";
/* fresh index statistics, so the optimizer plans for the new size at once */
static const char SQL_ANALYZE[] =
    "ANALYZE TABLE leads, lead_phones, lead_emails, lead_notes, lead_history,"
    " lead_custom_values, lead_products, lead_team, lead_competitors, users, user_units";

/* Legend: the statements that add one batch, in order (each reads the
 * leads the first one wrote). */
static const char *const batch_sql[] = {
    SQL_LEADS, SQL_PHONES, SQL_EMAILS, SQL_NOTES, SQL_HISTORY,
    SQL_CUSTOM, SQL_PRODUCTS, SQL_TEAM, SQL_COMPETITORS,
};

/* Agents, groups, units, the settings leads need, and the pick table. */
static int prepare(struct lm_db *db)
{
    static const char *const setup[] = {
        SQL_SESSION, SQL_NOW, SQL_GROUPS, SQL_UNITS, SQL_STATUS_OPEN, SQL_STATUS_CLOSED,
        SQL_FIELDS, SQL_PICK_DROP, SQL_PICK_CREATE,
    };
    static const char *const picks[] = {
        SQL_PICK_AGENTS, SQL_PICK_LOOKUPS, SQL_PICK_STATUSES, SQL_PICK_PRODUCTS,
        SQL_PICK_FIELDS,
    };
    char hash[LM_PWHASH_LEN];
    int rc = lm_crypto_init() ? LM_ERR_INTERNAL : LM_OK;

    /* one hash for all agents: each login checks demo1234 against it */
    if (!rc)
        rc = lm_password_hash("demo1234", hash);
    for (size_t i = 0; !rc && i < sizeof setup / sizeof setup[0]; i++)
        rc = lm_db_exec_text(db, setup[i]);
    if (!rc)
        rc = lm_db_exec(db, SQL_AGENTS, "s", hash);
    if (!rc)
        rc = lm_db_exec_text(db, SQL_AGENT_UNITS);
    for (size_t i = 0; !rc && i < sizeof picks / sizeof picks[0]; i++)
        rc = lm_db_exec_text(db, picks[i]);
    return rc;
}

static int add_batch(struct lm_db *db, long long base, long long count)
{
    int rc = lm_db_begin(db);

    if (!rc)
        rc = lm_db_exec(db, SQL_BATCH, "ii", base, count);
    for (size_t i = 0; !rc && i < sizeof batch_sql / sizeof batch_sql[0]; i++)
        rc = lm_db_exec_text(db, batch_sql[i]);
    if (!rc)
        rc = lm_db_commit(db);
    if (rc)
        lm_db_rollback(db);
    return rc;
}

int lm_bench_data(struct lm_db *db, long long n, void (*progress)(long long done))
{
    struct lm_rows rows;
    long long base, done = 0;
    int rc = prepare(db);

    if (!rc)
        rc = lm_db_query(db, &rows, SQL_MAX_ID, "");
    if (rc)
        return rc;
    base = lm_rows_int(&rows, 0, 0, 0);
    lm_rows_free(&rows);
    while (done < n && !rc) {
        long long count = n - done < BATCH ? n - done : BATCH;

        rc = add_batch(db, base, count);
        base += count;
        done += count;
        if (!rc && progress)
            progress(done);
    }
    if (!rc)
        rc = lm_db_query(db, &rows, SQL_ANALYZE, "");
    if (!rc)
        lm_rows_free(&rows);
    lm_db_exec_text(db, SQL_PICK_DROP);
    return rc;
}
