/* FNV-1a 64-bit: a fast, non-cryptographic hash for change detection
 * (a page's content, a rule set's files).  Not for anything an attacker
 * could exploit by forging collisions. */
#ifndef CORE_HASH_H
#define CORE_HASH_H

#include <stddef.h>
#include <stdint.h>

#define HASH_FNV1A64_INIT 0xcbf29ce484222325ULL

/* Folds n bytes into h (start from HASH_FNV1A64_INIT) and returns it. */
uint64_t hash_fnv1a64(uint64_t h, const void *data, size_t n);
/* A faster hash for large bodies: FNV-1a's multiply over 64-bit
 * little-endian words with an xor-shift, then byte-wise FNV-1a over the
 * tail; about eight times faster than hash_fnv1a64 and the same on every
 * machine.  Not FNV-1a: its values differ from hash_fnv1a64's. */
uint64_t hash_words64(const void *data, size_t n);
/* FNV-1a 64 of a NUL-terminated string: the one hash for hash tables
 * keyed by strings (hosts, URLs, link texts, school ids). */
uint64_t hash_str(const char *s);
/* Writes h as 16 lower-case hex digits and a NUL. */
void hash_hex(uint64_t h, char out[17]);

#endif
