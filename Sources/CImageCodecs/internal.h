/* Helpers shared by the decoders of the shim (not part of the public header). */
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

/* The size checks before decoding: MKT_CODEC_TOO_LARGE (with the message) when width x height
   exceeds `max_pixels` (0: no limit, the decompression-bomb guard); then, when `out` is given,
   MKT_CODEC_BUFFER_TOO_SMALL unless it holds width x height x 3 bytes; else MKT_CODEC_OK. */
static inline int32_t mkt_check_size(mkt_image_info *info, uint64_t width, uint64_t height,
                                     uint64_t max_pixels, const uint8_t *out, size_t out_capacity) {
    uint64_t pixels = width * height;
    if (max_pixels != 0 && pixels > max_pixels) {
        mkt_set_message(info->message, sizeof(info->message),
                        "image of %llux%llu = %llu pixels exceeds the limit of %llu pixels "
                        "(possible decompression bomb)",
                        (unsigned long long)width, (unsigned long long)height,
                        (unsigned long long)pixels, (unsigned long long)max_pixels);
        return MKT_CODEC_TOO_LARGE;
    }
    if (out != NULL && (pixels == 0 || out_capacity / 3 < pixels)) {
        mkt_set_message(info->message, sizeof(info->message), "output buffer too small");
        return MKT_CODEC_BUFFER_TOO_SMALL;
    }
    return MKT_CODEC_OK;
}

/* The decoders behind mkt_decode_rgb8, one per format, with its arguments. */
#define MKT_DECODER(name)                                                                        \
    int32_t name(const uint8_t *data, size_t size, uint64_t max_pixels, mkt_image_info *info,   \
                 uint8_t *out, size_t out_capacity)
MKT_DECODER(mkt_decode_png);
MKT_DECODER(mkt_decode_jpeg);
MKT_DECODER(mkt_decode_webp);
MKT_DECODER(mkt_decode_gif);
MKT_DECODER(mkt_decode_bmp);
MKT_DECODER(mkt_decode_tiff);

#endif
