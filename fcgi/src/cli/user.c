/* `leadmap user add|list|passwd|deactivate|activate`: account management
 * from the shell. Passwords come from standard input, never from argv. */
#include "cli/cli.h"

#include "core/crypto.h"
#include "core/db.h"
#include "core/result.h"
#include "domain/auth_rules.h"
#include "store/users.h"

#include <stdio.h>
#include <string.h>

static const char *opt(int argc, char **argv, const char *name)
{
    for (int i = 0; i + 1 < argc; i++)
        if (!strcmp(argv[i], name))
            return argv[i + 1];
    return NULL;
}

static int read_password(char *out, size_t outlen)
{
    size_t n;

    if (!fgets(out, (int)outlen, stdin))
        return -1;
    n = strlen(out);
    while (n && (out[n - 1] == '\n' || out[n - 1] == '\r'))
        out[--n] = '\0';
    if (n < 8) {
        fprintf(stderr, "leadmap: the password needs at least 8 characters\n");
        return -1;
    }
    return 0;
}

static int user_add(struct lm_db *db, int argc, char **argv)
{
    const char *email = opt(argc, argv, "--email"), *name = opt(argc, argv, "--name");
    const char *role_s = opt(argc, argv, "--role"), *group = opt(argc, argv, "--group");
    const char *perm = opt(argc, argv, "--permission");
    enum lm_role role = lm_role_parse(role_s ? role_s : "agent");
    char password[1100], hash[LM_PWHASH_LEN];
    long long group_id = 0, id = 0;
    int rc;

    if (!email || !lm_email_valid(email) || !name || !*name || strlen(name) > 120) {
        fprintf(stderr, "usage: leadmap user add --email E --name N --role agent|supervisor|"
                        "admin [--group G] [--permission archive.reactivate] < password\n");
        return 2;
    }
    if (role == LM_ROLE_NONE) {
        fprintf(stderr, "leadmap: --role must be agent, supervisor or admin\n");
        return 2;
    }
    if (perm && strcmp(perm, "archive.reactivate")) {
        fprintf(stderr, "leadmap: the only permission is archive.reactivate\n");
        return 2;
    }
    if (read_password(password, sizeof password) || lm_password_hash(password, hash))
        return 2;
    if (group && (rc = lm_group_ensure(db, group, &group_id)) != LM_OK)
        goto fail;
    rc = lm_user_create(db, email, name, role, group_id, hash, &id);
    if (rc == LM_ERR_CONFLICT) {
        fprintf(stderr, "leadmap: a user with e-mail %s exists already\n", email);
        return 1;
    }
    if (!rc && perm)
        rc = lm_user_grant(db, id, perm);
    if (rc)
        goto fail;
    printf("created user %lld (%s, %s)\n", id, email, lm_role_name(role));
    return 0;
fail:
    fprintf(stderr, "leadmap: database error (%s)\n", lm_result_name(rc));
    return 1;
}

static int user_list(struct lm_db *db)
{
    json_t *j_out = NULL, *j_u;
    size_t i;
    int rc = lm_user_list_json(db, 0, 10000, &j_out);

    if (rc) {
        fprintf(stderr, "leadmap: database error (%s)\n", lm_result_name(rc));
        return 1;
    }
    json_array_foreach(json_object_get(j_out, "items"), i, j_u)
    {
        printf("%lld\t%s\t%s\t%s\t%s\n",
               (long long)json_integer_value(json_object_get(j_u, "id")),
               json_string_value(json_object_get(j_u, "email")),
               json_string_value(json_object_get(j_u, "name")),
               json_string_value(json_object_get(j_u, "role")),
               json_is_true(json_object_get(j_u, "active")) ? "active" : "inactive");
    }
    json_decref(j_out);
    return 0;
}

/* passwd, activate and deactivate write the user and revoke refresh tokens:
 * one transaction each. */
struct account_tx {
    long long id;
    const char *hash; /* set: passwd; NULL: set active */
    int active;
};

static int account_tx(struct lm_db *db, void *ctx)
{
    struct account_tx *t = ctx;

    return t->hash ? lm_user_set_password(db, t->id, t->hash)
                   : lm_user_set_active(db, t->id, t->active);
}

static int with_user(struct lm_db *db, int argc, char **argv, long long *id)
{
    const char *email = opt(argc, argv, "--email");
    int rc;

    if (!email) {
        fprintf(stderr, "leadmap: --email is required\n");
        return 2;
    }
    rc = lm_user_id_by_email(db, email, id);
    if (rc == LM_ERR_NOT_FOUND) {
        fprintf(stderr, "leadmap: no user with e-mail %s\n", email);
        return 1;
    }
    if (rc) {
        fprintf(stderr, "leadmap: database error (%s)\n", lm_result_name(rc));
        return 1;
    }
    return 0;
}

int lm_cli_user(const struct lm_config *cfg, int argc, char **argv)
{
    struct lm_db db;
    const char *verb = argc > 0 ? argv[0] : "";
    long long id = 0;
    int rc = 2;

    if (lm_crypto_init())
        return 1;
    lm_db_init(&db, cfg);
    if (!strcmp(verb, "add")) {
        rc = user_add(&db, argc, argv);
    } else if (!strcmp(verb, "list")) {
        rc = user_list(&db);
    } else if (!strcmp(verb, "passwd")) {
        char password[1100], hash[LM_PWHASH_LEN];
        rc = with_user(&db, argc, argv, &id);
        if (!rc && (read_password(password, sizeof password) || lm_password_hash(password, hash)))
            rc = 2;
        if (!rc) {
            struct account_tx t = {id, hash, 0};
            if (lm_db_transaction(&db, account_tx, &t))
                rc = 1;
        }
        if (!rc)
            printf("password changed; sessions of this user were revoked\n");
    } else if (!strcmp(verb, "deactivate") || !strcmp(verb, "activate")) {
        int active = !strcmp(verb, "activate");
        rc = with_user(&db, argc, argv, &id);
        if (!rc) {
            struct account_tx t = {id, NULL, active};
            if (lm_db_transaction(&db, account_tx, &t))
                rc = 1;
        }
        if (!rc)
            printf("user %lld %s\n", id, active ? "activated" : "deactivated");
    } else {
        fprintf(stderr, "usage: leadmap user add|list|passwd|deactivate|activate …\n");
    }
    lm_db_close(&db);
    return rc;
}
