/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A bump allocator for what lives exactly as long as one parsed line (the
 * parser's struct mr_pcmd, its options and words): one reset frees all of
 * it, so the parser does no malloc/free per word or option.
 */
#ifndef MR_ARENA_H
#define MR_ARENA_H

#include <stddef.h>

struct arena_chunk;

struct arena {
	struct arena_chunk *chunks;	/* newest first; the last is kept */
	char *cur, *end;		/* free room in the newest chunk */
};

void arena_init(struct arena *a);
/* Zeroed memory, aligned for any object; aborts on failure. */
void *arena_alloc(struct arena *a, size_t size);
/* Uninitialised memory (strings). */
void *arena_alloc_raw(struct arena *a, size_t size);
/* A NUL-terminated copy of n bytes of s. */
char *arena_strndup(struct arena *a, const char *s, size_t n);
/* Free everything allocated since the last reset (one chunk is kept). */
void arena_reset(struct arena *a);
void arena_free(struct arena *a);

#endif
