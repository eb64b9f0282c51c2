/* The access rule as SQL, for every store file that lists leads (store/leads.c
 * for search, store/duplicates.c for duplicate candidates); domain/lead.c
 * applies the same rule in C to one loaded lead. The lead's alias is l. */
#ifndef LM_STORE_ACCESS_SQL_H
#define LM_STORE_ACCESS_SQL_H

#include "store/users.h"

/* Who may see a lead: admins all; supervisors their group's; everyone the
 * leads they own, are on the team of, that are assigned to one of their
 * units, or that sit in the Lead Bank (abandoned or available).
 * Parameters: role, role, group, user, user, user ("ssiiii"). */
#define ACCESS_OWN                                                                         \
    "(? = 'admin' OR (? = 'supervisor' AND l.group_id = ?) OR l.owner_id = ?"              \
    " OR EXISTS (SELECT 1 FROM lead_team t WHERE t.lead_id = l.id AND t.user_id = ?)"      \
    " OR EXISTS (SELECT 1 FROM user_units uu WHERE uu.user_id = ? AND uu.unit_id = l.unit_id))"
#define IN_BANK "l.call_state IN ('abandoned', 'available')"
#define ACCESS "(" ACCESS_OWN " OR " IN_BANK ")"
#define ACCESS_ARGS(u) lm_role_name((u)->role), lm_role_name((u)->role), (u)->group_id, \
                       (u)->id, (u)->id, (u)->id

#endif
