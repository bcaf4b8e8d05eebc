// vars.c: shell variables. Each has a value and an "exported" mark; the
// exported ones make up the environment of every command the shell runs
// (the shell starts with its own environment, all exported).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sh.h"

struct var {
    char *name;
    char *value;
    int exported;
};

static struct var *vars;
static int nvars, capvars;

static struct var *find(const char *name)
{
    for (int i = 0; i < nvars; i++)
        if (strcmp(vars[i].name, name) == 0)
            return &vars[i];
    return NULL;
}

const char *var_get(const char *name)
{
    struct var *v = find(name);
    return v ? v->value : NULL;
}

static struct var *get_or_add(const char *name)
{
    struct var *v = find(name);
    if (v)
        return v;
    if (nvars == capvars) {
        capvars = capvars ? 2 * capvars : 32;
        vars = xrealloc(vars, capvars * sizeof *vars);
    }
    v = &vars[nvars++];
    v->name = xstrdup(name);
    v->value = NULL;
    v->exported = 0;
    return v;
}

int var_set(const char *name, const char *value)
{
    struct var *v = get_or_add(name);
    char *copy = xstrdup(value);
    free(v->value);
    v->value = copy;
    return 0;
}

void var_export(const char *name)
{
    get_or_add(name)->exported = 1;
}

void var_unset(const char *name)
{
    struct var *v = find(name);
    if (!v)
        return;
    free(v->name);
    free(v->value);
    *v = vars[--nvars];
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const struct var *)a)->name, ((const struct var *)b)->name);
}

void var_print_exported(void)
{
    qsort(vars, nvars, sizeof *vars, by_name);
    for (int i = 0; i < nvars; i++) {
        if (!vars[i].exported)
            continue;
        if (vars[i].value) {
            // Quoted so that the output can be read back by the shell.
            printf("export %s='", vars[i].name);
            for (const char *s = vars[i].value; *s; s++) {
                if (*s == '\'')
                    fputs("'\\''", stdout);
                else
                    putchar(*s);
            }
            puts("'");
        } else {
            printf("export %s\n", vars[i].name);
        }
    }
    fflush(stdout);
}

void vars_init(char **envp)
{
    for (char **e = envp; *e; e++) {
        const char *eq = strchr(*e, '=');
        if (!eq || !is_name(*e, eq - *e))
            continue;
        char name[256];
        if (eq - *e >= (int)sizeof name)
            continue;
        memcpy(name, *e, eq - *e);
        name[eq - *e] = '\0';
        var_set(name, eq + 1);
        var_export(name);
    }
    if (!var_get("IFS"))
        var_set("IFS", " \t\n");
}

char **var_environ(char **assigns, int nassigns)
{
    char **env = xmalloc((nvars + nassigns + 1) * sizeof *env);
    int n = 0;
    for (int i = 0; i < nvars; i++) {
        if (!vars[i].exported || !vars[i].value)
            continue;
        // An assignment before the command overrides the variable.
        int overridden = 0;
        size_t len = strlen(vars[i].name);
        for (int j = 0; j < nassigns; j++)
            if (strncmp(assigns[j], vars[i].name, len) == 0 && assigns[j][len] == '=')
                overridden = 1;
        if (overridden)
            continue;
        size_t size = len + strlen(vars[i].value) + 2;
        env[n] = xmalloc(size);
        snprintf(env[n], size, "%s=%s", vars[i].name, vars[i].value);
        n++;
    }
    for (int j = 0; j < nassigns; j++)
        env[n++] = xstrdup(assigns[j]);
    env[n] = NULL;
    return env;
}
