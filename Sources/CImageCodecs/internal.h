/* Helpers shared by the PNG and JPEG halves of the shim (not part of the public header). */
#ifndef MKT_CODECS_INTERNAL_H
#define MKT_CODECS_INTERNAL_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "codecs.h"

/* Writes a one-line message (printf-style) into a fixed buffer; newlines become spaces. */
static inline void mkt_set_message(char *buffer, size_t size, const char *format, ...) {
    if (buffer == NULL || size == 0) {
        return;
    }
    va_list args;
    va_start(args, format);
    vsnprintf(buffer, size, format, args);
    va_end(args);
    for (char *c = buffer; *c; c++) {
        if (*c == '\n' || *c == '\r') {
            *c = ' ';
        }
    }
}

int32_t mkt_decode_png(const uint8_t *data, size_t size, uint64_t max_pixels,
                       mkt_image_info *info, uint8_t *out, size_t out_capacity);
int32_t mkt_decode_jpeg(const uint8_t *data, size_t size, uint64_t max_pixels,
                        mkt_image_info *info, uint8_t *out, size_t out_capacity);

#endif
