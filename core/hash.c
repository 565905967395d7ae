#include "core/hash.h"

#include <stdio.h>
#include <string.h>

uint64_t hash_fnv1a64(uint64_t h, const void *data, size_t n)
{
	const unsigned char *p = data;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

uint64_t hash_words64(const void *data, size_t n)
{
	const unsigned char *p = data;
	uint64_t h = HASH_FNV1A64_INIT ^ (uint64_t)n;

	for (; n >= 8; p += 8, n -= 8) {
		/* Little-endian load from bytes: one mov on x86, the same value
		 * everywhere. */
		uint64_t w = (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 |
			     (uint64_t)p[3] << 24 | (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 |
			     (uint64_t)p[6] << 48 | (uint64_t)p[7] << 56;

		h = (h ^ w) * 0x100000001b3ULL;
		h ^= h >> 29;
	}
	return hash_fnv1a64(h, p, n);
}

uint64_t hash_str(const char *s)
{
	return hash_fnv1a64(HASH_FNV1A64_INIT, s, strlen(s));
}

void hash_hex(uint64_t h, char out[17])
{
	snprintf(out, 17, "%016llx", (unsigned long long)h);
}
