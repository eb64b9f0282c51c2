/* Which life-cycle actions are allowed from which state. */
#ifndef LM_DOMAIN_LEAD_ACTIONS_H
#define LM_DOMAIN_LEAD_ACTIONS_H

enum lm_action {
    LM_ACTION_INVALID = -1,
    LM_ACTION_ACCEPT,
    LM_ACTION_WIN,
    LM_ACTION_LOSE,
    LM_ACTION_COMPLETE,
    LM_ACTION_ARCHIVE,
    LM_ACTION_REACTIVATE,
    LM_ACTION_CONVERT
};

enum lm_action lm_action_parse(const char *s);
const char *lm_action_name(enum lm_action a);

/* NULL when the action may run on a lead in `state` (archived or not);
 * *target is the state afterwards. Otherwise a message for the user. */
const char *lm_action_allowed(enum lm_action a, const char *state, int archived,
                              const char **target);

/* 1 when s is one of new, in_progress, won, lost, completed. */
int lm_state_valid(const char *s);

#endif
