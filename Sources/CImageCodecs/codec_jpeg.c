/*
 * JPEG through libjpeg(-turbo), with `error_exit` caught.
 *
 * The decoder runs with libjpeg's defaults, as Pillow does (islow IDCT, fancy upsampling,
 * libjpeg's guess of the colour space from JFIF/Adobe markers):
 *   1 component  -> grey, replicated
 *   3 components -> RGB (YCbCr converted by libjpeg)
 *   4 components -> CMYK (YCCK converted by libjpeg), then Pillow's rule: the samples are taken
 *                   as Adobe-inverted CMYK (Pillow always assumes Adobe polarity), and
 *                   R = clip(nk - (c * nk) / 255) with nk = 255 - k, rounded like Pillow's
 *                   MULDIV255.
 * Warnings about corrupt data do not stop decoding (Pillow ignores them too), but running out
 * of data before the last scanline ("Premature end of JPEG file") is reported as truncation,
 * where Pillow raises "image file is truncated".
 */
#include <setjmp.h>
#include <stdio.h> /* jpeglib.h needs size_t and FILE first */
#include <stdlib.h>

#include <jpeglib.h>
#include <jerror.h>

#include "internal.h"

typedef struct {
    struct jpeg_error_mgr manager;
    jmp_buf jump;
    int truncated;
    int unsupported;
    char message[JMSG_LENGTH_MAX + 16];
} jpeg_error_context;

static void jpeg_error_exit_handler(j_common_ptr cinfo) {
    jpeg_error_context *context = (jpeg_error_context *)cinfo->err;
    char text[JMSG_LENGTH_MAX];
    (*cinfo->err->format_message)(cinfo, text);
    mkt_set_message(context->message, sizeof(context->message), "%s", text);
    int code = cinfo->err->msg_code;
    if (code == JERR_BAD_PRECISION || code == JERR_CONVERSION_NOTIMPL ||
        code == JERR_NOT_COMPILED || code == JERR_ARITH_NOTIMPL) {
        context->unsupported = 1;
    }
    if (code == JERR_INPUT_EOF || code == JERR_NO_IMAGE) {
        context->truncated = 1;
    }
    longjmp(context->jump, 1);
}

static void jpeg_emit_message_handler(j_common_ptr cinfo, int level) {
    jpeg_error_context *context = (jpeg_error_context *)cinfo->err;
    if (level < 0 && cinfo->err->msg_code == JWRN_JPEG_EOF) {
        context->truncated = 1;
        mkt_set_message(context->message, sizeof(context->message),
                        "Premature end of JPEG file");
        longjmp(context->jump, 1);
    }
    if (level < 0) {
        cinfo->err->num_warnings++;
    }
}

static void jpeg_output_message_handler(j_common_ptr cinfo) {
    (void)cinfo; /* never print to stderr */
}

static void jpeg_install_errors(jpeg_error_context *context) {
    memset(context, 0, sizeof(*context));
    jpeg_std_error(&context->manager);
    context->manager.error_exit = jpeg_error_exit_handler;
    context->manager.emit_message = jpeg_emit_message_handler;
    context->manager.output_message = jpeg_output_message_handler;
}

/* Pillow's MULDIV255: (a * b + 127) / 255 computed with shifts. */
static inline int muldiv255(int a, int b) {
    int t = a * b + 128;
    return ((t >> 8) + t) >> 8;
}

static inline uint8_t clip8(int v) { return v <= 0 ? 0 : v < 256 ? (uint8_t)v : 255; }

int32_t mkt_decode_jpeg(const uint8_t *data, size_t size, uint64_t max_pixels,
                        mkt_image_info *info, uint8_t *out, size_t out_capacity) {
    struct jpeg_decompress_struct cinfo;
    jpeg_error_context errors;
    jpeg_install_errors(&errors);
    cinfo.err = &errors.manager;
    uint8_t *volatile row = NULL;
    volatile int created = 0;

    if (setjmp(errors.jump)) {
        int32_t status;
        if (errors.truncated) {
            status = MKT_CODEC_TRUNCATED;
            mkt_set_message(info->message, sizeof(info->message),
                            "truncated JPEG: the file ends before the image data is complete (%s)",
                            errors.message);
        } else if (errors.unsupported) {
            status = MKT_CODEC_UNSUPPORTED;
            mkt_set_message(info->message, sizeof(info->message), "unsupported JPEG: %s",
                            errors.message);
        } else {
            status = MKT_CODEC_CORRUPT;
            mkt_set_message(info->message, sizeof(info->message), "corrupt JPEG: %s",
                            errors.message);
        }
        if (created) {
            jpeg_destroy_decompress(&cinfo);
        }
        free(row);
        return status;
    }
    jpeg_create_decompress(&cinfo);
    created = 1;
    jpeg_mem_src(&cinfo, (const unsigned char *)data, (unsigned long)size);
    jpeg_read_header(&cinfo, TRUE);

    info->width = (int32_t)cinfo.image_width;
    info->height = (int32_t)cinfo.image_height;
    info->channels = cinfo.num_components;
    info->bit_depth = cinfo.data_precision;
    info->interlaced = jpeg_has_multiple_scans(&cinfo) ? 1 : 0;

    int components = cinfo.num_components;
    if (cinfo.data_precision != 8 || (components != 1 && components != 3 && components != 4)) {
        mkt_set_message(info->message, sizeof(info->message),
                        "unsupported JPEG: %d-bit samples with %d components",
                        cinfo.data_precision, components);
        jpeg_destroy_decompress(&cinfo);
        return MKT_CODEC_UNSUPPORTED;
    }
    uint64_t pixels = (uint64_t)cinfo.image_width * (uint64_t)cinfo.image_height;
    if (max_pixels != 0 && pixels > max_pixels) {
        mkt_set_message(info->message, sizeof(info->message),
                        "image of %ux%u = %llu pixels exceeds the limit of %llu pixels "
                        "(possible decompression bomb)",
                        (unsigned)cinfo.image_width, (unsigned)cinfo.image_height,
                        (unsigned long long)pixels, (unsigned long long)max_pixels);
        jpeg_destroy_decompress(&cinfo);
        return MKT_CODEC_TOO_LARGE;
    }
    if (out == NULL) {
        jpeg_destroy_decompress(&cinfo);
        return MKT_CODEC_OK;
    }
    if (pixels == 0 || out_capacity / 3 < pixels) {
        jpeg_destroy_decompress(&cinfo);
        mkt_set_message(info->message, sizeof(info->message), "output buffer too small");
        return MKT_CODEC_BUFFER_TOO_SMALL;
    }

    cinfo.out_color_space =
        components == 1 ? JCS_GRAYSCALE : components == 3 ? JCS_RGB : JCS_CMYK;
    jpeg_start_decompress(&cinfo);
    size_t width = cinfo.output_width;
    size_t stride = width * 3;
    if (cinfo.output_components != (components == 3 ? 3 : components)) {
        jpeg_destroy_decompress(&cinfo);
        mkt_set_message(info->message, sizeof(info->message), "unsupported JPEG colour layout");
        return MKT_CODEC_UNSUPPORTED;
    }
    if (components != 3) {
        row = malloc(width * (size_t)components);
        if (row == NULL) {
            jpeg_destroy_decompress(&cinfo);
            mkt_set_message(info->message, sizeof(info->message), "out of memory");
            return MKT_CODEC_NO_MEMORY;
        }
    }
    while (cinfo.output_scanline < cinfo.output_height) {
        uint8_t *target = out + stride * cinfo.output_scanline;
        if (components == 3) {
            JSAMPROW rows[1] = {target};
            jpeg_read_scanlines(&cinfo, rows, 1);
            continue;
        }
        JSAMPROW rows[1] = {row};
        jpeg_read_scanlines(&cinfo, rows, 1);
        if (components == 1) {
            for (size_t x = 0; x < width; x++) {
                target[3 * x] = target[3 * x + 1] = target[3 * x + 2] = row[x];
            }
        } else {
            for (size_t x = 0; x < width; x++) {
                const uint8_t *cmyk = row + 4 * x;
                /* Pillow's "CMYK;I" unpacking inverts every sample, then cmyk2rgb. */
                int nk = 255 - (255 - cmyk[3]);
                target[3 * x] = clip8(nk - muldiv255(255 - cmyk[0], nk));
                target[3 * x + 1] = clip8(nk - muldiv255(255 - cmyk[1], nk));
                target[3 * x + 2] = clip8(nk - muldiv255(255 - cmyk[2], nk));
            }
        }
    }
    /* Not jpeg_finish_decompress: a file whose scanlines are complete decodes even when the
       EOI marker is missing (Pillow tolerates that as well). */
    jpeg_destroy_decompress(&cinfo);
    free(row);
    return MKT_CODEC_OK;
}

/* ---- encoding ---------------------------------------------------------------------------- */

int32_t mkt_encode_jpeg(const uint8_t *rgb, int32_t width, int32_t height, int32_t quality,
                        uint8_t **out, size_t *out_size, char *message, size_t message_size) {
    *out = NULL;
    *out_size = 0;
    if (rgb == NULL || width <= 0 || height <= 0 || width > 65500 || height > 65500) {
        mkt_set_message(message, message_size, "cannot encode a JPEG of %dx%d pixels", width,
                        height);
        return MKT_CODEC_INVALID_ARGUMENT;
    }
    struct jpeg_compress_struct cinfo;
    jpeg_error_context errors;
    jpeg_install_errors(&errors);
    cinfo.err = &errors.manager;
    unsigned char *volatile buffer = NULL;
    unsigned long buffer_size = 0;
    unsigned char **buffer_slot = (unsigned char **)&buffer;
    volatile int created = 0;
    if (setjmp(errors.jump)) {
        /* The memory destination may have moved its buffer without telling us yet, so the
           buffer is not freed here: encoding only fails on invalid arguments, checked above. */
        if (created) {
            jpeg_destroy_compress(&cinfo);
        }
        mkt_set_message(message, message_size, "JPEG encoding failed: %s", errors.message);
        return MKT_CODEC_CORRUPT;
    }
    jpeg_create_compress(&cinfo);
    created = 1;
    jpeg_mem_dest(&cinfo, buffer_slot, &buffer_size);
    cinfo.image_width = (JDIMENSION)width;
    cinfo.image_height = (JDIMENSION)height;
    cinfo.input_components = 3;
    cinfo.in_color_space = JCS_RGB;
    jpeg_set_defaults(&cinfo);
    jpeg_set_quality(&cinfo, quality < 1 ? 1 : quality > 100 ? 100 : quality, TRUE);
    jpeg_start_compress(&cinfo, TRUE);
    size_t stride = (size_t)width * 3;
    while (cinfo.next_scanline < cinfo.image_height) {
        JSAMPROW rows[1] = {(JSAMPROW)(rgb + stride * cinfo.next_scanline)};
        jpeg_write_scanlines(&cinfo, rows, 1);
    }
    jpeg_finish_compress(&cinfo);
    jpeg_destroy_compress(&cinfo);
    *out = buffer;
    *out_size = buffer_size;
    return MKT_CODEC_OK;
}
