/* The call log's "touch" as SQL assignments, shared by every statement that
 * records an agent's action on a lead (store/leads.c writes, store/call_log.c
 * follow-ups): touched now, the idle clock restarts, and a lead that was
 * missed, past due or abandoned goes back to scheduled / not scheduled; an
 * archived lead is filed as archived, a reactivated one comes back.
 * call_state_at is assigned before call_state, which MariaDB applies in
 * order; archived_at must already hold its new value (assign it earlier in
 * the same SET). */
#ifndef LM_STORE_TOUCH_SQL_H
#define LM_STORE_TOUCH_SQL_H

#define LM_SQL_STATE_AFTER_TOUCH                                                           \
    "CASE WHEN archived_at IS NOT NULL THEN 'archived'"                                    \
    " WHEN call_state = 'available' THEN 'available'"                                      \
    " WHEN follow_up_at > UTC_TIMESTAMP(6) THEN 'scheduled' ELSE 'not_scheduled' END"

#define LM_SQL_TOUCH_SET                                                                   \
    "touched_at = UTC_TIMESTAMP(6), idle_since = UTC_TIMESTAMP(6),"                        \
    " call_state_at = IF(call_state = " LM_SQL_STATE_AFTER_TOUCH ", call_state_at,"        \
    " UTC_TIMESTAMP(6)), call_state = " LM_SQL_STATE_AFTER_TOUCH

#endif
