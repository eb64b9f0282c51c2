/* The life-cycle state machine:
 *   new --accept--> in_progress
 *   new|in_progress --win--> won --complete--> completed
 *   new|in_progress --lose--> lost --reactivate--> in_progress
 *   any (not archived) --archive--> archived --reactivate--> same state
 *   won|completed --convert--> (an account; the state stays) */
#include "domain/lead_actions.h"

#include <string.h>

static const char *const names[] = {"accept", "win", "lose", "complete",
                                    "archive", "reactivate", "convert"};

enum lm_action lm_action_parse(const char *s)
{
    for (int i = 0; s && i < (int)(sizeof names / sizeof names[0]); i++)
        if (!strcmp(s, names[i]))
            return (enum lm_action)i;
    return LM_ACTION_INVALID;
}

const char *lm_action_name(enum lm_action a)
{
    return a < 0 || a > LM_ACTION_CONVERT ? "invalid" : names[a];
}

int lm_state_valid(const char *s)
{
    return s && (!strcmp(s, "new") || !strcmp(s, "in_progress") || !strcmp(s, "won") ||
                 !strcmp(s, "lost") || !strcmp(s, "completed"));
}

const char *lm_action_allowed(enum lm_action a, const char *state, int archived,
                              const char **target)
{
    int open = !strcmp(state, "new") || !strcmp(state, "in_progress");

    *target = state;
    if (archived && a != LM_ACTION_REACTIVATE)
        return "The lead is archived; reactivate it first.";
    switch (a) {
    case LM_ACTION_ACCEPT:
        if (!open)
            return "Only a new or open lead can be accepted.";
        *target = "in_progress";
        return NULL;
    case LM_ACTION_WIN:
        if (!open)
            return "Only an open lead can be won.";
        *target = "won";
        return NULL;
    case LM_ACTION_LOSE:
        if (!open)
            return "Only an open lead can be lost.";
        *target = "lost";
        return NULL;
    case LM_ACTION_COMPLETE:
        if (strcmp(state, "won"))
            return "Only a won lead can be completed.";
        *target = "completed";
        return NULL;
    case LM_ACTION_ARCHIVE:
        return NULL;
    case LM_ACTION_REACTIVATE:
        if (archived)
            return NULL;
        if (!strcmp(state, "lost")) {
            *target = "in_progress";
            return NULL;
        }
        return "Only an archived or lost lead can be reactivated.";
    case LM_ACTION_CONVERT:
        if (strcmp(state, "won") && strcmp(state, "completed"))
            return "Only a won lead can be converted into an account.";
        return NULL;
    default:
        return "Unknown action.";
    }
}
