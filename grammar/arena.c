// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The per-line bump allocator.  Under AddressSanitizer every allocation is
 * its own malloc'd block and a reset frees them all, so a pointer kept
 * into a line after its reset is still reported as a use after free.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "arena.h"

#define ARENA_ALIGN	_Alignof(max_align_t)
#define ARENA_CHUNK	8192	/* a few lines' worth: resets keep one */

struct arena_chunk {
	struct arena_chunk *next;
	size_t size;		/* bytes in data[] */
	_Alignas(max_align_t) char data[];
};

static struct arena_chunk *chunk_new(size_t size)
{
	struct arena_chunk *c = malloc(sizeof(*c) + size);

	if (!c)
		abort();
	c->size = size;
	return c;
}

void arena_init(struct arena *a)
{
	a->chunks = NULL;
	a->cur = a->end = NULL;
}

#ifdef ARENA_ONE_BLOCK_EACH

void *arena_alloc_raw(struct arena *a, size_t size)
{
	struct arena_chunk *c = chunk_new(size ? size : 1);

	c->next = a->chunks;
	a->chunks = c;
	return c->data;
}

static char *arena_bytes(struct arena *a, size_t size)
{
	return arena_alloc_raw(a, size);
}

void arena_reset(struct arena *a)
{
	arena_free(a);
}

#else

/* A new chunk for an allocation that does not fit the current one. */
static void *arena_grow(struct arena *a, size_t size)
{
	struct arena_chunk *c;

	c = chunk_new(size > ARENA_CHUNK / 4 ? size : ARENA_CHUNK);
	c->next = a->chunks;
	a->chunks = c;
	a->cur = c->data + size;
	a->end = c->data + c->size;
	return c->data;
}

static inline void *bump(struct arena *a, size_t size, size_t align)
{
	uintptr_t p = ((uintptr_t)a->cur + align - 1) & ~(uintptr_t)(align - 1);

	if (!a->cur || p > (uintptr_t)a->end || size > (uintptr_t)a->end - p)
		return arena_grow(a, size);
	a->cur = (char *)p + size;
	return (void *)p;
}

void *arena_alloc_raw(struct arena *a, size_t size)
{
	return bump(a, size, ARENA_ALIGN);
}

/* Strings need no alignment: they pack. */
static char *arena_bytes(struct arena *a, size_t size)
{
	return bump(a, size, 1);
}

void arena_reset(struct arena *a)
{
	struct arena_chunk *c = a->chunks, *next;

	if (!c)
		return;
	/* keep the oldest chunk: the next line reuses it */
	while (c->next) {
		next = c->next;
		free(c);
		c = next;
	}
	a->chunks = c;
	a->cur = c->data;
	a->end = c->data + c->size;
}

#endif

void *arena_alloc(struct arena *a, size_t size)
{
	void *p = arena_alloc_raw(a, size);

	memset(p, 0, size);
	return p;
}

char *arena_strndup_slow(struct arena *a, const char *s, size_t n)
{
	char *p = arena_bytes(a, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void arena_free(struct arena *a)
{
	struct arena_chunk *c, *next;

	for (c = a->chunks; c; c = next) {
		next = c->next;
		free(c);
	}
	arena_init(a);
}
