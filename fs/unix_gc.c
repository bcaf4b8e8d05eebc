/* unix_gc.c: collecting sockets that only messages in flight keep alive.
 *
 * A message holds a reference to each file it carries (scm.c), and a
 * socket's queue goes only when its file is released. So a socket sent
 * through itself, or two sockets each queued on the other, keep each other
 * open after every descriptor is closed: no close will ever come. Linux
 * collects such cycles, and so does this, the same way:
 *   1. candidates: sockets whose file is referenced only by messages in
 *      flight (refs == inflight);
 *   2. count, for each candidate, the references held by messages queued
 *      on candidates;
 *   3. a candidate with more references than that is reachable from
 *      outside (a descriptor, or a message on a live socket): it is live,
 *      and so is every candidate in flight in its queue, and so on;
 *   4. what is left only keeps itself alive: its queues are emptied, which
 *      drops the references, and the files close as usual.
 * It runs when a socket's file is released, and when a reference to one
 * goes and what is left is all in flight (the last descriptor of a socket
 * sent through itself closing).
 */
#include "fs/socket.h"

enum { GC_NONE, GC_CANDIDATE, GC_LIVE };

static bool gc_running;

/* The queues a socket owns: its own, then its pending connections'. */
static struct sock *next_queue(struct sock *sk, struct sock *q)
{
    return q == sk ? sk->pending_head : q->next_pending;
}

/* Call fn on each socket in flight in sk's queues. */
static void for_each_inflight(struct sock *sk, void (*fn)(struct sock *))
{
    for (struct sock *q = sk; q; q = next_queue(sk, q)) {
        for (struct sock_msg *m = q->head; m; m = m->next)
            for (uint32_t i = 0; i < m->scm.nfiles; i++) {
                struct sock *s = m->scm.files[i] ? sock_of_file(m->scm.files[i]) : 0;
                if (s)
                    fn(s);
            }
    }
}

static void count_internal(struct sock *s)
{
    if (s->gc_state == GC_CANDIDATE)
        s->gc_internal++;
}

static bool marked;

static void mark_live(struct sock *s)
{
    if (s->gc_state == GC_CANDIDATE) {
        s->gc_state = GC_LIVE;
        marked = true;
    }
}

void unix_gc(void)
{
    if (gc_running)
        return;                     /* freeing below closes sockets, which come here */
    gc_running = true;
    bool any = false;
    for (struct sock *sk = sock_all; sk; sk = sk->next_all) {
        sk->gc_internal = 0;
        sk->gc_state = sk->file && sk->inflight && (uint32_t)sk->file->refs == sk->inflight
                       ? GC_CANDIDATE : GC_NONE;
        any |= sk->gc_state == GC_CANDIDATE;
    }
    if (!any) {
        gc_running = false;
        return;
    }
    for (struct sock *sk = sock_all; sk; sk = sk->next_all)
        if (sk->gc_state == GC_CANDIDATE)
            for_each_inflight(sk, count_internal);
    for (struct sock *sk = sock_all; sk; sk = sk->next_all)
        if (sk->gc_state == GC_CANDIDATE && (uint32_t)sk->file->refs > sk->gc_internal)
            sk->gc_state = GC_LIVE;
    /* Whatever a live socket holds in flight is live too, to a fixed point. */
    do {
        marked = false;
        for (struct sock *sk = sock_all; sk; sk = sk->next_all)
            if (sk->gc_state == GC_LIVE)
                for_each_inflight(sk, mark_live);
    } while (marked);
    /* The rest is garbage: take every message off its queues first, then
     * free them (which releases files, and may free socks of this list). */
    struct sock_msg *garbage = 0;
    for (struct sock *sk = sock_all; sk; sk = sk->next_all) {
        if (sk->gc_state != GC_CANDIDATE)
            continue;
        for (struct sock *q = sk; q; q = next_queue(sk, q)) {
            struct sock_msg *m;
            while ((m = sock_dequeue(q))) {
                m->next = garbage;
                garbage = m;
            }
        }
    }
    while (garbage) {
        struct sock_msg *m = garbage;
        garbage = m->next;
        sock_msg_free(m);
    }
    gc_running = false;
}
