/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A bump allocator for what lives exactly as long as one parsed line (the
 * parser's struct mr_pcmd, its options and words): one reset frees all of
 * it, so the parser does no malloc/free per word or option.
 */
#ifndef MR_ARENA_H
#define MR_ARENA_H

#include <stddef.h>
#include <string.h>

#if defined(__SANITIZE_ADDRESS__)
#define ARENA_ONE_BLOCK_EACH 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ARENA_ONE_BLOCK_EACH 1
#endif
#endif

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
char *arena_strndup_slow(struct arena *a, const char *s, size_t n);

/* A NUL-terminated copy of n bytes of s: the scanner's every word. */
static inline char *arena_strndup(struct arena *a, const char *s, size_t n)
{
#ifndef ARENA_ONE_BLOCK_EACH
	char *p = a->cur;

	if (p && n < (size_t)(a->end - p)) {
		a->cur = p + n + 1;
		memcpy(p, s, n);
		p[n] = '\0';
		return p;
	}
#endif
	return arena_strndup_slow(a, s, n);
}
/* Free everything allocated since the last reset (one chunk is kept). */
void arena_reset(struct arena *a);
void arena_free(struct arena *a);

#endif
