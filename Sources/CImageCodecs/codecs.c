/* Format detection and dispatch. */
#include <stdlib.h>

#include "internal.h"

int32_t mkt_detect_format(const uint8_t *data, size_t size) {
    static const uint8_t png_signature[8] = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
    if (data != NULL && size >= 8 && memcmp(data, png_signature, 8) == 0) {
        return MKT_FORMAT_PNG;
    }
    /* SOI followed by the start of another marker, as Pillow's JPEG plugin requires. */
    if (data != NULL && size >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF) {
        return MKT_FORMAT_JPEG;
    }
    if (data == NULL) {
        return MKT_FORMAT_UNKNOWN;
    }
    if (size >= 12 && memcmp(data, "RIFF", 4) == 0 && memcmp(data + 8, "WEBP", 4) == 0) {
        return MKT_FORMAT_WEBP;
    }
    if (size >= 6 && (memcmp(data, "GIF87a", 6) == 0 || memcmp(data, "GIF89a", 6) == 0)) {
        return MKT_FORMAT_GIF;
    }
    if (size >= 2 && data[0] == 'B' && data[1] == 'M') {
        return MKT_FORMAT_BMP;
    }
    if (size >= 4 && ((memcmp(data, "II", 2) == 0 && (data[2] == 0x2A || data[2] == 0x2B) && data[3] == 0) ||
                      (memcmp(data, "MM", 2) == 0 && data[2] == 0 && (data[3] == 0x2A || data[3] == 0x2B)))) {
        return MKT_FORMAT_TIFF;
    }
    return MKT_FORMAT_UNKNOWN;
}

int32_t mkt_decode_rgb8(const uint8_t *data, size_t size, uint64_t max_pixels,
                        mkt_image_info *info, uint8_t *out, size_t out_capacity) {
    memset(info, 0, sizeof(*info));
    if (data == NULL || size == 0) {
        mkt_set_message(info->message, sizeof(info->message), "the file is empty (0 bytes)");
        return MKT_CODEC_EMPTY;
    }
    int32_t format = mkt_detect_format(data, size);
    info->format = format;
    switch (format) {
    case MKT_FORMAT_WEBP:
        return mkt_decode_webp(data, size, max_pixels, info, out, out_capacity);
    case MKT_FORMAT_GIF:
        return mkt_decode_gif(data, size, max_pixels, info, out, out_capacity);
    case MKT_FORMAT_BMP:
        return mkt_decode_bmp(data, size, max_pixels, info, out, out_capacity);
    case MKT_FORMAT_TIFF:
        return mkt_decode_tiff(data, size, max_pixels, info, out, out_capacity);
    case MKT_FORMAT_PNG:
        return mkt_decode_png(data, size, max_pixels, info, out, out_capacity);
    case MKT_FORMAT_JPEG:
        return mkt_decode_jpeg(data, size, max_pixels, info, out, out_capacity);
    default:
        mkt_set_message(info->message, sizeof(info->message),
                        "not a PNG, JPEG, WebP, GIF, BMP or TIFF image (first bytes %02x %02x %02x %02x)",
                        size > 0 ? data[0] : 0, size > 1 ? data[1] : 0,
                        size > 2 ? data[2] : 0, size > 3 ? data[3] : 0);
        return MKT_CODEC_UNSUPPORTED;
    }
}

void mkt_codec_free(void *pointer) { free(pointer); }
