// func.c: shell functions. "name() { ...; }" defines one: its body's tree
// is kept (and the arena it was parsed into with it); a command of that
// name then runs the body in the shell itself, not in a child, with $1...
// set to the command's arguments and put back afterwards. return leaves it.
#include <stdlib.h>
#include <string.h>

#include "sh.h"

static struct function {
    char *name;
    struct node *body;
} *functions;
static int nfunctions;
int keep_arena, func_return;
static int func_depth;

struct node *find_function(const char *name)
{
    for (int i = 0; i < nfunctions; i++)
        if (strcmp(functions[i].name, name) == 0)
            return functions[i].body;
    return NULL;
}

int define_function(struct node *n)
{
    keep_arena = 1;   // the body's nodes must outlive this command
    for (int i = 0; i < nfunctions; i++)
        if (strcmp(functions[i].name, n->var) == 0) {
            functions[i].body = n->left;
            return 0;
        }
    functions = xrealloc(functions, (nfunctions + 1) * sizeof *functions);
    functions[nfunctions].name = xstrdup(n->var);
    functions[nfunctions].body = n->left;
    nfunctions++;
    return 0;
}

// A function runs in the shell with $1... set to its arguments.
int call_function(struct node *body, struct node *cmd, struct argv *args)
{
    struct saved_fds s;
    if (apply_redirs(cmd->redirs, &s) < 0) {
        restore_redirs(&s);
        return 2;
    }
    char **params = sh.params;
    int nparams = sh.nparams, depth = loop_depth;
    sh.params = args->v + 1;
    sh.nparams = args->n - 1;
    loop_depth = 0;   // break and continue do not reach the caller's loops
    func_depth++;
    int status = run_node(body, 0);
    func_depth--;
    func_return = 0;
    loop_depth = depth;
    sh.params = params;
    sh.nparams = nparams;
    restore_redirs(&s);
    return status;
}

int builtin_return(int argc, char **argv)
{
    if (func_depth == 0) {
        sh_error("return: not in a function");
        return 1;
    }
    func_return = 1;
    return argc > 1 ? atoi(argv[1]) & 255 : sh.status;
}
