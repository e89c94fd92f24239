/* Base64 (RFC 4648, standard alphabet, padded) for image payloads sent inside terminal escapes. */
#ifndef ANNOTTY_RENDER_BASE64_H
#define ANNOTTY_RENDER_BASE64_H

#include <stddef.h>

struct buf;

/* Input bytes per 4096-character piece: whole groups of three, so that pieces encoded apart
 * concatenate into one valid encoding with padding only at the very end. */
#define RENDER_BASE64_PIECE_IN 3072

/* The encoded length of n bytes, padding included. */
size_t render_base64_len(size_t n);

/* Writes the encoding of n bytes into dst, which holds render_base64_len(n) characters (no NUL
 * is added). */
void render_base64_encode(const unsigned char *src, size_t n, char *dst);

/* Appends the encoding of n bytes to out; -1 when out's cap would be exceeded, out then holding
 * a prefix of the encoding (the caller rolls back). */
int render_base64_append(struct buf *out, const unsigned char *src, size_t n);

#endif
